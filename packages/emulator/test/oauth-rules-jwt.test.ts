import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSigner } from 'fast-jwt';
import type { Ctx } from '../src/context.js';
import { startTestZemu, type TestZemu } from './helpers.js';

describe('legacy JWT apps: HS256 JWTs signed with the API secret', () => {
  let z: TestZemu;
  let ctx: Ctx;
  let apiKey: string;
  let apiSecret: string;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'legacy',
      type: 'jwt',
    });
    assert.equal(created.status, 201, created.text);
    apiKey = created.body.client_id;
    const shown = await z.control('GET', `/apps/${apiKey}`);
    assert.equal(shown.body.api_key, apiKey);
    apiSecret = shown.body.api_secret;
    assert.match(apiSecret, /^[A-Za-z0-9]{20,}$/);
  });
  after(() => z.close());

  const jwt = (claims: Record<string, unknown>, secret = apiSecret) =>
    createSigner({ key: secret, algorithm: 'HS256', noTimestamp: true })(claims);
  const now = () => ctx.clock.nowSeconds();

  test('off by default, as Zoom retired JWT apps: 401 124', async () => {
    const res = await z.api('GET', '/users/me', jwt({ iss: apiKey, exp: now() + 60 }));
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { code: 124, message: 'Invalid access token.' });
  });

  test('enabled per app: accepted as Bearer and as ?access_token=, acting account-wide as the owner', async () => {
    assert.equal(
      (await z.control('PATCH', `/apps/${apiKey}`, { settings: { jwt_enabled: true } })).status,
      200,
    );
    const token = jwt({ iss: apiKey, exp: now() + 60 });
    const me = await z.api('GET', '/users/me', token);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.id, z.demo.user_id);
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'someone@example.com',
    });
    assert.equal((await z.api('GET', `/users/${user.body.id}`, token)).status, 200);
    const viaQuery = await z.request('GET', `/v2/users/me?access_token=${token}`);
    assert.equal(viaQuery.status, 200, viaQuery.text);
  });

  test('wrong secret, missing exp, unknown API key and expiry are 124', async () => {
    await z.control('PATCH', `/apps/${apiKey}`, { settings: { jwt_enabled: true } });
    const wrong = await z.api(
      'GET',
      '/users/me',
      jwt({ iss: apiKey, exp: now() + 60 }, 'not-the-secret-at-all'),
    );
    assert.deepEqual(wrong.body, { code: 124, message: 'Invalid access token.' });
    assert.equal((await z.api('GET', '/users/me', jwt({ iss: apiKey }))).body.code, 124);
    assert.equal((await z.api('GET', '/users/me', jwt({ iss: 'nobody', exp: now() + 60 }))).body.code, 124);
    const token = jwt({ iss: apiKey, exp: now() + 60 });
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    ctx.clock.advance(61);
    const expired = await z.api('GET', '/users/me', token);
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { code: 124, message: 'Access token is expired.' });
  });

  test('a disabled JWT app is refused; the global flag enables JWT apps without the setting', async () => {
    await z.control('PATCH', `/apps/${apiKey}`, { settings: { jwt_enabled: null }, enabled: false });
    const token = jwt({ iss: apiKey, exp: now() + 60 });
    assert.equal((await z.api('GET', '/users/me', token)).status, 401);
    await z.control('PATCH', `/apps/${apiKey}`, { enabled: true });
    assert.equal((await z.api('GET', '/users/me', token)).status, 401);
    ctx.config.jwtApps = true;
    try {
      assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    } finally {
      ctx.config.jwtApps = false;
    }
  });

  test('an HS256 JWT naming a non-JWT app (e.g. signed with an S2S client secret) is refused', async () => {
    const token = jwt({ iss: z.demo.client_id, exp: now() + 60 }, z.demo.client_secret);
    assert.equal((await z.api('GET', '/users/me', token)).status, 401);
  });
});
