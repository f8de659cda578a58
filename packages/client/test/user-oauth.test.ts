/**
 * User OAuth: authorize URL with PKCE S256 and state, code exchange, and refreshes that are safe
 * under rotation. Zemu's authorization_code/refresh grants were being built elsewhere, so a fake
 * token endpoint that rotates refresh tokens the way Zoom does (the used one dies) answers.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  MemoryTokenStore,
  type TokenSet,
  type UserOAuth,
  ZoomClient,
  ZoomInvalidGrantError,
} from '@zemu/client';
import { type FakeZoom, fakeZoom, json } from './helpers.js';

describe('user OAuth', () => {
  let s: FakeZoom;
  let live = new Set<string>();
  let issued = 0;
  let verifierSeen: string | undefined;
  const challenges = new Map<string, string>();
  let validAccess = new Set<string>();
  /** When true, refreshes answer without a refresh_token and leave the used one alive (no rotation). */
  let rotate = true;

  before(async () => {
    s = await fakeZoom((req, res) => {
      if (req.url.startsWith('/oauth/token')) {
        const form = new URLSearchParams(req.body);
        if (req.headers.authorization !== `Basic ${Buffer.from('cid:secret').toString('base64')}`) {
          return json(res, 400, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
        }
        if (form.get('grant_type') === 'authorization_code') {
          verifierSeen = form.get('code_verifier') ?? undefined;
          const challenge = createHash('sha256')
            .update(verifierSeen ?? '')
            .digest('base64url');
          if (
            challenges.get(form.get('code') ?? '') !== challenge ||
            form.get('redirect_uri') !== 'https://app/cb'
          ) {
            return json(res, 400, { reason: 'Invalid authorization code', error: 'invalid_grant' });
          }
        } else if (form.get('grant_type') === 'refresh_token') {
          const rt = form.get('refresh_token') ?? '';
          if (!live.has(rt)) return json(res, 400, { reason: 'Invalid Token!', error: 'invalid_grant' });
          if (!rotate) {
            issued++;
            validAccess = new Set([`at-${issued}`]);
            return json(res, 200, {
              access_token: `at-${issued}`,
              token_type: 'bearer',
              expires_in: 3599,
              scope: 'user:read:user',
              api_url: s.url,
            });
          }
          live.delete(rt); // rotation: the used refresh token dies
        } else {
          return json(res, 400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
        }
        issued++;
        const refresh = `rt-${issued}`;
        live.add(refresh);
        validAccess = new Set([`at-${issued}`]);
        return json(res, 200, {
          access_token: `at-${issued}`,
          token_type: 'bearer',
          refresh_token: refresh,
          expires_in: 3599,
          scope: 'user:read:user',
          api_url: s.url,
        });
      }
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      if (!validAccess.has(token)) return json(res, 401, { code: 124, message: 'Access token is expired.' });
      json(res, 200, { id: 'me-id', email: 'me@x.com', type: 1 });
    });
  });
  after(() => s.close());

  const reset = () => {
    live = new Set(['rt-0']);
    issued = 0;
    validAccess = new Set();
    rotate = true;
  };

  test('authorizationUrl: response_type=code, client_id, redirect_uri, state and an S256 PKCE challenge', () => {
    const zoom = new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'user', clientId: 'cid', clientSecret: 'secret', redirectUri: 'https://app/cb' },
    });
    const auth = zoom.auth as UserOAuth;
    const a = auth.authorizationUrl({ scope: ['user:read:user', 'user:read:zak'] });
    const url = new URL(a.url);
    assert.equal(`${url.origin}${url.pathname}`, `${s.url}/oauth/authorize`);
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('client_id'), 'cid');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://app/cb');
    assert.equal(url.searchParams.get('state'), a.state);
    assert.ok(a.state.length >= 16);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(
      url.searchParams.get('code_challenge'),
      createHash('sha256').update(a.codeVerifier).digest('base64url'),
    );
    assert.match(a.codeVerifier, /^[A-Za-z0-9_-]{43,128}$/);
    assert.equal(url.searchParams.get('scope'), 'user:read:user user:read:zak');
    assert.notEqual(auth.authorizationUrl().state, a.state, 'a fresh state each time');
  });

  test('exchangeCode sends code, redirect_uri and code_verifier, stores the pair, and then calls work', async () => {
    reset();
    const zoom = new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'user', clientId: 'cid', clientSecret: 'secret', redirectUri: 'https://app/cb' },
    });
    const auth = zoom.auth as UserOAuth;
    const a = auth.authorizationUrl();
    challenges.set('the-code', new URL(a.url).searchParams.get('code_challenge') ?? '');
    await assert.rejects(
      auth.exchangeCode({
        code: 'the-code',
        codeVerifier: a.codeVerifier,
        state: 'forged',
        expectedState: a.state,
      }),
      ZoomInvalidGrantError,
    );
    const tokens = await auth.exchangeCode({
      code: 'the-code',
      codeVerifier: a.codeVerifier,
      state: a.state,
      expectedState: a.state,
    });
    assert.equal(verifierSeen, a.codeVerifier);
    assert.equal(tokens.refreshToken, 'rt-1');
    assert.equal((await zoom.users.get('me')).id, 'me-id');
  });

  test('concurrent 124s and expiries cause one refresh: serialised, the rotated token never reused', async () => {
    reset();
    const zoom = new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'user', clientId: 'cid', clientSecret: 'secret', refreshToken: 'rt-0' },
    });
    const before = s.requests.filter((r) => r.url.startsWith('/oauth/token')).length;
    const results = await Promise.all(Array.from({ length: 100 }, () => zoom.users.get('me')));
    assert.equal(results.length, 100);
    assert.equal(s.requests.filter((r) => r.url.startsWith('/oauth/token')).length - before, 1);
    // The server now says the access token is dead: 50 callers at once -> still one refresh.
    validAccess = new Set();
    live.add('spare'); // not used: the client must use the stored rt-1
    const again = await Promise.all(Array.from({ length: 50 }, () => zoom.users.get('me')));
    assert.equal(again.length, 50);
    const refreshes = s.requests.filter((r) => r.url.startsWith('/oauth/token')).slice(-1);
    assert.equal(new URLSearchParams(refreshes[0]?.body).get('refresh_token'), 'rt-1');
    assert.equal(issued, 2);
  });

  test('the new refresh token is written to the store before its access token is used', async () => {
    reset();
    const events: string[] = [];
    class Recording extends MemoryTokenStore {
      override async set(key: string, token: TokenSet) {
        events.push(`store ${token.refreshToken}`);
        await super.set(key, token);
      }
    }
    const zoom = new ZoomClient({
      baseUrl: s.url,
      tokenStore: new Recording(),
      auth: {
        type: 'user',
        clientId: 'cid',
        clientSecret: 'secret',
        refreshToken: 'rt-0',
        onTokens: (t) => void events.push(`onTokens ${t.refreshToken}`),
      },
      hooks: {
        onRequest: (info) => void events.push(`${info.kind} ${new URL(info.url).pathname}`),
      },
    });
    await zoom.users.get('me');
    assert.deepEqual(events, ['oauth /oauth/token', 'store rt-1', 'onTokens rt-1', 'api /v2/users/me']);
  });

  test('two clients sharing one store (two app instances) refresh once: the second reads the rotated pair', async () => {
    reset();
    const store = new MemoryTokenStore();
    const make = () =>
      new ZoomClient({
        baseUrl: s.url,
        tokenStore: store,
        auth: { type: 'user', clientId: 'cid', clientSecret: 'secret', refreshToken: 'rt-0' },
      });
    const [a, b] = [make(), make()];
    await a.users.get('me');
    await b.users.get('me');
    assert.equal(issued, 1, 'b used the pair a stored instead of replaying the dead rt-0');
  });

  // docs/compatibility.md, "Refresh answer without a new refresh_token": keep the old one.
  test('a refresh answer without a refresh_token keeps the old refresh token, which the next refresh sends', async () => {
    reset();
    rotate = false;
    const store = new MemoryTokenStore();
    const seen: (string | undefined)[] = [];
    const zoom = new ZoomClient({
      baseUrl: s.url,
      tokenStore: store,
      auth: {
        type: 'user',
        clientId: 'cid',
        clientSecret: 'secret',
        refreshToken: 'rt-0',
        onTokens: (t) => void seen.push(t.refreshToken),
      },
    });
    const auth = zoom.auth as UserOAuth;
    const first = await auth.refresh();
    assert.equal(first.accessToken, 'at-1');
    assert.equal(first.refreshToken, 'rt-0', 'the answer had none: the old one is kept');
    const second = await auth.refresh();
    assert.equal(second.accessToken, 'at-2');
    assert.equal(second.refreshToken, 'rt-0');
    const refreshes = s.requests.filter((r) => r.url.startsWith('/oauth/token')).slice(-2);
    assert.deepEqual(
      refreshes.map((r) => new URLSearchParams(r.body).get('refresh_token')),
      ['rt-0', 'rt-0'],
    );
    assert.deepEqual(seen, ['rt-0', 'rt-0'], 'stored and reported with the kept refresh token');
    assert.equal((await zoom.users.get('me')).id, 'me-id');
  });
});
