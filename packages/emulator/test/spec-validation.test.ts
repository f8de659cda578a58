/**
 * Request validation follows Zoom's own OpenAPI documents: for every operation Zemu serves whose body
 * the spec describes, a value of the wrong type, an out-of-enum value and an over-long string in each
 * top-level field is answered 400 code 300 "Validation Failed." naming that field, and the stored state
 * does not change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AjvModule from 'ajv';
import schemas from '../src/api/spec/request-schemas.json' with { type: 'json' };
import { dropOptionalNulls, specPath, toFieldErrors } from '../src/api/spec/validate.js';
import { startTestZemu, type TestZemu } from './helpers.js';

/** The extraction script (plain JavaScript, so imported by URL and typed here by what the tests use). */
type Json = Record<string, unknown>;
interface Extraction {
  readDocuments(): { s25: Json; s23: Json };
  extractRequestSchemas(documents?: { s25: Json; s23: Json }): Json;
  clean(schema: unknown): Json;
}
const extraction = (await import(
  new URL('../scripts/extract-request-schemas.mjs', import.meta.url).href
)) as Extraction;

/** An operation's JSON body schema in one of the documents. */
function documentBody(doc: Json, method: string, path: string): Json | undefined {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const op = paths[path]?.[method.toLowerCase()] as
    | { requestBody?: { content?: Record<string, { schema?: Json }> } }
    | undefined;
  return op?.requestBody?.content?.['application/json']?.schema;
}

/** A property of an object schema, or a failed assertion naming it. */
function propertyOf(schema: Json | undefined, name: string): Json {
  const found = (schema?.properties as Record<string, Json> | undefined)?.[name];
  assert.ok(found, `no property ${name}`);
  return found;
}

/** Whether `key` is a key anywhere in `schema`. */
function hasKey(schema: unknown, key: string): boolean {
  if (Array.isArray(schema)) return schema.some((s) => hasKey(s, key));
  if (typeof schema !== 'object' || schema === null) return false;
  return Object.entries(schema).some(([k, v]) => k === key || hasKey(v, key));
}

type Schema = {
  type?: string;
  enum?: unknown[];
  maxLength?: number;
  properties?: Record<string, Schema>;
};
const OPERATIONS = schemas as Record<string, { body?: Schema; query?: Schema }>;

/** Values the schema refuses, each with what it shows. */
function badValues(schema: Schema): { label: string; value: unknown }[] {
  const out: { label: string; value: unknown }[] = [];
  switch (schema.type) {
    case 'string':
      out.push({ label: 'a number', value: 12345 });
      break;
    case 'integer':
    case 'number':
      out.push({ label: 'a string', value: 'not-a-number' });
      break;
    case 'boolean':
      out.push({ label: 'a string', value: 'maybe' });
      break;
    case 'object':
      out.push({ label: 'a string', value: 'not-an-object' });
      break;
    case 'array':
      out.push({ label: 'a string', value: 'not-an-array' });
      break;
  }
  if (schema.enum) {
    out.push({
      label: 'a value outside the enum',
      value: schema.type === 'string' ? 'zz-not-a-value' : 987654,
    });
  }
  if (schema.type === 'string' && schema.maxLength !== undefined && schema.maxLength < 5000) {
    out.push({ label: `${schema.maxLength + 1} characters`, value: 'x'.repeat(schema.maxLength + 1) });
  }
  return out;
}

