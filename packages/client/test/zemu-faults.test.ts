/**
 * The client's error classes and retry rules against failures a live Zemu produces on demand (fault
 * rules), not a fake server: 5xx (retried for idempotent calls only), reset connections, timeouts, the
 * lost token response, and OAuth's invalid_request. Attempts are counted on the server (request log).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ZoomClient,
  ZoomConnectionError,
  ZoomInvalidRequestError,
  ZoomServerError,
  ZoomTimeoutError,
} from '../src/index.js';
import { type LiveZemu, liveZemu } from './helpers.js';

describe('@zemu/client against Zemu faults', () => {
  let z: LiveZemu;
  let zoom: ZoomClient;
  const noWait = async () => {};

  /** Requests the server saw for a path (from its request log), to count attempts server-side. */
  async function attempts(method: string, path: string): Promise<number> {
    const res = await z.control('GET', `/requests?method=${method}&limit=1000`);
    return (res.body.requests as { path: string }[]).filter((e) => e.path.startsWith(path)).length;
  }

  function client(options: Partial<ConstructorParameters<typeof ZoomClient>[0]> = {}) {
    return z.client({ sleep: noWait, ...options });
  }

  before(async () => {
    z = await liveZemu();
  });
  beforeEach(async () => {
    for (const rule of (await z.control('GET', '/faults')).body.faults ?? []) {
      await z.control('DELETE', `/faults/${rule.id}`);
    }
    await z.control('DELETE', '/requests');
    zoom = client();
    await zoom.users.get('me'); // a warm token: only the calls under test follow
  });
  after(() => z.close());

  test('a GET that meets 503 twice is retried and succeeds; three 503s throw ZoomServerError', async () => {
    await z.control('POST', '/faults', { path: '/v2/users/*', action: 'error', status: 503, count: 2 });
    const before = await attempts('GET', '/v2/users/');
    const user = await zoom.users.get(z.demo.user_id);
    assert.equal(user.id, z.demo.user_id);
    assert.equal((await attempts('GET', '/v2/users/')) - before, 3, 'two failures and the success');

    await z.control('POST', '/faults', { path: '/v2/users/*', action: 'error', status: 503, count: 3 });
    const error = await zoom.users.get(z.demo.user_id).catch((e: unknown) => e);
    assert.ok(error instanceof ZoomServerError, String(error));
    assert.equal(error.status, 503);
    assert.equal(error.code, 503);
    assert.ok(error.trackingId, 'the tracking id of the failed answer');
  });

  test('a POST that meets 500 is not retried (not idempotent): one attempt, ZoomServerError', async () => {
    await z.control('POST', '/faults', {
      method: 'POST',
      path: '/v2/users',
      action: 'error',
      status: 500,
      count: 1,
    });
    const before = await attempts('POST', '/v2/users');
    const error = await zoom.users
      .create({ action: 'custCreate', user_info: { email: 'faulted@faults.test', type: 1 } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ZoomServerError, String(error));
    assert.equal(error.status, 500);
    assert.equal((await attempts('POST', '/v2/users')) - before, 1);
    const exists = await z.control('GET', `/accounts/${z.demo.account_id}`);
    assert.equal(exists.status, 200);
  });

  test('a reset connection: a GET is retried and succeeds, a POST throws ZoomConnectionError', async () => {
    await z.control('POST', '/faults', { method: 'GET', path: '/v2/users/*', action: 'reset', count: 1 });
    const user = await zoom.users.get(z.demo.user_id);
    assert.equal(user.id, z.demo.user_id);

    await z.control('POST', '/faults', { method: 'POST', path: '/v2/users', action: 'reset', count: 1 });
    const error = await zoom.users
      .create({ action: 'custCreate', user_info: { email: 'reset@faults.test', type: 1 } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ZoomConnectionError, String(error));
  });

  test('a slow Zoom past the timeout is ZoomTimeoutError (a ZoomConnectionError) after the retries', async () => {
    const slow = client({ timeoutMs: 50, maxRetries: 1 });
    await slow.users.get('me'); // its token first, so both timed attempts are the call under test
    await z.control('POST', '/faults', { path: '/v2/users/*', action: 'latency', latency_ms: 400, count: 2 });
    const error = await slow.users.get(z.demo.user_id).catch((e: unknown) => e);
    assert.ok(error instanceof ZoomTimeoutError, `${String(error)} ${(error as Error).name}`);
    assert.ok(error instanceof ZoomConnectionError);
  });

  test('the lost token response: Zemu issued the token, the client sees a reset connection, the next call recovers', async () => {
    await z.control('POST', '/faults', { method: 'POST', path: '/oauth/token', action: 'drop', count: 1 });
    const fresh = client();
    const before = await z.tokenCount();
    const first = await fresh.users.get('me').catch((e: unknown) => e);
    const issued = (await z.tokenCount()) - before;
    assert.ok(issued >= 1, 'Zemu issued the token whose response was lost');
    // A token request is a POST: the client does not repeat it on its own, the caller sees the reset...
    assert.ok(first instanceof ZoomConnectionError, String(first));
    // ...and the next call asks again (nothing was cached) and succeeds.
    const again = await fresh.users.get('me');
    assert.equal(again.id, z.demo.user_id);
  });

  test("OAuth invalid_request: a wrong account_id is ZoomInvalidRequestError with Zoom's reason", async () => {
    const wrong = new ZoomClient({
      baseUrl: z.url,
      auth: {
        type: 'server_to_server',
        accountId: 'not-this-account',
        clientId: z.demo.client_id,
        clientSecret: z.demo.client_secret,
      },
      sleep: noWait,
    });
    const error = await wrong.users.get('me').catch((e: unknown) => e);
    assert.ok(error instanceof ZoomInvalidRequestError, String(error));
    assert.equal(error.status, 400);
    assert.match(error.message, /Invalid account_id/);
  });
});
