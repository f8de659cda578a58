#!/usr/bin/env node
/**
 * Extracts, from Zoom's official OpenAPI documents in spec/zoom (at the repository's root), the request schemas (JSON
 * body and query parameters) of every operation Zemu serves, into src/api/spec/request-schemas.json,
 * which the emulator validates requests with (api/spec/validate.ts). Run it again when an operation is
 * added: `node packages/emulator/scripts/extract-request-schemas.mjs`.
 *
 * Users operations come from the 2025 Users spec, which its publisher stripped of enums. They are put
 * back from two places, united so that no value Zoom documents is refused: the value lists the 2025
 * descriptions still spell out ("`1` - Basic. `2` - Licensed. ..."), and the enums of the same properties
 * in the 2023 Meeting API spec. Meetings come from the 2023 spec.
 * `oneOf` becomes `anyOf`: Zoom's alternatives overlap (an object valid for several settings shapes, an
 * id that is also an email), and a strict oneOf would refuse what Zoom accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const reference = process.env.ZOOM_SPEC_DIR ?? path.resolve(here, '../../../spec/zoom');
const out = path.resolve(here, '../src/api/spec/request-schemas.json');

/** Both documents, parsed: `{ s25, s23 }`. */
export function readDocuments() {
  return {
    s25: JSON.parse(fs.readFileSync(path.join(reference, 'zoom-users-openapi.json'), 'utf8')),
    s23: JSON.parse(fs.readFileSync(path.join(reference, 'zoom-meeting-api-openapi-2023.json'), 'utf8')),
  };
}

/** [method, path, source]: every operation Zemu serves. */
const OPERATIONS = [
  ['GET', '/users', 'users'],
  ['POST', '/users', 'users'],
  ['GET', '/users/email', 'users'],
  ['GET', '/users/me/zak', 'users'],
  ['GET', '/users/{userId}', 'users'],
  ['PATCH', '/users/{userId}', 'users'],
  ['DELETE', '/users/{userId}', 'users'],
  ['GET', '/users/{userId}/token', 'users'],
  ['DELETE', '/users/{userId}/token', 'users'],
  ['PUT', '/users/{userId}/status', 'users'],
  ['PUT', '/users/{userId}/password', 'users'],
  ['PUT', '/users/{userId}/email', 'users'],
  ['GET', '/users/{userId}/settings', 'users'],
  ['PATCH', '/users/{userId}/settings', 'users'],
  ['POST', '/users/{userId}/meetings', 'meetings'],
  ['GET', '/users/{userId}/meetings', 'meetings'],
  ['GET', '/meetings/{meetingId}', 'meetings'],
  ['PATCH', '/meetings/{meetingId}', 'meetings'],
  ['DELETE', '/meetings/{meetingId}', 'meetings'],
  ['PUT', '/meetings/{meetingId}/status', 'meetings'],
  ['GET', '/meetings/{meetingId}/registrants', 'meetings'],
  ['POST', '/meetings/{meetingId}/registrants', 'meetings'],
  ['GET', '/meetings/{meetingId}/registrants/{registrantId}', 'meetings'],
  ['DELETE', '/meetings/{meetingId}/registrants/{registrantId}', 'meetings'],
  ['PUT', '/meetings/{meetingId}/registrants/status', 'meetings'],
  ['GET', '/meetings/{meetingId}/registrants/questions', 'meetings'],
  ['PATCH', '/meetings/{meetingId}/registrants/questions', 'meetings'],
  ['GET', '/past_meetings/{meetingId}', 'meetings'],
  ['GET', '/past_meetings/{meetingId}/instances', 'meetings'],
  ['GET', '/past_meetings/{meetingId}/participants', 'meetings'],
  ['GET', '/report/meetings/{meetingId}', 'meetings'],
  ['GET', '/report/meetings/{meetingId}/participants', 'meetings'],
  ['GET', '/report/users/{userId}/meetings', 'meetings'],
  ['GET', '/meetings/{meetingId}/recordings', 'meetings'],
  ['GET', '/users/{userId}/recordings', 'meetings'],
  ['DELETE', '/meetings/{meetingId}/recordings', 'meetings'],
  ['DELETE', '/meetings/{meetingId}/recordings/{recordingId}', 'meetings'],
  ['PUT', '/meetings/{meetingUUID}/recordings/status', 'meetings'],
  ['PUT', '/meetings/{meetingId}/recordings/{recordingId}/status', 'meetings'],
  ['GET', '/meetings/{meetingId}/recordings/settings', 'meetings'],
  ['PATCH', '/meetings/{meetingId}/recordings/settings', 'meetings'],
];

