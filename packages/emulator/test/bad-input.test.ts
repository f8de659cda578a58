import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

/** Bad input never yields a 500, a stack trace or a half-written record. */
describe('bad input gets a Zoom-shaped error', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu({ bodyLimit: 64 * 1024 });
    token = await z.s2sToken();
  });
  after(() => z.close());

  interface Row {
    name: string;
    method: string;
    path: () => string;
    headers?: () => Record<string, string>;
    body?: string;
    status: number;
    body_has: Record<string, unknown>;
  }
  const auth = () => ({ authorization: `Bearer ${token}` });
  const rows: Row[] = [
    {
      name: 'malformed JSON to the control API',
      method: 'POST',
      path: () => '/_zemu/accounts',
      headers: () => ({ 'content-type': 'application/json' }),
      body: '{"owner": {',
      status: 400,
      body_has: { code: 300, message: 'Request Body should be a valid JSON object.' },
    },
    {
      name: 'malformed JSON to the token endpoint (OAuth shape)',
      method: 'POST',
      path: () => `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
      headers: () => ({ ...basicDemo(), 'content-type': 'application/json' }),
      body: '{nope',
      status: 400,
      body_has: { error: 'invalid_request', reason: 'Request Body should be a valid JSON object.' },
    },
    {
      name: 'a JSON array where an object is expected',
      method: 'POST',
      path: () => '/_zemu/accounts',
      headers: () => ({ 'content-type': 'application/json' }),
      body: '[1,2]',
      status: 400,
      body_has: { code: 300, message: 'Validation Failed.' },
    },
    {
      name: 'an unsupported content type',
      method: 'POST',
      path: () => '/_zemu/accounts',
      headers: () => ({ 'content-type': 'text/xml' }),
      body: '<a/>',
      status: 415,
      body_has: { code: 300 },
    },
    {
      name: 'an oversized body',
      method: 'POST',
      path: () => '/_zemu/accounts',
      headers: () => ({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'x'.repeat(70 * 1024), owner: { email: 'big@x.test' } }),
      status: 413,
      body_has: { code: 300 },
    },
    {
      name: 'an unknown /v2 route',
      method: 'GET',
      path: () => '/v2/nothing/here',
      headers: auth,
      status: 404,
      body_has: { code: 404, message: 'Not Found.' },
    },
    {
      name: 'an unknown top-level route',
      method: 'GET',
      path: () => '/wp-admin.php',
      status: 404,
      body_has: { code: 404 },
    },
    {
      name: 'a known path with the wrong method',
      method: 'DELETE',
      path: () => '/oauth/token',
      status: 405,
      body_has: { error: 'invalid_request' },
    },
    {
      name: 'a known /v2 path with the wrong method',
      method: 'PUT',
      path: () => '/v2/users/me/zak',
      headers: auth,
      status: 405,
      body_has: { code: 405 },
    },
    {
      name: 'a very long userId',
      method: 'GET',
      path: () => `/v2/users/${'a'.repeat(1500)}`,
      headers: auth,
      status: 404,
      body_has: { code: 1001 },
    },
    {
      name: 'an absurdly long userId',
      method: 'GET',
      path: () => `/v2/users/${'a'.repeat(5000)}`,
      headers: auth,
      status: 414,
      body_has: { code: 300 },
    },
    {
      name: 'a userId of percent-encoded garbage',
      method: 'GET',
      path: () => '/v2/users/%00%ff%fe/token?type=zak',
      headers: auth,
      status: 400,
      body_has: { code: 300 },
    },
    {
      name: 'a broken percent escape in the path',
      method: 'GET',
      path: () => '/v2/users/%E0%A4%A',
      headers: auth,
      status: 400,
      body_has: { code: 300 },
    },
    {
      name: 'repeated query parameters',
      method: 'GET',
      path: () => `/v2/users/${z.demo.user_id}/token?type=zak&type=token&ttl=1&ttl=2`,
      headers: auth,
      status: 400,
      body_has: { code: 300, message: 'Validation Failed.' },
    },
    {
      name: 'a user with an invalid email through the control API',
      method: 'POST',
      path: () => `/_zemu/accounts/${z.demo.account_id}/users`,
      headers: () => ({ 'content-type': 'application/json' }),
      body: JSON.stringify({ email: 'not-an-email', type: 'x' }),
      status: 400,
      body_has: { code: 300, message: 'Validation Failed.' },
    },
    {
      name: 'an app with an unknown type',
      method: 'POST',
      path: () => `/_zemu/accounts/${z.demo.account_id}/apps`,
      headers: () => ({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'x', type: 'mystery', scopes: 'all' }),
      status: 400,
      body_has: { code: 300 },
    },
    {
      name: 'a clock change with nonsense',
      method: 'POST',
      path: () => '/_zemu/clock',
      headers: () => ({ 'content-type': 'application/json' }),
      body: JSON.stringify({ advance: 'soon' }),
      status: 400,
      body_has: { code: 300 },
    },
    {
      name: 'a form body with a huge grant_type',
      method: 'POST',
      path: () => '/oauth/token',
      headers: () => ({ ...basicDemo(), 'content-type': 'application/x-www-form-urlencoded' }),
      body: `grant_type=${'g'.repeat(10000)}`,
      status: 400,
      body_has: { error: 'unsupported_grant_type' },
    },
  ];
  const basicDemo = () => ({ authorization: basic(z.demo.client_id, z.demo.client_secret) });

  for (const row of rows) {
    test(`${row.name} -> ${row.status}`, async () => {
      const res = await z.request(row.method, row.path(), { headers: row.headers?.(), body: row.body });
      assert.equal(res.status, row.status, res.text.slice(0, 300));
      assert.ok(res.body && typeof res.body === 'object', `not JSON: ${res.text.slice(0, 100)}`);
      for (const [key, value] of Object.entries(row.body_has)) assert.deepEqual(res.body[key], value, key);
      assert.doesNotMatch(res.text, /at .*\.(ts|js):\d+/, 'no stack trace');
      assert.ok(res.text.length < 2000, 'the answer does not echo megabytes');
    });
  }

  test('a rejected account leaves no half-written record', async () => {
    const before = await z.zemu.built.ctx.store.accounts.list();
    const dup = await z.control('POST', '/accounts', { name: 'dup', owner: { email: z.demo.email } });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body, { code: 1005, message: `Email ${z.demo.email} has already been used.` });
    const afterList = await z.zemu.built.ctx.store.accounts.list();
    assert.equal(afterList.length, before.length, 'the account row of the failed creation was rolled back');
  });
});
