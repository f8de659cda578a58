/**
 * Security review of the control surface: the admin token is compared in constant time, the control
 * API (and the console path) send no permissive CORS headers, and the request log never holds a
 * secret in clear (client secrets, refresh tokens, passwords, authorization headers).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { after, before, describe, mock, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { adminGate } from '../src/control/admin-gate.js';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

describe('the admin token', () => {
  test('is compared with crypto.timingSafeEqual on equal-length buffers, also for a wrong length', async () => {
    const z = await startTestZemu({ adminToken: 'the-admin-token-0123456789abcdef' });
    const spy = mock.method(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    try {
      const { ctx } = z.zemu.built;
      const gate = adminGate(ctx);
      const from = (authorization: string) =>
        ({ socket: { remoteAddress: '10.1.2.3' }, headers: { authorization } }) as unknown as FastifyRequest;
      for (const [token, ok] of [
        ['the-admin-token-0123456789abcdef', true],
        ['the-admin-token-0123456789abcdeX', false],
        ['short', false],
        ['the-admin-token-0123456789abcdef-and-more', false],
      ] as const) {
        const before = spy.mock.callCount();
        const outcome = await gate(from(`Bearer ${token}`)).then(
          () => true,
          (error: { status?: number; code?: number }) => {
            assert.deepEqual([error.status, error.code], [401, 124]);
            return false;
          },
        );
        assert.equal(outcome, ok, token);
        assert.equal(spy.mock.callCount(), before + 1, `one timingSafeEqual call for ${token}`);
        const [left, right] = spy.mock.calls[spy.mock.calls.length - 1]!.arguments as [Buffer, Buffer];
        assert.equal(left.length, right.length, 'equal lengths: the time does not tell the length');
      }
    } finally {
      spy.mock.restore();
      syncBuiltinESMExports();
      await z.close();
    }
  });
});

describe('no permissive CORS on the control API or the console', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  for (const [method, path] of [
    ['GET', '/_zemu/health'],
    ['GET', '/_zemu/requests'],
    ['POST', '/_zemu/clock'],
    ['OPTIONS', '/_zemu/clock'],
    ['OPTIONS', '/_zemu/health'],
    ['GET', '/_zemu/console'],
    ['OPTIONS', '/_zemu/console'],
  ] as const) {
    test(`${method} ${path} from another origin: no Access-Control-Allow-* header`, async () => {
      const res = await z.request(method, path, {
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(method === 'POST' ? { body: '{"advance":1}' } : {}),
      });
      assert.ok(res.status < 500, `${res.status} ${res.text}`);
      for (const [name] of res.headers) {
        assert.ok(!name.startsWith('access-control-'), `${name}: ${res.headers.get(name)}`);
      }
    });
  }
});

describe('the request log holds no secret in clear', () => {
  test('client secrets, refresh tokens, codes, passwords and authorization headers are absent from GET /_zemu/requests', async () => {
    const z = await startTestZemu();
    try {
      const secrets: string[] = [z.demo.client_secret];
      // Basic credentials in the header, and the secret again in the query string.
      const s2s = await z.request(
        'POST',
        `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}&client_secret=${z.demo.client_secret}`,
        { headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) } },
      );
      assert.equal(s2s.status, 200, s2s.text);
      const access = s2s.body.access_token as string;
      secrets.push(access, basic(z.demo.client_id, z.demo.client_secret).slice(6));
      // A user password through the API, in a body.
      const password = 'Sup3r-Secret-Passw0rd!';
      secrets.push(password);
      const created = await z.api('POST', '/users', access, {
        action: 'autoCreate',
        user_info: { email: 'secret@log.test', type: 1, password },
      });
      assert.ok(created.status < 500, created.text);
      // The authorization-code grant: code, refresh token, a form-encoded secret.
      const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Log secrets',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: ['https://example.test/cb'],
      });
      assert.equal(app.status, 201, app.text);
      secrets.push(app.body.client_secret);
      const approved = await z.control('POST', '/oauth/approve', {
        client_id: app.body.client_id,
        user: z.demo.user_id,
        redirect_uri: 'https://example.test/cb',
      });
      const code = new URL(approved.body.redirect_to).searchParams.get('code') as string;
      secrets.push(code);
      const exchanged = await z.request('POST', '/oauth/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://example.test/cb',
          client_id: app.body.client_id,
          client_secret: app.body.client_secret,
        }).toString(),
      });
      assert.equal(exchanged.status, 200, exchanged.text);
      secrets.push(exchanged.body.access_token, exchanged.body.refresh_token);
      const refreshed = await z.request(
        'POST',
        `/oauth/token?grant_type=refresh_token&refresh_token=${exchanged.body.refresh_token}`,
        { headers: { authorization: basic(app.body.client_id, app.body.client_secret) } },
      );
      assert.equal(refreshed.status, 200, refreshed.text);
      secrets.push(refreshed.body.refresh_token);
      // A refused request with a bearer token and a wrong secret.
      await z.api('GET', '/users/me', `${access}x`);
      await z.request('POST', `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`, {
        headers: { authorization: basic(z.demo.client_id, 'wrong-secret-value-0000000000000') },
      });
      secrets.push('wrong-secret-value-0000000000000');

      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve)); // appended on the next tick
      const log = await z.control('GET', '/requests?limit=1000');
      assert.equal(log.status, 200, log.text);
      assert.ok(log.body.requests.length >= 6, log.text.slice(0, 300));
      const text = log.text;
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), `the request log holds ${secret.slice(0, 12)}…`);
      }
      assert.doesNotMatch(text, /"authorization"|Basic |Bearer /i);
    } finally {
      await z.close();
    }
  });
});

describe('exports, snapshots and the captured request log hold no secret in clear', () => {
  test('client secrets, refresh tokens, codes, passwords and authorization headers are absent from GET /_zemu/export, snapshot images and captured bodies', async () => {
    const z = await startTestZemu({ captureBodies: true });
    try {
      const demoBasic = basic(z.demo.client_id, z.demo.client_secret);
      const secrets: string[] = [z.demo.client_secret, z.demo.password, demoBasic.slice(6)];
      const s2s = await z.request(
        'POST',
        `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
        { headers: { authorization: demoBasic } },
      );
      assert.equal(s2s.status, 200, s2s.text);
      const access = s2s.body.access_token as string;
      secrets.push(access);
      const password = 'Exp0rt-Secret-Passw0rd!';
      secrets.push(password);
      const created = await z.api('POST', '/users', access, {
        action: 'autoCreate',
        user_info: { email: 'secret@export.test', type: 1, password },
      });
      assert.equal(created.status, 201, created.text);
      const newPassword = 'Upd4ted-Secret-Passw0rd!';
      secrets.push(newPassword);
      const changed = await z.api('PUT', `/users/${created.body.id}/password`, access, {
        password: newPassword,
      });
      assert.ok(changed.status < 300, changed.text);
      const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Export secrets',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: ['https://example.test/cb'],
      });
      assert.equal(app.status, 201, app.text);
      secrets.push(app.body.client_secret);
      const approved = await z.control('POST', '/oauth/approve', {
        client_id: app.body.client_id,
        user: z.demo.user_id,
        redirect_uri: 'https://example.test/cb',
      });
      const code = new URL(approved.body.redirect_to).searchParams.get('code') as string;
      secrets.push(code);
      const exchanged = await z.request('POST', '/oauth/token', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(app.body.client_id, app.body.client_secret),
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'https://example.test/cb',
        }).toString(),
      });
      assert.equal(exchanged.status, 200, exchanged.text);
      secrets.push(exchanged.body.access_token, exchanged.body.refresh_token);
      const refreshed = await z.request(
        'POST',
        `/oauth/token?grant_type=refresh_token&refresh_token=${exchanged.body.refresh_token}`,
        { headers: { authorization: basic(app.body.client_id, app.body.client_secret) } },
      );
      assert.equal(refreshed.status, 200, refreshed.text);
      secrets.push(refreshed.body.access_token, refreshed.body.refresh_token);

      assert.ok(
        secrets.every((s) => typeof s === 'string' && s.length >= 8),
        'every secret was got',
      );
      const exported = await z.control('GET', '/export');
      assert.equal(exported.status, 200, exported.text.slice(0, 300));
      const snapshot = await z.control('POST', '/snapshots', { name: 'with secrets' });
      assert.equal(snapshot.status, 201, snapshot.text);
      const image = await z.zemu.built.ctx.store.snapshots.image(snapshot.body.id);
      assert.ok(image && image.length > 1000, 'the snapshot image holds the world');
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      const log = await z.control('GET', '/requests?page_size=1000');
      assert.equal(log.status, 200, log.text);
      assert.ok(log.text.includes('"bodies"'), 'bodies were captured');

      for (const [where, text] of [
        ['GET /_zemu/export', exported.text],
        ['the snapshot image', image as string],
        ['GET /_zemu/snapshots', (await z.control('GET', '/snapshots')).text],
        ['GET /_zemu/requests with --capture-bodies', log.text],
      ] as const) {
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `${where} holds ${secret.slice(0, 12)}…`);
        }
        assert.doesNotMatch(text, /Basic [A-Za-z0-9+/=]{8}|Bearer [A-Za-z0-9._-]{8}/, where);
      }
      // What the export does hold: the hashes, and the installation key (see docs/security.md).
      assert.match(exported.text, /client_secret_hash/);
      assert.match(exported.text, /"installation_key"/);
    } finally {
      await z.close();
    }
  });
});