/** The values a description lists one per line as "`value` - meaning", typed like the property. */
export function listedValues(schema) {
  if (typeof schema.description !== 'string' || (schema.type !== 'string' && schema.type !== 'integer')) {
    return undefined;
  }
  const values = [...schema.description.matchAll(/(?:^|\n)\s*\*?\s*`([^`]+)`\s*[-\u2013\u2014:]/g)].map(
    (m) => m[1],
  );
  if (values.length < 2) return undefined;
  if (schema.type === 'integer') {
    if (!values.every((v) => /^-?\d+$/.test(v))) return undefined;
    return values.map(Number);
  }
  return values;
}

/**
 * Constraints left to the handler because Zoom answers them with a more specific error than the
 * generic 300 "Validation Failed.": [operation, 'body' | 'query', property, keywords to drop].
 *   - `include_fields` of GET /users is a comma-separated list (`custom_attributes,host_key`); the 2023
 *     enum names one value.
 *   - A short password is code 1124 "Have at least 8 characters" (S23's password rules).
 *   - POST /users with a password of the wrong length is 300 "Invalid parameter: password" (S23).
 *   - GET /users/email without `email` is 300 "Email is required." (contract §3).
 *   - A meeting's `recurrence.weekly_days` is a comma-separated list of days ("2,4"), as the spec's own
 *     text and Zoom take it; its enum names single days only. The handler checks the list.
 */
const RELAX = [
  ['GET /users', 'query', 'include_fields', ['enum']],
  ['PUT /users/{userId}/password', 'body', 'password', ['minLength', 'maxLength', 'required']],
  ['POST /users', 'body', 'user_info.password', ['minLength', 'maxLength']],
  ['GET /users/email', 'query', 'email', ['required']],
  ['POST /users/{userId}/meetings', 'body', 'recurrence.weekly_days', ['enum']],
  ['PATCH /meetings/{meetingId}', 'body', 'recurrence.weekly_days', ['enum']],
];

/** Drops `keywords` from a property given as a dotted path (`recurrence.weekly_days`). */
function relax(entry, where, property, keywords) {
  const path = property.split('.');
  const name = path.pop();
  let schema = entry[where];
  for (const part of path) schema = schema.properties[part];
  for (const keyword of keywords) {
    if (keyword === 'required') schema.required = (schema.required ?? []).filter((r) => r !== name);
    else delete schema.properties[name][keyword];
  }
}

/** Keeps what validation needs: no descriptions, examples or vendor extensions. */
export function clean(schema) {
  if (Array.isArray(schema)) return schema.map(clean);
  if (schema === null || typeof schema !== 'object') return schema;
  const outSchema = {};
  const listed = listedValues(schema);
  if (listed && !schema.enum) outSchema.enum = listed;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    if (key === 'properties') {
      outSchema.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    } else if (key === 'oneOf') {
      outSchema.anyOf = clean(value);
    } else {
      outSchema[key] = clean(value);
    }
  }
  return outSchema;
}

/** Copies `enum` from the 2023 schema onto the same properties of the 2025 one where it lacks them. */
export function withEnums(schema, older) {
  if (!schema || !older || typeof schema !== 'object' || typeof older !== 'object') return schema;
  if (older.enum && schema.type === older.type) {
    schema.enum = [...new Set([...(schema.enum ?? []), ...older.enum])];
  }
  if (schema.properties && older.properties) {
    for (const [k, v] of Object.entries(schema.properties)) withEnums(v, older.properties[k]);
  }
  if (schema.items && older.items) withEnums(schema.items, older.items);
  for (const key of ['anyOf', 'allOf']) {
    const olderList = older[key] ?? older.oneOf;
    if (Array.isArray(schema[key]) && Array.isArray(olderList)) {
      schema[key].forEach((s, i) => {
        withEnums(s, olderList[i]);
      });
    }
  }
  return schema;
}

export function querySchema(parameters = []) {
  const query = parameters.filter((p) => p.in === 'query');
  if (query.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(query.map((p) => [p.name, clean(p.schema ?? {})])),
    required: query.filter((p) => p.required).map((p) => p.name),
  };
}

/** The query and body schemas of one operation, as the spec hook validates them. */
export function requestSchemas(op, older) {
  const entry = {};
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) {
    entry.body = clean(body);
    const olderBody = older?.requestBody?.content?.['application/json']?.schema;
    if (olderBody) withEnums(entry.body, clean(olderBody));
    entry.bodyRequired = op.requestBody.required === true;
  }
  const query = querySchema(op.parameters);
  if (query) {
    entry.query = query;
    const olderQuery = querySchema(older?.parameters);
    if (olderQuery) withEnums(entry.query, olderQuery);
  }
  return entry;
}

/** What request-schemas.json holds: each served operation's schemas, from the two documents. */
export function extractRequestSchemas({ s25, s23 } = readDocuments()) {
  const result = {};
  for (const [method, route, source] of OPERATIONS) {
    const doc = source === 'users' ? s25 : s23;
    const op = doc.paths[route]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${route} is not in the ${source} spec`);
    const older = source === 'users' ? s23.paths[route]?.[method.toLowerCase()] : undefined;
    const entry = requestSchemas(op, older);
    for (const [key, where, property, keywords] of RELAX) {
      if (key === `${method} ${route}`) relax(entry, where, property, keywords);
    }
    result[`${method} ${route}`] = entry;
  }
  return result;
}

function main() {
  const result = extractRequestSchemas();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(
    `wrote ${Object.keys(result).length} operations to ${path.relative(process.cwd(), out)}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
