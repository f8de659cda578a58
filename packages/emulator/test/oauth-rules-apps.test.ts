import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../src/context.js';
import { authenticate } from '../src/guard/bearer.js';
import { basic, issuedUserToken, startTestZemu, type TestZemu } from './helpers.js';

/** The reason in words that the request log gets for a rejected bearer token. */
async function rejection(ctx: Ctx, token: string) {
  try {
    await authenticate(ctx, `Bearer ${token}`, undefined);
  } catch (error) {
    return error as { status: number; code: number; message: string; reason?: string };
  }
  throw new Error('token was accepted');
}

describe('app rules: enabled, disabled, deleted apps; deactivated and deleted users', () => {
  let z: TestZemu;
  let ctx: Ctx;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
  });
  after(() => z.close());

  async function newS2sApp(extra: Record<string, unknown> = {}) {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'rules',
      type: 'server_to_server',
      scopes: ['user:read:user:admin', 'user:read:admin'],
      ...extra,
    });
    assert.equal(res.status, 201, res.text);
    return {
      account_id: z.demo.account_id,
      client_id: res.body.client_id,
      client_secret: res.body.client_secret,
    };
  }

  test('PATCH /_zemu/apps/{id} disables an app: token endpoint says "The app has been disabled", live tokens get 124', async () => {
    const creds = await newS2sApp();
    const token = await z.s2sToken(creds);
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);

    const patched = await z.control('PATCH', `/apps/${creds.client_id}`, { enabled: false });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.enabled, false);

    const denied = await z.api('GET', '/users/me', token);
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.body, { code: 124, message: 'Invalid access token.' });
    assert.match((await rejection(ctx, token)).reason ?? '', /app .* is disabled/);

    const again = await z.request(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${creds.account_id}`,
      { headers: { authorization: basic(creds.client_id, creds.client_secret) } },
    );
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, { reason: 'The app has been disabled', error: 'invalid_client' });

    // Re-enabling brings the still-unexpired token back, as the token itself was never revoked.
    await z.control('PATCH', `/apps/${creds.client_id}`, { enabled: true });
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
  });

  test('PATCH changes scopes, redirect URIs and merges settings; bad fields are 400 300', async () => {
    const creds = await newS2sApp();
    const res = await z.control('PATCH', `/apps/${creds.client_id}`, {
      scopes: ['user:read:admin'],
      redirect_uris: ['https://example.com/cb/'],
      settings: { legacy_single_token: true, token_tolerance: 2 },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.scopes, ['user:read:admin']);
    assert.deepEqual(res.body.redirect_uris, ['https://example.com/cb/']);
    assert.deepEqual(res.body.settings, { legacy_single_token: true, token_tolerance: 2 });
    const merged = await z.control('PATCH', `/apps/${creds.client_id}`, {
      settings: { token_tolerance: null },
    });
    assert.deepEqual(merged.body.settings, { legacy_single_token: true });

    const bad = await z.control('PATCH', `/apps/${creds.client_id}`, {
      enabled: 'no',
      redirect_uris: ['not a url'],
      settings: { token_tolerance: 0 },
      colour: 'red',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), [
      'colour',
      'enabled',
      'redirect_uris',
      'settings.token_tolerance',
    ]);
    assert.equal((await z.control('PATCH', '/apps/nope', { enabled: false })).status, 404);
  });

  test('DELETE /_zemu/apps/{id}: its tokens fail with 124 and say the app was deleted; the client is unknown', async () => {
    const creds = await newS2sApp();
    const token = await z.s2sToken(creds);
    const del = await z.control('DELETE', `/apps/${creds.client_id}`);
    assert.equal(del.status, 204);
    const denied = await z.api('GET', '/users/me', token);
    assert.equal(denied.status, 401);
    assert.equal(denied.body.code, 124);
    assert.match((await rejection(ctx, token)).reason ?? '', /deleted/);
    const tokenRes = await z.request(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${creds.account_id}`,
      { headers: { authorization: basic(creds.client_id, creds.client_secret) } },
    );
    assert.equal(tokenRes.body.error, 'invalid_client');
    assert.equal((await z.control('GET', `/apps/${creds.client_id}`)).status, 404);
  });

  test('a deactivated user loses access (124, reason "deactivated"); reactivated, the token works again', async () => {
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'deact@example.com',
    });
    assert.equal(user.status, 201, user.text);
    const token = await issuedUserToken(z, {
      clientId: z.demo.client_id,
      userId: user.body.id,
      scopes: ['user:read:user'],
    });
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    await ctx.store.db
      .updateTable('users')
      .set({ status: 'inactive' })
      .where('id', '=', user.body.id)
      .execute();
    const denied = await z.api('GET', '/users/me', token);
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.body, { code: 124, message: 'Invalid access token.' });
    assert.match((await rejection(ctx, token)).reason ?? '', /deactivated/);
    await ctx.store.db
      .updateTable('users')
      .set({ status: 'active' })
      .where('id', '=', user.body.id)
      .execute();
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
  });

  test('deleting a user makes their tokens fail with 124 and says so', async () => {
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'gone@example.com',
    });
    const token = await issuedUserToken(z, {
      clientId: z.demo.client_id,
      userId: user.body.id,
      scopes: ['user:read:user'],
    });
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    await ctx.store.db.deleteFrom('users').where('id', '=', user.body.id).execute();
    const denied = await z.api('GET', '/users/me', token);
    assert.equal(denied.status, 401);
    assert.equal(denied.body.code, 124);
    assert.match((await rejection(ctx, token)).reason ?? '', /was deleted/);
  });
});

describe('rule settings are checked when an app is created', () => {
  test('a mistyped token_tolerance or flag is 400 300 naming the field', async () => {
    const z = await startTestZemu();
    try {
      const res = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'typo',
        type: 'server_to_server',
        settings: { token_tolerance: '2', legacy_single_token: 'yes' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 300);
      assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), [
        'settings.legacy_single_token',
        'settings.token_tolerance',
      ]);
    } finally {
      await z.close();
    }
  });
});
