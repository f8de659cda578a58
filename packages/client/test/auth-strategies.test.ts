/** Client credentials, static tokens, custom strategies, base URLs and the refresh-margin cap. */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  type AuthStrategy,
  type TokenSet,
  ZOOM_API_URL,
  ZoomClient,
  ZoomInvalidTokenError,
} from '@zemu/client';
import { type FakeZoom, fakeZoom, json, tokenBody } from './helpers.js';

let s: FakeZoom | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('auth strategies', () => {
  test('client_credentials: Basic auth, grant_type=client_credentials in a form body, no account_id', async () => {
    s = await fakeZoom((req, res) => {
      if (req.url === '/oauth/token') return json(res, 200, tokenBody('cc-token'));
      json(res, 200, { ok: req.headers.authorization });
    });
    const zoom = new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'client_credentials', clientId: 'id', clientSecret: 'sec' },
    });
    const res = await zoom.request<{ ok: string }>('GET', '/im/chat/messages');
    assert.equal(res.data.ok, 'Bearer cc-token');
    const tokenRequest = s.requests[0]!;
    assert.equal(tokenRequest.method, 'POST');
    assert.equal(tokenRequest.headers.authorization, `Basic ${Buffer.from('id:sec').toString('base64')}`);
    assert.equal(tokenRequest.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(tokenRequest.body, 'grant_type=client_credentials');
  });

  test('server_to_server sends grant_type=account_credentials and account_id', async () => {
    s = await fakeZoom((req, res) => {
      if (req.url === '/oauth/token') return json(res, 200, tokenBody('t'));
      json(res, 200, {});
    });
    const zoom = new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'server_to_server', accountId: 'acc 1', clientId: 'id', clientSecret: 'sec' },
    });
    await zoom.getAccessToken();
    assert.equal(s.requests[0]!.body, 'grant_type=account_credentials&account_id=acc+1');
  });

  test('a custom AuthStrategy object is used as is', async () => {
    s = await fakeZoom((req, res) => json(res, 200, { auth: req.headers.authorization }));
    const custom: AuthStrategy = {
      type: 'vault',
      async getToken(): Promise<TokenSet> {
        return {
          accessToken: 'from-vault',
          tokenType: 'bearer',
          expiresAt: Infinity,
          refreshAt: Infinity,
          scope: [],
        };
      },
      async renewToken() {
        return undefined;
      },
    };
    const zoom = new ZoomClient({ baseUrl: s.url, auth: custom });
    assert.equal((await zoom.request<{ auth: string }>('GET', '/users/me')).data.auth, 'Bearer from-vault');
  });

  test('a static token is sent as is and a 124 on it is thrown without a token request', async () => {
    s = await fakeZoom((_req, res) => json(res, 401, { code: 124, message: 'Invalid access token.' }));
    const zoom = new ZoomClient({ baseUrl: s.url, auth: { type: 'static', token: 'abc' } });
    await assert.rejects(zoom.users.get('me'), ZoomInvalidTokenError);
    assert.deepEqual(
      s.requests.map((r) => r.url),
      ['/v2/users/me'],
    );
  });

  test('a short-lived token is refreshed at half its lifetime, not after it is dead', async () => {
    let n = 0;
    s = await fakeZoom((req, res) => {
      if (req.url === '/oauth/token') return json(res, 200, tokenBody(`t${++n}`, { expires_in: 60 }));
      json(res, 200, {});
    });
    let now = 1_000_000;
    const zoom = new ZoomClient({
      baseUrl: s.url,
      now: () => now,
      auth: { type: 'server_to_server', accountId: 'a', clientId: 'c', clientSecret: 's' },
    });
    assert.equal(await zoom.getAccessToken(), 't1');
    now += 29_000;
    assert.equal(await zoom.getAccessToken(), 't1');
    now += 2_000;
    assert.equal(await zoom.getAccessToken(), 't2');
  });
});

describe('base URLs', () => {
  const auth = { type: 'static', token: 't' } as const;
  test("defaults to Zoom's hosts", () => {
    const zoom = new ZoomClient({ auth });
    assert.equal(zoom.oauthUrl, 'https://zoom.us');
    assert.equal(zoom.apiBaseFor(undefined), ZOOM_API_URL);
    assert.equal(ZOOM_API_URL, 'https://api.zoom.us/v2');
  });
  test('baseUrl sets both; oauthUrl and apiUrl set each; api_url of the token is used when none is set', () => {
    const zemu = new ZoomClient({ auth, baseUrl: 'http://127.0.0.1:9600/' });
    assert.equal(zemu.oauthUrl, 'http://127.0.0.1:9600');
    assert.equal(zemu.apiBaseFor(undefined), 'http://127.0.0.1:9600/v2');
    const apart = new ZoomClient({ auth, oauthUrl: 'http://o', apiUrl: 'http://a/v2' });
    assert.equal(apart.oauthUrl, 'http://o');
    assert.equal(apart.apiBaseFor({ apiUrl: 'https://eu01api.zoom.us' } as TokenSet), 'http://a/v2');
    const regional = new ZoomClient({ auth });
    assert.equal(
      regional.apiBaseFor({ apiUrl: 'https://eu01api.zoom.us' } as TokenSet),
      'https://eu01api.zoom.us/v2',
    );
  });
});
