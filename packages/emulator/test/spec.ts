/**
 * Zoom's official OpenAPI documents (spec/zoom at the repository's root) as response validators: a test hands a
 * response to `assertMatchesSpec` with the operation's method and path template, and the body is
 * checked against that operation's schema for the status. Users operations use the 2025 Users spec;
 * everything else (Meetings) the 2023 Meeting API spec.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

const REFERENCE = new URL('../../../spec/zoom/', import.meta.url);

type Doc = { paths: Record<string, Record<string, Operation>> };
type Operation = {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
};

let cached: { users: Doc; meetings: Doc; ajv: InstanceType<typeof AjvModule.default> } | undefined;

function load() {
  if (cached) return cached;
  const users = JSON.parse(fs.readFileSync(new URL('zoom-users-openapi.json', REFERENCE), 'utf8')) as Doc;
  const meetings = JSON.parse(
    fs.readFileSync(new URL('zoom-meeting-api-openapi-2023.json', REFERENCE), 'utf8'),
  ) as Doc;
  // ajv and ajv-formats are CommonJS modules: under NodeNext their classes sit on `.default`.
  const ajv = new AjvModule.default({ strict: false, allErrors: true, validateSchema: false });
  addFormatsModule.default(ajv);
  cached = { users, meetings, ajv };
  return cached;
}

/** Which document describes the operation: the 2025 Users spec for /users paths, else the 2023 one. */
export function specFor(path: string): 'users' | 'meetings' {
  return path.startsWith('/users') && !path.includes('/meetings') ? 'users' : 'meetings';
}

/**
 * The operation's JSON schema for a response status, or null when the spec names no body. Where the
 * two documents disagree on the status (PUT /users/{userId}/status: 200 in 2025, 204 in 2023), the other
 * document's answer counts.
 */
export function responseSchema(method: string, path: string, status: number): unknown | null {
  const docs = load();
  const primary = specFor(path);
  for (const name of [primary, primary === 'users' ? 'meetings' : 'users'] as const) {
    const op = docs[name].paths[path]?.[method.toLowerCase()];
    const response = op?.responses?.[String(status)];
    if (response) return response.content?.['application/json']?.schema ?? null;
  }
  assert.fail(`no spec names a ${status} response for ${method} ${path}`);
}

/** `oneOf` read as `anyOf`: Zoom's alternatives overlap (the settings objects require nothing). */
function anyOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anyOf);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k === 'oneOf' ? 'anyOf' : k,
      k === 'properties'
        ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, anyOf(s)]))
        : anyOf(v),
    ]),
  );
}

/**
 * Asserts that `body` is what the spec says `method path` answers with `status`. A response the spec
 * documents without a body must be empty.
 */
export function assertMatchesSpec(
  method: string,
  path: string,
  res: { status: number; body: unknown; text: string },
): void {
  const schema = responseSchema(method, path, res.status);
  if (schema === null) {
    assert.equal(res.text, '', `${method} ${path} ${res.status} has no body in the spec`);
    return;
  }
  const { ajv } = load();
  const valid = ajv.validate(anyOf(schema) as object, res.body);
  assert.ok(valid, `${method} ${path} ${res.status}: ${ajv.errorsText(ajv.errors)}`);
}