describe('request validation from the spec', () => {
  let z: TestZemu;
  let token: string;
  let meetingId: string | undefined;
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    const meeting = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, { topic: 'spec' });
    if (meeting.status === 201) meetingId = String(meeting.body.id);
  });
  after(() => z.close());

  test('specPath turns a Fastify route into the spec path template', () => {
    assert.equal(specPath('/v2/users/:userId/token'), '/users/{userId}/token');
    assert.equal(specPath('/v2/meetings/:meetingId'), '/meetings/{meetingId}');
  });

  test('errors inside alternatives are reported once, at the alternative', () => {
    const errors = toFieldErrors(
      [
        { keyword: 'type', instancePath: '/a', schemaPath: '#/anyOf/0/properties/a/type', params: {} },
        { keyword: 'type', instancePath: '/a', schemaPath: '#/anyOf/1/properties/a/type', params: {} },
        { keyword: 'anyOf', instancePath: '', schemaPath: '#/anyOf', params: {} },
        { keyword: 'required', instancePath: '/b/0', schemaPath: '#/x', params: { missingProperty: 'c' } },
      ],
      'body',
    );
    assert.deepEqual(errors, [
      { field: 'body', message: 'Invalid field.' },
      { field: 'b[0].c', message: 'Invalid field.' },
    ]);
  });

  // docs/compatibility.md, "`null` for an optional field".
  test('null is dropped for optional fields, kept for required ones and where the schema admits it; no served schema admits it, so "" clears', async () => {
    const schema: Parameters<typeof dropOptionalNulls>[1] = {
      type: 'object',
      required: ['action'],
      properties: {
        action: { type: 'string' },
        agenda: { type: 'string' },
        note: { type: 'string', nullable: true },
        tags: { type: ['array', 'null'], items: { type: 'string' } },
        settings: { type: 'object', properties: { host_video: { type: 'boolean' } } },
        items: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' } } } },
        either: {
          anyOf: [
            { type: 'object', properties: { a: { type: 'string' } } },
            { type: 'object', properties: { b: { enum: ['x', null] } } },
          ],
        },
      },
    };
    const body = {
      action: null,
      agenda: null,
      note: null,
      tags: null,
      settings: { host_video: null },
      items: [{ label: null }],
      either: { a: null, b: null },
      unknown: null,
    };
    dropOptionalNulls(body, schema);
    assert.deepEqual(body, {
      action: null,
      note: null,
      tags: null,
      settings: {},
      items: [{}],
      either: { b: null },
      unknown: null,
    });
    assert.equal(hasKey(schemas, 'nullable'), false, 'no served schema admits null');
    // So over HTTP a null never clears: an empty value does.
    const created = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, {
      topic: 'clearing',
      agenda: 'kept',
    });
    assert.equal(created.status, 201, created.text);
    const agenda = async () => (await z.api('GET', `/meetings/${created.body.id}`, token)).body.agenda;
    assert.equal((await z.api('PATCH', `/meetings/${created.body.id}`, token, { agenda: null })).status, 204);
    assert.equal(await agenda(), 'kept');
    assert.equal((await z.api('PATCH', `/meetings/${created.body.id}`, token, { agenda: '' })).status, 204);
    assert.equal(await agenda(), '');
    await z.api('DELETE', `/meetings/${created.body.id}`, token);
  });

  // docs/compatibility.md, "Which document".
  test('the schemas are the documents: Users from the 2025 spec with its listed values and the 2023 enums, Meetings from the 2023 spec', () => {
    const documents = extraction.readDocuments();
    const { s25, s23 } = documents;
    // request-schemas.json is what the script makes of the vendored documents, nothing edited by hand.
    assert.deepEqual(extraction.extractRequestSchemas(documents), schemas);
    const users = schemas as unknown as Record<string, { body?: Json; query?: Json }>;
    const prop = (key: string, where: 'body' | 'query', name: string) =>
      propertyOf(users[key]?.[where], name);

    // PATCH user `type`: the 2025 spec has no enum, only a description listing 1, 2, 4 and 99; the 2023
    // spec's enum has 1, 2 and 99. Both are accepted: 4 comes from the 2025 text.
    const type25 = propertyOf(documentBody(s25, 'PATCH', '/users/{userId}'), 'type');
    const type23 = propertyOf(documentBody(s23, 'PATCH', '/users/{userId}'), 'type');
    assert.equal(type25.enum, undefined, 'the 2025 document was stripped of its enums');
    assert.deepEqual(type23.enum, [1, 2, 99]);
    assert.deepEqual(prop('PATCH /users/{userId}', 'body', 'type').enum, [1, 2, 4, 99]);
    // PUT status `action`: clock_in and clock_out are listed only in the 2025 text.
    const action23 = propertyOf(documentBody(s23, 'PUT', '/users/{userId}/status'), 'action');
    assert.deepEqual(action23.enum, ['activate', 'deactivate']);
    assert.deepEqual(prop('PUT /users/{userId}/status', 'body', 'action').enum, [
      'activate',
      'deactivate',
      'clock_in',
      'clock_out',
    ]);
    // GET /users `status`: the 2025 document names no values at all; the 2023 enum is put back.
    assert.deepEqual(prop('GET /users', 'query', 'status').enum, ['active', 'inactive', 'pending']);

    // Meetings: the 2023 spec's schema as it is (the 2025 Users document has no Meetings paths), less
    // what the script leaves to the handler (weekly_days lists).
    assert.equal(documentBody(s25, 'POST', '/users/{userId}/meetings'), undefined);
    const meeting23 = extraction.clean(documentBody(s23, 'POST', '/users/{userId}/meetings'));
    delete propertyOf(propertyOf(meeting23, 'recurrence'), 'weekly_days').enum;
    assert.deepEqual(users['POST /users/{userId}/meetings']?.body, meeting23);
  });

  // docs/compatibility.md, "`oneOf` in the documents".
  test("oneOf is read as anyOf: a settings PATCH valid for several of the 2025 document's alternatives is accepted", async () => {
    assert.equal(hasKey(schemas, 'oneOf'), false, 'no oneOf is left in the extracted schemas');
    const raw = documentBody(extraction.readDocuments().s25, 'PATCH', '/users/{userId}/settings');
    assert.ok(Array.isArray(raw?.oneOf), 'the 2025 document writes the settings body as a oneOf');
    // None of the alternatives requires a property, so this body is valid for every one of them.
    const body = { in_meeting: { chat: false } };
    const ajv = new AjvModule.default({
      strict: false,
      allErrors: true,
      validateSchema: false,
      validateFormats: false,
    });
    const strictOneOf = ajv.compile(raw as Json);
    assert.equal(strictOneOf(body), false, 'a strict oneOf refuses it');
    assert.ok(strictOneOf.errors?.some((e) => e.keyword === 'oneOf'));
    const res = await z.api('PATCH', `/users/${z.demo.user_id}/settings`, token, body);
    assert.equal(res.status, 204, res.text);
    const got = await z.api('GET', `/users/${z.demo.user_id}/settings`, token);
    assert.equal(got.body.in_meeting.chat, false);
    await z.api('PATCH', `/users/${z.demo.user_id}/settings`, token, { in_meeting: { chat: true } });
  });

  for (const [key, op] of Object.entries(OPERATIONS)) {
    const [method, template] = key.split(' ') as [string, string];
    if (!op.body?.properties) continue;
    test(`${key}: each field's wrong type, enum and length is 300 naming the field; nothing changes`, async () => {
      const path = template.replace('{userId}', z.demo.user_id).replace('{meetingId}', meetingId ?? '1');
      const stateBefore = await z.api('GET', `/users/${z.demo.user_id}`, token);
      let checked = 0;
      for (const [field, schema] of Object.entries(op.body!.properties!)) {
        for (const bad of badValues(schema)) {
          const res = await z.api(method, path, token, { [field]: bad.value });
          assert.equal(res.status, 400, `${key} ${field} as ${bad.label}: ${res.text}`);
          assert.equal(res.body.code, 300, `${key} ${field} as ${bad.label}`);
          assert.equal(res.body.message, 'Validation Failed.');
          assert.ok(
            res.body.errors.some((e: { field: string }) => e.field === field),
            `${key} ${field} as ${bad.label}: ${JSON.stringify(res.body.errors)}`,
          );
          checked++;
        }
      }
      assert.ok(checked > 0, `${key}: no field was checked`);
      const stateAfter = await z.api('GET', `/users/${z.demo.user_id}`, token);
      assert.deepEqual(stateAfter.body, stateBefore.body, 'a refused request changes nothing');
    });
  }
});
