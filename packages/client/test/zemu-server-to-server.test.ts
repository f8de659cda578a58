/** Server-to-Server against a live Zemu: the README example, single flight, 124 recovery, api_url. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ZoomClient, ZoomConflictError, ZoomInvalidTokenError, ZoomValidationError } from '@zemu/client';
import { type LiveZemu, liveZemu } from './helpers.js';

describe('ZoomClient with Server-to-Server auth against Zemu', () => {
  let z: LiveZemu;
  before(async () => {
    z = await liveZemu();
  });
  after(() => z.close());

  const client = (extra: Partial<ConstructorParameters<typeof ZoomClient>[0]> = {}) => z.client(extra);

  test('the README example works as written', async () => {
    const { account_id: accountId, client_id: clientId, client_secret: clientSecret } = z.demo;
    const zoom = new ZoomClient({
      baseUrl: z.url, // omit for Zoom itself
      auth: { type: 'server_to_server', accountId, clientId, clientSecret },
    });
    const { token } = await zoom.users.getToken('me', { type: 'zak', ttl: 3600 });
    assert.equal(typeof token, 'string');
    assert.ok(token.length > 20);
    const me = await zoom.users.get('me');
    assert.equal(me.id, z.demo.user_id);
    assert.equal(me.email, z.demo.email);
    const zak = await zoom.users.getZak();
    assert.equal(typeof zak.token, 'string');
  });

  test('getToken: a ZAK is a string; type=token is null for a Google sign-in user', async () => {
    const google = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'google-signin@client.test',
      login_type: 1,
    });
    assert.equal(google.status, 201);
    const zoom = client();
    const zak: string = (await zoom.users.getToken(google.body.id, { type: 'zak' })).token;
    assert.match(zak, /^eyJ/);
    const { token } = await zoom.users.getToken(google.body.id);
    assert.equal(token, null);
  });

  test('1,000 concurrent calls with a cold cache make exactly one token request (counted on the server)', async () => {
    const before = await z.tokenCount();
    const zoom = client();
    const results = await Promise.all(Array.from({ length: 1000 }, () => zoom.users.get('me')));
    assert.equal(results.length, 1000);
    assert.ok(results.every((u) => u.id === z.demo.user_id));
    assert.equal((await z.tokenCount()) - before, 1);
  });

  test('a token the server considers expired (code 124) is replaced once and the call retried once', async () => {
    const attempts: string[] = [];
    const zoom = client({
      hooks: { onRequest: (info) => void attempts.push(`${info.kind} ${info.method}`) },
    });
    await zoom.users.get('me');
    const before = await z.tokenCount();
    attempts.length = 0;
    // The emulated clock passes the token's hour; the client's own clock still calls it fresh.
    await z.advance(3601);
    const me = await zoom.users.get('me');
    assert.equal(me.id, z.demo.user_id);
    assert.equal((await z.tokenCount()) - before, 1);
    assert.deepEqual(attempts, ['api GET', 'oauth POST', 'api GET']);
  });

  test('a token invalidated by a newer one (legacy tolerance mode, code 124) recovers with one new token', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'legacy s2s',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
      settings: { legacy_single_token: true },
    });
    assert.equal(app.status, 201);
    const auth = {
      type: 'server_to_server' as const,
      accountId: z.demo.account_id,
      clientId: app.body.client_id,
      clientSecret: app.body.client_secret,
    };
    const attempts: string[] = [];
    const first = new ZoomClient({
      baseUrl: z.url,
      auth,
      hooks: { onRequest: (info) => void attempts.push(`${info.kind} ${info.method}`) },
    });
    await first.users.get('me');
    // Another process asks for a token of the same app: in legacy mode the first client's token dies.
    await new ZoomClient({ baseUrl: z.url, auth }).users.get('me');
    const before = await z.tokenCount(app.body.client_id);
    attempts.length = 0;
    const me = await first.users.get('me');
    assert.equal(me.id, z.demo.user_id);
    assert.deepEqual(attempts, ['api GET', 'oauth POST', 'api GET'], 'one 124, one new token, one retry');
    assert.equal((await z.tokenCount(app.body.client_id)) - before, 1, 'exactly one new token');
  });

  test('many concurrent calls hitting 124 together share one new token', async () => {
    const zoom = client();
    await zoom.users.get('me');
    await z.advance(3601);
    const before = await z.tokenCount();
    await Promise.all(Array.from({ length: 200 }, () => zoom.users.get('me')));
    assert.equal((await z.tokenCount()) - before, 1);
  });

  test('a static token that Zemu rejects fails with ZoomInvalidTokenError after one try, no loop', async () => {
    let apiCalls = 0;
    const zoom = new ZoomClient({
      baseUrl: z.url,
      auth: { type: 'static', token: 'eyJnot.a.token' },
      hooks: { onRequest: () => void apiCalls++ },
    });
    await assert.rejects(zoom.users.get('me'), (error) => {
      assert.ok(error instanceof ZoomInvalidTokenError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 124);
      assert.equal(error.message, 'Invalid access token.');
      assert.ok(error.trackingId, 'x-zm-trackingid is surfaced');
      return true;
    });
    assert.equal(apiCalls, 1);
  });

  test('a token fetched ahead of expiry: inside the refresh margin the client fetches a new one', async () => {
    let now = Date.now();
    const zoom = client({ now: () => now, refreshMarginMs: 60_000 });
    const first = await zoom.getAccessToken();
    now += (3600 - 61) * 1000;
    assert.equal(await zoom.getAccessToken(), first, 'still outside the margin');
    const before = await z.tokenCount();
    now += 2000;
    const second = await zoom.getAccessToken();
    assert.notEqual(second, first);
    assert.equal((await z.tokenCount()) - before, 1);
  });

  test('honours api_url from the token response when no API URL is configured', async () => {
    const seen: string[] = [];
    const zoom = new ZoomClient({
      oauthUrl: z.url,
      auth: {
        type: 'server_to_server',
        accountId: z.demo.account_id,
        clientId: z.demo.client_id,
        clientSecret: z.demo.client_secret,
      },
      hooks: { onRequest: (info) => void seen.push(info.url) },
    });
    await zoom.users.get('me');
    assert.deepEqual(seen, [`${z.url}/oauth/token`, `${z.url}/v2/users/me`]);
  });
  test('users.list() pages over 1,000 users of a live Zemu with next_page_token', async () => {
    const created = new Set<string>([z.demo.user_id]);
    for (let batch = 0; batch < 50; batch++) {
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          z.control('POST', `/accounts/${z.demo.account_id}/users`, {
            email: `page-${batch}-${i}@client.test`,
          }),
        ),
      );
      for (const res of made) {
        assert.equal(res.status, 201);
        created.add(res.body.id);
      }
    }
    const zoom = client();
    const seen: string[] = [];
    for await (const user of zoom.users.list({ page_size: 300 })) seen.push(String(user.id));
    assert.ok(seen.length >= 1001, `saw ${seen.length}`);
    assert.equal(new Set(seen).size, seen.length, 'no user twice');
    for (const id of created) assert.ok(seen.includes(id), `missing ${id}`);
  });
  test('users.create against Zemu: 201, then ZoomConflictError (1005) and ZoomValidationError (300) as typed errors', async () => {
    const zoom = client();
    const created = await zoom.users.create({
      action: 'custCreate',
      user_info: { email: 'typed@client.test', type: 1 },
    });
    assert.equal(created.email, 'typed@client.test');
    await assert.rejects(
      zoom.users.create({ action: 'custCreate', user_info: { email: 'typed@client.test', type: 1 } }),
      (error: unknown) => error instanceof ZoomConflictError && error.code === 1005 && error.status === 409,
    );
    await assert.rejects(
      zoom.users.create({ action: 'create', user_info: { email: 'not-an-email', type: 1 } }),
      (error: unknown) =>
        error instanceof ZoomValidationError &&
        error.code === 300 &&
        error.errors[0]?.field === 'user_info.email',
    );
  });
});
