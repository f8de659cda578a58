/**
 * Request validation follows Zoom's own OpenAPI documents: for every operation Zemu serves whose body
 * the spec describes, a value of the wrong type, an out-of-enum value and an over-long string in each
 * top-level field is answered 400 code 300 "Validation Failed." naming that field, and the stored state
 * does not change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import schemas from '../src/api/spec/request-schemas.json' with { type: 'json' };
import { specPath, toFieldErrors } from '../src/api/spec/validate.js';
import { startTestZemu, type TestZemu } from './helpers.js';

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
