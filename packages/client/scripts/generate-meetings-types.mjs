#!/usr/bin/env node
/**
 * Generates src/resources/meetings.types.ts from Zoom's official Meeting API spec (May 2023, with its
 * enums), so that the Meetings resource is typed from the spec and not from memory. Run from the
 * repository root:
 *   node packages/client/scripts/generate-meetings-types.mjs [path/to/zoom-meeting-api-openapi-2023.json] && npx biome format --write packages/client/src/resources
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const specPath =
  process.argv[2] ?? join(here, '../../../../shared/reference/zoom-meeting-api-openapi-2023.json');
const out = join(here, '../src/resources/meetings.types.ts');
const spec = JSON.parse(readFileSync(specPath, 'utf8'));

const operations = new Map();
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (op && typeof op === 'object' && op.operationId) operations.set(op.operationId, { path, method, op });
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name) => (IDENT.test(name) ? name : JSON.stringify(name));

function doc(text, indent) {
  if (!text) return '';
  const first = String(text)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!first) return '';
  const clean = first.replaceAll('*/', '* /').slice(0, 160);
  return `${indent}/** ${clean} */\n`;
}

function type(schema, indent) {
  if (!schema) return 'unknown';
  if (schema.$ref) return schema.$ref.split('/').pop();
  if (schema.allOf) return merge(schema.allOf.map(resolve), indent);
  if (schema.oneOf || schema.anyOf) {
    const parts = [...new Set((schema.oneOf ?? schema.anyOf).map((s) => type(s, indent)))];
    return parts.length === 1 ? parts[0] : `(${parts.join(' | ')})`;
  }
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${type(schema.items, indent)}>`;
    case 'object':
    case undefined:
      if (schema.properties) return object(schema, indent);
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return `Record<string, ${type(schema.additionalProperties, indent)}>`;
      }
      return 'Record<string, unknown>';
    default:
      return 'unknown';
  }
}

function resolve(schema) {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop();
    return spec.components.schemas[name];
  }
  return schema;
}

function merge(schemas, indent) {
  const properties = {};
  const required = new Set();
  for (const s of schemas) {
    const r = s.allOf ? { properties: mergeProps(s.allOf.map(resolve)), required: [] } : s;
    Object.assign(properties, r.properties ?? {});
    for (const name of r.required ?? []) required.add(name);
  }
  return object({ properties, required: [...required] }, indent);
}

function mergeProps(schemas) {
  return Object.assign({}, ...schemas.map((s) => s.properties ?? {}));
}

function object(schema, indent) {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties).map(
    ([name, prop]) =>
      `${doc(prop.description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${type(prop, inner)};\n`,
  );
  return `{\n${lines.join('')}${indent}}`;
}

function params(opId, where) {
  const { op, path, method } = operations.get(opId);
  const list = [...(op.parameters ?? []), ...(spec.paths[path].parameters ?? [])].filter(
    (p) => p.in === where,
  );
  void method;
  const properties = Object.fromEntries(
    list.map((p) => [p.name, { ...p.schema, description: p.description ?? p.schema?.description }]),
  );
  return object({ properties, required: list.filter((p) => p.required).map((p) => p.name) }, '');
}

const json = (content) => content?.['application/json']?.schema;
const response = (opId, status) => json(operations.get(opId).op.responses[status]?.content);
const body = (opId) => json(operations.get(opId).op.requestBody?.content);

const decls = [
  ['Meeting', 'GET /meetings/{meetingId} 200', type(response('meeting', '200'), '')],
  ['GetMeetingQuery', 'GET /meetings/{meetingId} query', params('meeting', 'query')],
  ['MeetingList', 'GET /users/{userId}/meetings 200', type(response('meetings', '200'), '')],
  ['ListMeetingsQuery', 'GET /users/{userId}/meetings query', params('meetings', 'query')],
  ['CreateMeetingBody', 'POST /users/{userId}/meetings body', type(body('meetingCreate'), '')],
  ['CreatedMeeting', 'POST /users/{userId}/meetings 201', type(response('meetingCreate', '201'), '')],
  ['UpdateMeetingBody', 'PATCH /meetings/{meetingId} body', type(body('meetingUpdate'), '')],
  ['UpdateMeetingQuery', 'PATCH /meetings/{meetingId} query', params('meetingUpdate', 'query')],
  ['DeleteMeetingQuery', 'DELETE /meetings/{meetingId} query', params('meetingDelete', 'query')],
];

const header = `// Generated by packages/client/scripts/generate-meetings-types.mjs from Zoom's official Meeting API
// spec (${spec.info.title} ${spec.info.version}). Do not edit by hand: run the script again.
`;
const text = decls.map(([name, what, t]) => `/** ${what} */\nexport type ${name} = ${t};\n`).join('\n');
writeFileSync(out, `${header}\n${text}`);
console.log(`wrote ${out}`);
