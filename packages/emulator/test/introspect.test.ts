import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestZemu, type TestZemu } from './helpers.js';

describe('POST /_zemu/tokens/introspect', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  const inspect = async (token: string) => {
    const res = await z.control('POST', '/tokens/introspect', { token });
    assert.equal(res.status, 200);
    return res.body;
  };

  test('describes a valid access token: who, which app, which scopes, when', async () => {
    const token = await z.s2sToken();
    const info = await inspect(token);
    assert.equal(info.active, true);
    assert.equal(info.kind, 'access_token');
    assert.equal(info.reason, undefined);
    assert.equal(info.account_id, z.demo.account_id);
    assert.equal(info.client_id, z.demo.client_id);
    assert.equal(info.user_id, z.demo.user_id);
    assert.equal(info.grant_type, 'account_credentials');
    assert.ok(info.scopes.includes('user:read:zak:admin'));
    assert.equal(Date.parse(info.expires_at) - Date.parse(info.issued_at), 3600_000);
  });

  test('says an expired token expired, and when', async () => {
    const token = await z.s2sToken();
    const before = await inspect(token);
    await z.control('POST', '/clock', { advance: 3600 });
    const info = await inspect(token);
    assert.equal(info.active, false);
    assert.equal(info.reason, `expired at ${before.expires_at}`);
    assert.equal(info.client_id, z.demo.client_id);
  });

  test('says a revoked token was revoked, when and why (the stored revocation reason)', async () => {
    const token = await z.s2sToken();
    const { token_id } = await inspect(token);
    // Revoke as the OAuth server does (revoke endpoint, refresh rotation, tolerance invalidation).
    const at = Date.parse('2030-01-01T00:00:00Z');
    await z.zemu.built.ctx.store.tokens.revoke(token_id, at, 'invalidated by a newer token');
    const info = await inspect(token);
    assert.equal(info.active, false);
    assert.equal(info.reason, 'revoked at 2030-01-01T00:00:00.000Z: invalidated by a newer token');
    assert.equal(info.revoked_reason, 'invalidated by a newer token');
    assert.equal(info.revoked_at, '2030-01-01T00:00:00.000Z');
  });

  test('says a token whose app was disabled no longer works', async () => {
    const account = await z.control('POST', '/accounts', { owner: { email: 'intro-owner@example.com' } });
    const app = await z.control('POST', `/accounts/${account.body.id}/apps`, {
      name: 'soon disabled',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
    });
    const token = await z.s2sToken({
      account_id: account.body.id,
      client_id: app.body.client_id,
      client_secret: app.body.client_secret,
    });
    await z.zemu.built.ctx.store.db
      .updateTable('apps')
      .set({ enabled: 0 })
      .where('client_id', '=', app.body.client_id)
      .execute();
    const info = await inspect(token);
    assert.equal(info.active, false);
    assert.equal(info.reason, `app ${app.body.client_id} is disabled`);
  });

  test('says a token invalidated by a newer one (legacy single-token mode) is revoked, and why', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'legacy s2s',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
      settings: { legacy_single_token: true },
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    const creds = {
      account_id: z.demo.account_id,
      client_id: app.body.client_id,
      client_secret: app.body.client_secret,
    };
    const older = await z.s2sToken(creds);
    await z.s2sToken(creds);
    const info = await inspect(older);
    assert.equal(info.active, false);
    assert.match(info.reason, /invalidated by a newer token/);
    assert.equal((await z.api('GET', '/users/me', older)).body.code, 124);
  });

  test('says what a ZAK is and whose', async () => {
    const token = await z.s2sToken();
    const zak = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=60`, token);
    const info = await inspect(zak.body.token);
    assert.equal(info.kind, 'zak');
    assert.equal(info.active, true);
    assert.equal(info.user_id, z.demo.user_id);
    await z.control('POST', '/clock', { advance: 61 });
    const later = await inspect(zak.body.token);
    assert.equal(later.active, false);
    assert.match(later.reason, /^expired at /);
  });

  test('says a foreign or garbled token is not a Zemu token', async () => {
    const forged = `${Buffer.from('{"alg":"HS512"}').toString('base64url')}.${Buffer.from('{"typ":"access","jti":"x"}').toString('base64url')}.c2ln`;
    for (const token of ['hello', forged]) {
      const info = await inspect(token);
      assert.equal(info.active, false);
      assert.equal(info.kind, 'unknown');
      assert.match(info.reason, /^not a Zemu token/);
    }
    const missing = await z.control('POST', '/tokens/introspect', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 300);
  });
});
