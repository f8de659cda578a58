/**
 * Zoom's official OpenAPI documents (../shared/reference) as response validators: a test hands a
 * response to `assertMatchesSpec` with the operation's method and path template, and the body is
 * checked against that operation's schema for the status. Users operations use the 2025 Users spec;
 * everything else (Meetings) the 2023 Meeting API spec.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

const REFERENCE = new URL('../../../../shared/reference/', import.meta.url);

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

/** The operation's JSON schema for a response status, or null when the spec names no body. */
export function responseSchema(method: string, path: string, status: number): unknown | null {
  const docs = load();
  const doc = docs[specFor(path)];
  const op = doc.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `the spec has no operation ${method} ${path}`);
  const response = op.responses?.[String(status)];
  assert.ok(response, `the spec names no ${status} response for ${method} ${path}`);
  return response.content?.['application/json']?.schema ?? null;
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
  const valid = ajv.validate(schema as object, res.body);
  assert.ok(valid, `${method} ${path} ${res.status}: ${ajv.errorsText(ajv.errors)}`);
}
