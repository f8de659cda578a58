import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

const REDIRECT = 'https://app.example.com/callback';

describe('authorization code with PKCE, refresh rotation, revoke', () => {
  let z: TestZemu;
  let app: { client_id: string; client_secret: string };
  let member: { id: string; email: string };

  before(async () => {
    z = await startTestZemu();
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'User app',
      type: 'oauth_user',
      scopes: ['user:read:user', 'user:read:token'],
      redirect_uris: [REDIRECT],
    });
    app = created.body;
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'oauth-user@demo.zemu.test',
      password: 'correct-horse',
    });
    member = user.body;
  });
  after(() => z.close());

  const approve = async (extra: Record<string, unknown> = {}) =>
    z.control('POST', '/oauth/approve', {
      client_id: app.client_id,
      user: member.email,
      redirect_uri: REDIRECT,
      state: 'xyz',
      ...extra,
    });

  const exchange = async (params: Record<string, string>, client = app) =>
    z.request('POST', '/oauth/token', {
      headers: {
        authorization: basic(client.client_id, client.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params).toString(),
    });

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };

  async function codeFor(extra: Record<string, unknown> = {}) {
    const res = await approve(extra);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const url = new URL(res.body.redirect_to);
    assert.equal(`${url.origin}${url.pathname}`, REDIRECT);
    assert.equal(url.searchParams.get('state'), 'xyz');
    return url.searchParams.get('code') as string;
  }

  test('S256: approve, exchange, and the token acts as the user on me', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'api_url',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    assert.equal(res.body.token_type, 'bearer');
    assert.equal(res.body.scope, 'user:read:user user:read:token');
    const me = await z.api('GET', '/users/me', res.body.access_token);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, member.id);
  });

  test('plain is the default PKCE method; a wrong verifier fails', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await codeFor({ code_challenge: verifier });
    const wrong = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: `${verifier}x`,
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const code2 = await codeFor({ code_challenge: verifier });
    const ok = await exchange({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    assert.equal(ok.status, 200, ok.text);
  });

  test('a code works once; a replay fails and revokes the tokens issued from it', async () => {
    const code = await codeFor();
    const first = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(first.status, 200);
    const replay = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, { reason: 'Invalid authorization code', error: 'invalid_grant' });
    const after = await z.api('GET', '/users/me', first.body.access_token);
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 124);
    const refresh = await exchange({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    assert.equal(refresh.status, 400);
  });

  test('a code expires after five minutes of emulated time', async () => {
    await z.control('POST', '/clock', { frozen: true });
    try {
      const code = await codeFor();
      await z.control('POST', '/clock', { advance: 300 });
      const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { reason: 'Invalid authorization code', error: 'invalid_grant' });
    } finally {
      await z.control('POST', '/clock', { frozen: false });
    }
  });

  // docs/compatibility.md, "Authorization codes at rest" (RFC 9700).
  test('codes are stored as SHA-256 hashes and used once: of concurrent exchanges exactly one wins', async () => {
    const code = await codeFor();
    const { store } = z.zemu.built.ctx;
    const rows = await store.db.selectFrom('oauth_codes').selectAll().execute();
    const hash = createHash('sha256').update(code).digest('hex');
    assert.equal(rows.filter((r) => r.code_hash === hash).length, 1, 'the row is keyed by the hash');
    assert.equal(JSON.stringify(rows).includes(code), false, 'no column holds the code itself');

    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400, 400, 400, 400]);
    for (const lost of results.filter((r) => r.status === 400))
      assert.deepEqual(lost.body, { reason: 'Invalid authorization code', error: 'invalid_grant' });

    // The conditional update itself: of two uses of one unused code started together, one is true.
    const other = createHash('sha256')
      .update(await codeFor())
      .digest('hex');
    const now = z.zemu.built.ctx.clock.now();
    const used = await Promise.all([store.codes.markUsed(other, now), store.codes.markUsed(other, now)]);
    assert.deepEqual(used.sort(), [false, true]);
  });

  test('redirect_uri at the exchange must equal the authorized one', async () => {
    const code = await codeFor();
    const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: `${REDIRECT}/` });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { reason: 'Redirect URI mismatch.', error: 'invalid_grant' });
  });

  test('an unregistered redirect URI (a trailing slash counts) is refused, never redirected to', async () => {
    const res = await approve({ redirect_uri: `${REDIRECT}/` });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 4709, message: 'Redirect URI mismatch.' });
    const evil = await approve({ redirect_uri: 'https://evil.example/cb' });
    assert.equal(evil.status, 400);
    const unknown = await approve({ client_id: 'nope' });
    assert.deepEqual(unknown.body, { code: 4702, message: 'Invalid client.' });
  });

  test('deny, an unknown scope and a bad PKCE method come back to the app as OAuth errors with state', async () => {
    for (const [extra, error] of [
      [{ deny: true }, 'access_denied'],
      [{ scope: 'user:write:user' }, 'invalid_scope'],
      [{ code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
    ] as const) {
      const res = await approve(extra);
      assert.equal(res.status, 200);
      const url = new URL(res.body.redirect_to);
      assert.equal(url.searchParams.get('error'), error);
      assert.equal(url.searchParams.get('state'), 'xyz');
      assert.equal(url.searchParams.get('code'), null);
    }
  });

  // docs/compatibility.md, "Errors after the redirect URI is validated" (RFC 6749 §4.1.2.1).
  test('error redirects carry error, error_description and state; only a user who denies gets access_denied alone', async () => {
    const disabled = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'Disabled app',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: [REDIRECT],
    });
    await z.control('PATCH', `/apps/${disabled.body.client_id}`, { enabled: false });
    const admin = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'Account app for outsiders',
      type: 'oauth_account',
      scopes: ['user:read:user:admin'],
      redirect_uris: [REDIRECT],
    });
    const outsider = await z.control('POST', '/accounts', { owner: { email: 'outsider2@other.test' } });
    const cases: [Record<string, unknown>, string, boolean][] = [
      [{ response_type: 'token' }, 'unsupported_response_type', true],
      [{ client_id: disabled.body.client_id }, 'unauthorized_client', true],
      [{ code_challenge_method: 'S256' }, 'invalid_request', true],
      [{ scope: 'user:write:user' }, 'invalid_scope', true],
      [{ client_id: admin.body.client_id, user: outsider.body.owner.id }, 'access_denied', true],
      [{ deny: true }, 'access_denied', false],
    ];
    for (const [extra, error, described] of cases) {
      const res = await approve(extra);
      assert.equal(res.status, 200, res.text);
      const url = new URL(res.body.redirect_to);
      assert.equal(`${url.origin}${url.pathname}`, REDIRECT);
      assert.equal(url.searchParams.get('error'), error, JSON.stringify(extra));
      assert.equal(url.searchParams.has('error_description'), described, JSON.stringify(extra));
      assert.equal(url.searchParams.has('description'), false, 'the RFC name only');
      assert.equal(url.searchParams.get('state'), 'xyz');
    }
  });

  test('an admin-managed app is authorized by users of its own account only', async () => {
    const acct = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'Account app',
      type: 'oauth_account',
      scopes: ['user:read:user:admin'],
      redirect_uris: [REDIRECT],
    });
    const other = await z.control('POST', '/accounts', { owner: { email: 'outsider@other.test' } });
    const res = await z.control('POST', '/oauth/approve', {
      client_id: acct.body.client_id,
      user: other.body.owner.id,
      redirect_uri: REDIRECT,
    });
    assert.equal(new URL(res.body.redirect_to).searchParams.get('error'), 'access_denied');
  });

  test('refresh rotates: the new pair works, the old refresh token fails with "Invalid Token!"', async () => {
    const code = await codeFor();
    const first = (await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body;
    const second = await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    assert.equal((await z.api('GET', '/users/me', second.body.access_token)).status, 200);
    const again = await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, { reason: 'Invalid Token!', error: 'invalid_grant' });
    // Reuse of a rotated token is detected: the whole grant, the newest refresh token included, is revoked.
    const newest = await exchange({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token });
    assert.equal(newest.status, 400);
    const tokens = await z.control('GET', `/apps/${app.client_id}/tokens?limit=20`);
    assert.ok(
      tokens.body.tokens.some((t: { revoked_reason: string | null }) =>
        /reuse detected/.test(t.revoked_reason ?? ''),
      ),
    );
  });

  test('a grace window lets a rotated refresh token work briefly; refresh tokens expire', async () => {
    const graceApp = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Grace app',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: [REDIRECT],
        settings: { refresh_grace_seconds: 30, refresh_token_ttl_seconds: 600 },
      })
    ).body;
    await z.control('POST', '/clock', { frozen: true });
    try {
      const code = new URL(
        (
          await z.control('POST', '/oauth/approve', {
            client_id: graceApp.client_id,
            user: member.id,
            redirect_uri: REDIRECT,
          })
        ).body.redirect_to,
      ).searchParams.get('code') as string;
      const first = (
        await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, graceApp)
      ).body;
      const second = await exchange(
        { grant_type: 'refresh_token', refresh_token: first.refresh_token },
        graceApp,
      );
      assert.equal(second.status, 200);
      await z.control('POST', '/clock', { advance: 20 });
      const withinGrace = await exchange(
        { grant_type: 'refresh_token', refresh_token: first.refresh_token },
        graceApp,
      );
      assert.equal(withinGrace.status, 200, 'a lost response can be retried within the grace window');
      await z.control('POST', '/clock', { advance: 601 });
      const expired = await exchange(
        { grant_type: 'refresh_token', refresh_token: withinGrace.body.refresh_token },
        graceApp,
      );
      assert.equal(expired.status, 400);
      assert.equal(expired.body.error, 'invalid_grant');
    } finally {
      await z.control('POST', '/clock', { frozen: false });
    }
  });

  test('a refresh token of another app, or an access token as refresh token, is refused', async () => {
    const code = await codeFor();
    const pair = (await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body;
    const other = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Other',
        type: 'oauth_user',
        redirect_uris: [REDIRECT],
      })
    ).body;
    assert.equal(
      (await exchange({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }, other)).status,
      400,
    );
    assert.equal(
      (await exchange({ grant_type: 'refresh_token', refresh_token: pair.access_token })).status,
      400,
    );
    assert.equal(
      (await z.api('GET', '/users/me', pair.refresh_token)).status,
      401,
      'a refresh token is no bearer token',
    );
  });

  test('POST /oauth/revoke kills the access and refresh tokens of the grant', async () => {
    const code = await codeFor();
    const pair = (await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body;
    const res = await z.request('POST', `/oauth/revoke?token=${pair.access_token}`, {
      headers: { authorization: basic(app.client_id, app.client_secret) },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'success' });
    assert.equal((await z.api('GET', '/users/me', pair.access_token)).body.code, 124);
    assert.equal(
      (await exchange({ grant_type: 'refresh_token', refresh_token: pair.refresh_token })).status,
      400,
    );
    const unknown = await z.request('POST', '/oauth/revoke?token=garbage', {
      headers: { authorization: basic(app.client_id, app.client_secret) },
    });
    assert.deepEqual(unknown.body, { status: 'success' });
    const noClient = await z.request('POST', '/oauth/revoke?token=garbage');
    assert.equal(noClient.body.error, 'invalid_client');
  });
});
