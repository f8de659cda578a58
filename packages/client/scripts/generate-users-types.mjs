#!/usr/bin/env node
/**
 * Generates src/resources/users.types.ts from Zoom's official Users OpenAPI spec, so that the Users
 * resource is typed from the spec and not from memory. Run from the repository root:
 *   node packages/client/scripts/generate-users-types.mjs [path/to/zoom-users-openapi.json] && npx biome format --write packages/client/src/resources
 * The spec copy in shared/reference had its enums patched out upstream; a handful of enums that the
 * client relies on are restored in resources/users.ts from the 2023 Meeting API spec.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const specPath = process.argv[2] ?? join(here, '../../../../shared/reference/zoom-users-openapi.json');
const out = join(here, '../src/resources/users.types.ts');
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
  ['User', 'GET /users/{userId} 200', type(response('user', '200'), '')],
  ['GetUserQuery', 'GET /users/{userId} query', params('user', 'query')],
  ['UserList', 'GET /users 200', type(response('users', '200'), '')],
  ['ListUsersQuery', 'GET /users query', params('users', 'query')],
  ['CreateUserBody', 'POST /users body', type(body('userCreate'), '')],
  ['CreatedUser', 'POST /users 201', type(response('userCreate', '201'), '')],
  ['UpdateUserBody', 'PATCH /users/{userId} body', type(body('userUpdate'), '')],
  ['UpdateUserQuery', 'PATCH /users/{userId} query', params('userUpdate', 'query')],
  ['DeleteUserQuery', 'DELETE /users/{userId} query', params('userDelete', 'query')],
  ['UserTokenQuery', 'GET /users/{userId}/token query', params('userToken', 'query')],
  ['UserToken', 'GET /users/{userId}/token 200', type(response('userToken', '200'), '')],
  ['UserZak', 'GET /users/me/zak 200', type(response('userZak', '200'), '')],
  ['UpdateUserStatusBody', 'PUT /users/{userId}/status body', type(body('userStatus'), '')],
  ['UpdateUserPasswordBody', 'PUT /users/{userId}/password body', type(body('userPassword'), '')],
  ['UpdateUserEmailBody', 'PUT /users/{userId}/email body', type(body('userEmailUpdate'), '')],
  ['CheckEmailQuery', 'GET /users/email query', params('userEmail', 'query')],
  ['CheckEmailResponse', 'GET /users/email 200', type(response('userEmail', '200'), '')],
  ['UserSettings', 'GET /users/{userId}/settings 200', type(response('userSettings', '200'), '')],
  ['GetUserSettingsQuery', 'GET /users/{userId}/settings query', params('userSettings', 'query')],
  ['UpdateUserSettingsBody', 'PATCH /users/{userId}/settings body', type(body('userSettingsUpdate'), '')],
  ['UpdateUserSettingsQuery', 'PATCH /users/{userId}/settings query', params('userSettingsUpdate', 'query')],
];

const header = `// Generated by packages/client/scripts/generate-users-types.mjs from Zoom's official Users OpenAPI
// spec (${spec.info.title} ${spec.info.version}). Do not edit by hand: run the script again.
`;
const text = decls.map(([name, what, t]) => `/** ${what} */\nexport type ${name} = ${t};\n`).join('\n');
writeFileSync(out, `${header}\n${text}`);
console.log(`wrote ${out}`);
