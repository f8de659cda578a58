/**
 * The client against Zemu's real 429s (issue 4 point 9). The client's `sleep` moves Zemu's emulated
 * clock instead of waiting, so a retry after Retry-After lands in the next window without a real sleep.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZemu } from '@zemu/emulator';
import { ZoomClient, ZoomRateLimitError } from '../src/index.js';
import { TEST_ZEMU_OPTIONS } from './helpers.js';

describe('@zemu/client against Zemu rate limits', () => {
  let z: Awaited<ReturnType<typeof startZemu>>;
  let creds: { accountId: string; clientId: string; clientSecret: string };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${z.url}/_zemu${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    z = await startZemu({ ...TEST_ZEMU_OPTIONS, rateLimits: true });
    // A free account: Light operations are limited to 4 per second.
    const account = await control('POST', '/accounts', {
      name: 'Free',
      plan: 'free',
      owner: { email: 'free@rl.test' },
    });
    const app = await control('POST', `/accounts/${account.body.id}/apps`, {
      name: 's2s',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
    });
    creds = {
      accountId: account.body.id,
      clientId: app.body.client_id,
      clientSecret: app.body.client_secret,
    };
    await control('POST', '/clock', { frozen: true });
  });
  after(() => z.close());

  function client(sleeps: number[], maxRetries = 2) {
    return new ZoomClient({
      baseUrl: z.url,
      auth: { type: 'server_to_server', ...creds },
      maxRetries,
      sleep: async (ms) => {
        sleeps.push(ms);
        await control('POST', '/clock', { advance: ms / 1000 });
      },
    });
  }

  test('a per-second 429 with Retry-After is waited out and retried', async () => {
    const sleeps: number[] = [];
    const zoom = client(sleeps);
    const users = await Promise.all(Array.from({ length: 6 }, () => zoom.users.get('me')));
    assert.equal(users.length, 6);
    assert.ok(sleeps.length >= 1, 'the client waited at least once');
    assert.ok(
      sleeps.every((ms) => ms >= 1000 && ms <= 2000),
      `waits follow Retry-After: ${sleeps.join(', ')}`,
    );
  });

  test('without retries the 429 surfaces as a typed error with its headers', async () => {
    await control('POST', '/clock', { advance: 2 });
    const zoom = client([], 0);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => zoom.users.get('me')));
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    assert.ok(refused.length >= 1);
    const error = refused[0] as ZoomRateLimitError;
    assert.ok(error instanceof ZoomRateLimitError);
    assert.equal(error.status, 429);
    assert.equal(error.rateLimitType, 'QPS');
    assert.equal(error.rateLimitCategory, 'Light');
    assert.equal(typeof error.retryAfter, 'number');
  });

  test('a 429 without Retry-After (as Zoom sometimes sends) falls back to backoff and recovers', async () => {
    const limits = await control('PATCH', `/accounts/${creds.accountId}/limits`, { omit_retry_after: true });
    assert.equal(limits.status, 200);
    await control('POST', '/clock', { advance: 2 });
    const sleeps: number[] = [];
    const zoom = client(sleeps, 4);
    const users = await Promise.all(Array.from({ length: 6 }, () => zoom.users.get('me')));
    assert.equal(users.length, 6);
    assert.ok(sleeps.length >= 1);
    assert.ok(
      sleeps.some((ms) => ms % 1000 !== 0),
      `backoff with jitter, not Retry-After: ${sleeps.join(', ')}`,
    );
  });
});
