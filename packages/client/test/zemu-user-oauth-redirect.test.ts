/**
 * The user OAuth strategy's redirect handling against a live Zemu's authorization decisions
 * (`POST /_zemu/oauth/approve`, the consent page's decision without a browser): an approval is
 * exchanged for tokens, a denial is ZoomAccessDeniedError, a scope the app lacks ZoomInvalidScopeError,
 * and a redirect of another request (state mismatch) is refused before anything is sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type UserOAuth,
  ZoomAccessDeniedError,
  ZoomClient,
  ZoomInvalidGrantError,
  ZoomInvalidScopeError,
} from '../src/index.js';
import { type LiveZemu, liveZemu } from './helpers.js';

const REDIRECT = 'https://app.example.com/callback';

describe('UserOAuth.handleRedirect against a live Zemu', () => {
  let z: LiveZemu;
  let app: { client_id: string; client_secret: string };
  before(async () => {
    z = await liveZemu();
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'redirects',
      type: 'oauth_user',
      scopes: ['user:read:user', 'user:read:zak'],
      redirect_uris: [REDIRECT],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    app = res.body;
  });
  after(() => z.close());

  function start(scope?: string) {
    const zoom = new ZoomClient({
      baseUrl: z.url,
      auth: { type: 'user', clientId: app.client_id, clientSecret: app.client_secret, redirectUri: REDIRECT },
    });
    const auth = zoom.auth as UserOAuth;
    const request = auth.authorizationUrl(scope ? { scope } : {});
    const query = new URL(request.url).searchParams;
    const decide = async (deny = false) => {
      const res = await z.control('POST', '/oauth/approve', {
        client_id: app.client_id,
        user: z.demo.email,
        redirect_uri: REDIRECT,
        state: request.state,
        code_challenge: query.get('code_challenge'),
        code_challenge_method: 'S256',
        ...(scope ? { scope } : {}),
        deny,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.redirect_to as string;
    };
    return { zoom, auth, request, decide };
  }

  test('an approval: the code is exchanged, tokens stored, calls work as the user', async () => {
    const { zoom, auth, request, decide } = start();
    const tokens = await auth.handleRedirect(await decide(), request);
    assert.ok(tokens.accessToken && tokens.refreshToken);
    assert.equal((await zoom.users.get('me')).email, z.demo.email);
  });

  test('a denial is ZoomAccessDeniedError, with the state checked first', async () => {
    const { auth, request, decide } = start();
    const error = await auth.handleRedirect(await decide(true), request).catch((e: unknown) => e);
    assert.ok(error instanceof ZoomAccessDeniedError, String(error));
    assert.equal(error.error, 'access_denied');
  });

  test('a scope the app does not hold is ZoomInvalidScopeError', async () => {
    const { auth, request, decide } = start('meeting:write:meeting');
    const error = await auth.handleRedirect(await decide(), request).catch((e: unknown) => e);
    assert.ok(error instanceof ZoomInvalidScopeError, String(error));
  });

  test("another request's redirect (state mismatch) is refused and its code is not spent", async () => {
    const first = start();
    const second = start();
    const redirect = await first.decide();
    const error = await second.auth.handleRedirect(redirect, second.request).catch((e: unknown) => e);
    assert.ok(error instanceof ZoomInvalidGrantError, String(error));
    assert.equal(error.error, 'invalid_state');
    const tokens = await first.auth.handleRedirect(redirect, first.request);
    assert.ok(tokens.accessToken, 'the code was still good for its own request');
  });
});
