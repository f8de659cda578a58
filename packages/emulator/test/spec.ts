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
  // The documents' `format: url` means a web address. ajv-formats' own `url` refuses loopback and
  // private addresses, where a test's Zemu (and its links: a registrant's join_url) always lives.
  ajv.addFormat('url', (value: string) => /^https?:\/\//.test(value) && URL.canParse(value));
  cached = { users, meetings, ajv };
  return cached;
}

/** The two documents as parsed JSON, for tests generated from them (e.g. every operation's scopes). */
export function specDocuments(): { users: SpecDocument; meetings: SpecDocument } {
  const { users, meetings } = load();
  return { users: users as SpecDocument, meetings: meetings as SpecDocument };
}

export type SpecDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        description?: string;
        security?: Record<string, string[]>[];
        'x-extensions'?: { 'x-macro-scopes'?: string[]; 'x-granular-scopes'?: string[] };
        responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
      }
    >
  >;
};

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

/**
 * Asserts that `body` is what one named document (`users-2025` or `meetings-2023`) says `method path`
 * answers with `status`: for the operations answered from the spec, whose document is known.
 */
export function assertMatchesDocument(
  source: 'users-2025' | 'meetings-2023',
  method: string,
  path: string,
  res: { status: number; body: unknown; text: string },
): void {
  const docs = load();
  const doc = source === 'users-2025' ? docs.users : docs.meetings;
  const response = doc.paths[path]?.[method.toLowerCase()]?.responses?.[String(res.status)];
  assert.ok(response, `${source} names no ${res.status} response for ${method} ${path}`);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    assert.equal(res.text, '', `${method} ${path} ${res.status} has no body in ${source}`);
    return;
  }
  const valid = docs.ajv.validate(anyOf(schema) as object, res.body);
  assert.ok(valid, `${method} ${path} ${res.status}: ${docs.ajv.errorsText(docs.ajv.errors)}`);
}

/** The operation's request body schema in one document, for tests that build bodies from it. */
export function requestBodySchema(
  source: 'users-2025' | 'meetings-2023',
  method: string,
  path: string,
): unknown | undefined {
  const docs = load();
  const doc = source === 'users-2025' ? docs.users : docs.meetings;
  return doc.paths[path]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
}
