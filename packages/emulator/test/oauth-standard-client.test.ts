/**
 * Issue 3's "done when": a standard OAuth client library (panva's oauth4webapi), pointed at Zemu,
 * completes the authorization-code flow with PKCE S256 and refreshes its token. The browser's part is
 * the headless approval.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startTestZemu, type TestZemu } from './helpers.js';

const REDIRECT = 'https://app.example.com/oauth/callback';

describe('a standard OAuth client library against Zemu', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  test('oauth4webapi: authorization code with PKCE S256, then a refresh', async () => {
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'Standard client',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: [REDIRECT],
    });
    const as: oauth.AuthorizationServer = {
      issuer: z.url,
      authorization_endpoint: `${z.url}/oauth/authorize`,
      token_endpoint: `${z.url}/oauth/token`,
      revocation_endpoint: `${z.url}/oauth/revoke`,
      code_challenge_methods_supported: ['S256', 'plain'],
    };
    const client: oauth.Client = { client_id: created.body.client_id };
    const auth = oauth.ClientSecretBasic(created.body.client_secret);
    const insecure = { [oauth.allowInsecureRequests]: true };

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();

    // What the browser would do on the consent page:
    const q = authorizationUrl.searchParams;
    const approved = await z.control('POST', '/oauth/approve', {
      client_id: q.get('client_id'),
      user: z.demo.email,
      redirect_uri: q.get('redirect_uri'),
      state: q.get('state'),
      code_challenge: q.get('code_challenge'),
      code_challenge_method: q.get('code_challenge_method'),
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));

    const params = oauth.validateAuthResponse(as, client, new URL(approved.body.redirect_to), state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      REDIRECT,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.refresh_token);
    assert.equal((await z.api('GET', '/users/me', tokens.access_token)).body.id, z.demo.user_id);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure),
    );
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'rotated');
    assert.equal((await z.api('GET', '/users/me', refreshed.access_token)).status, 200);

    const revoked = await oauth.revocationRequest(as, client, auth, refreshed.access_token, insecure);
    await oauth.processRevocationResponse(revoked);
    assert.equal((await z.api('GET', '/users/me', refreshed.access_token)).body.code, 124);
  });
});
