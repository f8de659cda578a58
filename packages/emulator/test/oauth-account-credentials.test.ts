import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

describe('POST /oauth/token grant_type=account_credentials', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  const tokenUrl = (accountId: string) =>
    `/oauth/token?grant_type=account_credentials&account_id=${accountId}`;

  test('issues a bearer JWT with Zoom fields, by query string and Basic auth', async () => {
    const res = await z.request('POST', tokenUrl(z.demo.account_id), {
      headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'api_url',
      'expires_in',
      'scope',
      'token_type',
    ]);
    assert.equal(res.body.token_type, 'bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(typeof res.body.scope, 'string');
    assert.ok(res.body.scope.split(' ').includes('user:read:token:admin'));
    assert.equal(res.body.api_url, z.url);
    assert.match(res.body.access_token, /^eyJ/);
    const header = JSON.parse(Buffer.from(res.body.access_token.split('.')[0], 'base64url').toString());
    assert.equal(header.alg, 'HS512');
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.aid, z.demo.account_id);
    assert.equal(claims.uid, z.demo.user_id);
    assert.equal(claims.cid, z.demo.client_id);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.ok(res.headers.get('x-zm-trackingid'));
  });

  test('accepts the parameters in a form body', async () => {
    const res = await z.request('POST', '/oauth/token', {
      headers: {
        authorization: basic(z.demo.client_id, z.demo.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=account_credentials&account_id=${z.demo.account_id}`,
    });
    assert.equal(res.status, 200);
  });

  test('accepts a JSON content type with an empty body, and with no body at all', async () => {
    for (const body of ['', undefined]) {
      const res = await z.request('POST', tokenUrl(z.demo.account_id), {
        headers: {
          authorization: basic(z.demo.client_id, z.demo.client_secret),
          'content-type': 'application/json',
        },
        body,
      });
      assert.equal(res.status, 200, res.text);
    }
  });

  test('accepts client_id and client_secret as parameters', async () => {
    const res = await z.request(
      'POST',
      `${tokenUrl(z.demo.account_id)}&client_id=${z.demo.client_id}&client_secret=${z.demo.client_secret}`,
    );
    assert.equal(res.status, 200, res.text);
  });

  // docs/compatibility.md, "Client authentication at /oauth/token".
  test('client credentials as form parameters work too; with Basic and parameters both sent, Basic wins', async () => {
    const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      z.request('POST', '/oauth/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({
          grant_type: 'account_credentials',
          account_id: z.demo.account_id,
          ...fields,
        }).toString(),
      });
    const inForm = await form({ client_id: z.demo.client_id, client_secret: z.demo.client_secret });
    assert.equal(inForm.status, 200, inForm.text);
    const rightBasic = await form(
      { client_id: z.demo.client_id, client_secret: 'wrong-secret-wrong-secret' },
      { authorization: basic(z.demo.client_id, z.demo.client_secret) },
    );
    assert.equal(rightBasic.status, 200, 'a right Basic header wins over wrong parameters');
    const wrongBasic = await form(
      { client_id: z.demo.client_id, client_secret: z.demo.client_secret },
      { authorization: basic(z.demo.client_id, 'wrong-secret-wrong-secret') },
    );
    assert.equal(wrongBasic.status, 400, 'a wrong Basic header is not rescued by right parameters');
    assert.deepEqual(wrongBasic.body, {
      reason: 'Invalid client_id or client_secret',
      error: 'invalid_client',
    });
  });

  test('several tokens of one app stay valid together', async () => {
    const first = await z.s2sToken();
    const second = await z.s2sToken();
    assert.notEqual(first, second);
    for (const token of [first, second]) {
      assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    }
  });

  const failures: [string, () => [string, Record<string, string>], number, object][] = [
    [
      'wrong secret',
      () => [
        tokenUrl(z.demo.account_id),
        { authorization: basic(z.demo.client_id, 'wrong-secret-wrong-secret') },
      ],
      400,
      { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    ],
    [
      'unknown client',
      () => [tokenUrl(z.demo.account_id), { authorization: basic('nosuchclient', z.demo.client_secret) }],
      400,
      { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    ],
    [
      'no client authentication',
      () => [tokenUrl(z.demo.account_id), {}],
      400,
      { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    ],
    [
      'garbled Basic header',
      () => [tokenUrl(z.demo.account_id), { authorization: 'Basic %%%' }],
      400,
      { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    ],
    [
      'wrong account_id',
      () => [
        tokenUrl('someoneElsesAccount'),
        { authorization: basic(z.demo.client_id, z.demo.client_secret) },
      ],
      400,
      { reason: 'Invalid account_id', error: 'invalid_request' },
    ],
    [
      'missing account_id',
      () => [
        '/oauth/token?grant_type=account_credentials',
        { authorization: basic(z.demo.client_id, z.demo.client_secret) },
      ],
      400,
      { reason: 'Missing account_id', error: 'invalid_request' },
    ],
    [
      'missing grant_type',
      () => [
        `/oauth/token?account_id=${z.demo.account_id}`,
        { authorization: basic(z.demo.client_id, z.demo.client_secret) },
      ],
      400,
      { reason: 'unsupported grant type', error: 'unsupported_grant_type' },
    ],
    [
      'unsupported grant_type',
      () => [
        `/oauth/token?grant_type=password&account_id=${z.demo.account_id}`,
        { authorization: basic(z.demo.client_id, z.demo.client_secret) },
      ],
      400,
      { reason: 'unsupported grant type', error: 'unsupported_grant_type' },
    ],
  ];
  for (const [name, make, status, body] of failures) {
    test(`fails as Zoom does: ${name}`, async () => {
      const [path, headers] = make();
      const res = await z.request('POST', path, { headers });
      assert.equal(res.status, status);
      assert.deepEqual(res.body, body);
    });
  }

  test('an app of another type cannot use account_credentials', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'user app',
      type: 'oauth_user',
      scopes: ['user:read'],
      redirect_uris: ['https://example.com/cb'],
    });
    assert.equal(app.status, 201, app.text);
    const res = await z.request('POST', tokenUrl(z.demo.account_id), {
      headers: { authorization: basic(app.body.client_id, app.body.client_secret) },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
  });

  test('client secrets are stored hashed, never in clear', async () => {
    const rows = await z.zemu.built.ctx.store.db.selectFrom('apps').selectAll().execute();
    for (const row of rows) {
      assert.ok(!JSON.stringify(row).includes(z.demo.client_secret));
      assert.match(row.client_secret_hash, /^[0-9a-f]{64}$/);
    }
  });
});
