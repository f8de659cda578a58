import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../src/context.js';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

describe('client_credentials (chatbot) and Server-to-Server token tolerance', () => {
  let z: TestZemu;
  let ctx: Ctx;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
  });
  after(() => z.close());

  async function newApp(type: string, settings: Record<string, unknown> = {}) {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: `${type} app`,
      type,
      scopes: type === 'chatbot' ? ['imchat:bot'] : ['user:read:user:admin', 'user:read:admin'],
      settings,
    });
    assert.equal(res.status, 201, res.text);
    return {
      account_id: z.demo.account_id,
      client_id: res.body.client_id,
      client_secret: res.body.client_secret,
    };
  }
  const token = (creds: { client_id: string; client_secret: string }, query: string) =>
    z.request('POST', `/oauth/token?${query}`, {
      headers: { authorization: basic(creds.client_id, creds.client_secret) },
    });

  test('client_credentials gives a chatbot app a userless token with no refresh token', async () => {
    const bot = await newApp('chatbot');
    const res = await token(bot, 'grant_type=client_credentials');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'api_url',
      'expires_in',
      'scope',
      'token_type',
    ]);
    assert.equal(res.body.scope, 'imchat:bot');
    assert.equal(res.body.expires_in, 3600);
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.uid, null);
    assert.equal(claims.gty, 'client_credentials');
    const list = await z.control('GET', `/apps/${bot.client_id}/tokens`);
    assert.equal(list.body.tokens[0].user_id, null);
    // Scopes come first: a token holding no Users scope is 4711 on /users/me. (With one, `me` is nobody:
    // fidelity.test.ts shows the 404 1001.)
    const me = await z.api('GET', '/users/me', res.body.access_token);
    assert.equal(me.status, 400);
    assert.equal(me.body.code, 4711);
  });

  test('client_credentials is unsupported_grant_type for every other app type; chatbots cannot use account_credentials', async () => {
    const s2s = await newApp('server_to_server');
    const res = await token(s2s, 'grant_type=client_credentials');
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
    for (const type of ['oauth_user', 'oauth_account', 'jwt']) {
      const other = await newApp(type);
      assert.equal(
        (await token(other, 'grant_type=client_credentials')).body.error,
        'unsupported_grant_type',
      );
    }
    const bot = await newApp('chatbot');
    const s = await token(bot, `grant_type=account_credentials&account_id=${z.demo.account_id}`);
    assert.equal(s.body.error, 'unsupported_grant_type');
  });

  test('by default several S2S tokens stay live at once (index is ignored)', async () => {
    const app = await newApp('server_to_server');
    const q = `grant_type=account_credentials&account_id=${z.demo.account_id}`;
    const first = (await token(app, q)).body.access_token;
    const second = (await token(app, `${q}&index=7`)).body.access_token;
    assert.equal((await z.api('GET', '/users/me', first)).status, 200);
    assert.equal((await z.api('GET', '/users/me', second)).status, 200);
  });

  test('legacy_single_token: a new token revokes the older one (401 124 on demand) with the reason recorded', async () => {
    const app = await newApp('server_to_server', { legacy_single_token: true });
    const q = `grant_type=account_credentials&account_id=${z.demo.account_id}`;
    const first = (await token(app, q)).body.access_token;
    assert.equal((await z.api('GET', '/users/me', first)).status, 200);
    ctx.clock.advance(5);
    const second = await token(app, q);
    assert.equal(second.status, 200);
    const denied = await z.api('GET', '/users/me', first);
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.body, { code: 124, message: 'Invalid access token.' });
    assert.equal((await z.api('GET', '/users/me', second.body.access_token)).status, 200);
    const list = await z.control('GET', `/apps/${app.client_id}/tokens`);
    const revoked = list.body.tokens.find((t: { revoked_at: string | null }) => t.revoked_at !== null);
    assert.match(revoked.revoked_reason, /^invalidated by a newer token issued at \d{4}-\d\d-\d\dT/);
  });

  test('legacy mode with index: different indexes coexist, the same index replaces, outside the tolerance is an error', async () => {
    const app = await newApp('server_to_server', { legacy_single_token: true, token_tolerance: 2 });
    const q = `grant_type=account_credentials&account_id=${z.demo.account_id}`;
    const a0 = (await token(app, `${q}&index=0`)).body.access_token;
    const a1 = (await token(app, `${q}&index=1`)).body.access_token;
    assert.equal((await z.api('GET', '/users/me', a0)).status, 200);
    assert.equal((await z.api('GET', '/users/me', a1)).status, 200);
    const b0 = (await token(app, `${q}&index=0`)).body.access_token;
    assert.equal((await z.api('GET', '/users/me', a0)).status, 401);
    assert.equal((await z.api('GET', '/users/me', a1)).status, 200);
    assert.equal((await z.api('GET', '/users/me', b0)).status, 200);

    for (const bad of ['2', '-1', 'x', '99999']) {
      const res = await token(app, `${q}&index=${bad}`);
      assert.equal(res.status, 400, bad);
      assert.deepEqual(res.body, {
        reason: 'The index is out of the tolerance range (0 to 1).',
        error: 'invalid_request',
      });
    }
    // A token without index replaces every older token of the app.
    const c = (await token(app, q)).body.access_token;
    assert.equal((await z.api('GET', '/users/me', a1)).status, 401);
    assert.equal((await z.api('GET', '/users/me', b0)).status, 401);
    assert.equal((await z.api('GET', '/users/me', c)).status, 200);
  });
});
