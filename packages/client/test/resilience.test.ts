/**
 * 429, 5xx, network errors, timeouts, AbortSignal, hooks and the 124 no-loop rule, against a fake
 * Zoom that answers as Zoom's contract says (Zemu's rate limits and faults had not landed on main).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import {
  type RequestInfo,
  ZoomClient,
  type ZoomClientOptions,
  ZoomConnectionError,
  ZoomInvalidTokenError,
  ZoomRateLimitError,
  ZoomServerError,
  ZoomTimeoutError,
} from '@zemu/client';
import { type FakeHandler, type FakeZoom, fakeZoom, json, recordingSleep, tokenBody } from './helpers.js';

const QPS_BODY = {
  code: 429,
  message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
};

let server: FakeZoom | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A fake whose token endpoint always works and whose API answers come from `api`, in order. */
async function fake(api: FakeHandler) {
  let tokens = 0;
  server = await fakeZoom((req, res) => {
    if (req.url.startsWith('/oauth/token')) return json(res, 200, tokenBody(`tok-${++tokens}`));
    return api(req, res);
  });
  return server;
}

function apiRequests(s: FakeZoom) {
  return s.requests.filter((r) => r.url.startsWith('/v2/'));
}

function client(s: FakeZoom, extra: Partial<ZoomClientOptions> = {}) {
  return new ZoomClient({
    baseUrl: s.url,
    auth: { type: 'server_to_server', accountId: 'acc', clientId: 'cid', clientSecret: 'secret' },
    random: () => 0.5,
    ...extra,
  });
}

function sequence(...answers: Array<(res: Parameters<FakeHandler>[1]) => void>): FakeHandler {
  let i = 0;
  return (_req, res) => {
    const answer = answers[Math.min(i++, answers.length - 1)];
    answer?.(res);
  };
}
const ok = (res: Parameters<FakeHandler>[1]) => json(res, 200, { id: 'u1' });

describe('429 rate limits', () => {
  test('Retry-After in seconds is waited for exactly, then the call succeeds', async () => {
    const s = await fake(
      sequence((res) => json(res, 429, QPS_BODY, { 'retry-after': '2', 'x-ratelimit-type': 'QPS' }), ok),
    );
    const { delays, sleep } = recordingSleep();
    const user = await client(s, { sleep }).users.get('u1');
    assert.equal(user.id, 'u1');
    assert.deepEqual(delays, [2000]);
    assert.equal(apiRequests(s).length, 2);
  });

  test('Retry-After as an HTTP date and as an ISO date are turned into a wait from now', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const s = await fake(
      sequence(
        (res) => json(res, 429, QPS_BODY, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }),
        (res) => json(res, 429, QPS_BODY, { 'retry-after': '2026-01-01T00:00:05Z' }),
        ok,
      ),
    );
    const { delays, sleep } = recordingSleep();
    await client(s, { sleep, now: () => now }).users.get('u1');
    assert.deepEqual(delays, [3000, 5000]);
  });

  test('without Retry-After: exponential backoff with jitter', async () => {
    const limited = (res: Parameters<FakeHandler>[1]) =>
      json(res, 429, QPS_BODY, { 'x-ratelimit-type': 'QPS' });
    const s = await fake(sequence(limited, limited, ok));
    const { delays, sleep } = recordingSleep();
    const randoms = [0, 1];
    await client(s, { sleep, random: () => randoms.shift() ?? 0 }).users.get('u1');
    // step 500 ms then 1000 ms; equal jitter keeps half fixed: random 0 -> 250, random 1 -> 1000
    assert.deepEqual(delays, [250, 1000]);
  });

  test('a daily limit whose Retry-After is hours away is thrown at once with the headers read', async () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const s = await fake((_req, res) =>
      json(
        res,
        429,
        { code: 429, message: 'You have reached the maximum daily rate limit for this API.' },
        {
          'retry-after': '2026-01-02T00:00:00Z',
          'x-ratelimit-type': 'Daily-limit',
          'x-ratelimit-category': 'Heavy',
          'x-ratelimit-limit': '30000',
          'x-ratelimit-remaining': '0',
        },
      ),
    );
    const { delays, sleep } = recordingSleep();
    await assert.rejects(client(s, { sleep, now: () => now }).users.get('u1'), (error) => {
      assert.ok(error instanceof ZoomRateLimitError);
      assert.equal(error.status, 429);
      assert.equal(error.code, 429);
      assert.equal(error.retryAfter, 12 * 3600);
      assert.equal(error.rateLimitType, 'Daily-limit');
      assert.equal(error.daily, true);
      assert.equal(error.rateLimitCategory, 'Heavy');
      assert.equal(error.rateLimitLimit, 30000);
      assert.equal(error.rateLimitRemaining, 0);
      return true;
    });
    assert.deepEqual(delays, []);
    assert.equal(apiRequests(s).length, 1);
  });

  test('gives up after maxRetries (default 2) and throws ZoomRateLimitError', async () => {
    const s = await fake((_req, res) => json(res, 429, QPS_BODY, { 'retry-after': '1' }));
    const { delays, sleep } = recordingSleep();
    await assert.rejects(client(s, { sleep }).users.get('u1'), ZoomRateLimitError);
    assert.equal(apiRequests(s).length, 3);
    assert.deepEqual(delays, [1000, 1000]);
  });

  test('429 is retried for POST too: the request was not processed', async () => {
    const s = await fake(
      sequence(
        (res) => json(res, 429, QPS_BODY, { 'retry-after': '1' }),
        (res) => json(res, 201, { id: 'new' }),
      ),
    );
    const { sleep } = recordingSleep();
    const created = await client(s, { sleep }).users.create({
      action: 'create',
      user_info: { email: 'a@b.c', type: 1 },
    });
    assert.equal(created.id, 'new');
    assert.equal(apiRequests(s).length, 2);
  });
});

describe('5xx and network errors', () => {
  test('GET is retried after 5xx with backoff', async () => {
    const s = await fake(sequence((res) => json(res, 503, { code: 503, message: 'busy' }), ok));
    const { delays, sleep } = recordingSleep();
    await client(s, { sleep }).users.get('u1');
    assert.equal(apiRequests(s).length, 2);
    assert.deepEqual(delays, [375]);
  });

  test('POST is not retried after 5xx (not idempotent): ZoomServerError', async () => {
    const s = await fake((_req, res) => json(res, 500, { code: 500, message: 'boom' }));
    const { sleep } = recordingSleep();
    await assert.rejects(
      client(s, { sleep }).users.create({ action: 'create', user_info: { email: 'a@b.c', type: 1 } }),
      ZoomServerError,
    );
    assert.equal(apiRequests(s).length, 1);
  });

  test('maxRetries: 0 turns retries off', async () => {
    const s = await fake((_req, res) => json(res, 502, { code: 502, message: 'bad gateway' }));
    await assert.rejects(client(s, { maxRetries: 0 }).users.get('u1'), ZoomServerError);
    assert.equal(apiRequests(s).length, 1);
  });

  test('a refused connection is retried for GET, then surfaces as ZoomConnectionError', async () => {
    const s = await fake((_req, res) => ok(res));
    const refused = await closedPort();
    const { delays, sleep } = recordingSleep();
    const zoom = client(s, { sleep, apiUrl: `http://127.0.0.1:${refused}/v2` });
    await assert.rejects(zoom.users.get('u1'), (error) => {
      assert.ok(error instanceof ZoomConnectionError);
      assert.match(error.message, /ECONNREFUSED/);
      assert.match(error.message, /Check the API URL/);
      return true;
    });
    assert.equal(delays.length, 2);
  });

  test('a per-attempt timeout raises ZoomTimeoutError (and is retried for GET)', async () => {
    const s = await fake(() => {
      // never answer
    });
    const { delays, sleep } = recordingSleep();
    // Attempts as the client sends them, with a token from elsewhere: under load a 50 ms attempt
    // (the token request's too) can time out before its connection reaches the server, so the
    // server's count would say less than what was tried.
    const attempts: number[] = [];
    const hooks = { onRequest: (i: RequestInfo) => void attempts.push(i.attempt) };
    await assert.rejects(
      client(s, {
        sleep,
        timeoutMs: 50,
        maxRetries: 1,
        hooks,
        auth: { type: 'static', token: 't' },
      }).users.get('u1'),
      ZoomTimeoutError,
    );
    assert.deepEqual(attempts, [0, 1]);
    assert.equal(delays.length, 1);
  });

  test('an AbortSignal aborts the call and is not retried', async () => {
    const s = await fake(() => {
      // never answer
    });
    const controller = new AbortController();
    const { delays, sleep } = recordingSleep();
    const call = client(s, { sleep }).users.get('u1', undefined, { signal: controller.signal });
    // abort once the API request has reached the server
    while (apiRequests(s).length === 0) await new Promise((r) => setImmediate(r));
    controller.abort(new Error('caller gave up'));
    await assert.rejects(call, /caller gave up/);
    assert.deepEqual(delays, []);
    assert.equal(apiRequests(s).length, 1);
  });
});

describe('code 124', () => {
  test('a server that keeps answering 124 gets one new token and one retry, then the error: no loop', async () => {
    const s = await fake((_req, res) => json(res, 401, { code: 124, message: 'Invalid access token.' }));
    await assert.rejects(client(s).users.get('u1'), ZoomInvalidTokenError);
    assert.equal(apiRequests(s).length, 2);
    assert.equal(s.requests.filter((r) => r.url.startsWith('/oauth/token')).length, 2);
    const auths = apiRequests(s).map((r) => r.headers.authorization);
    assert.deepEqual(auths, ['Bearer tok-1', 'Bearer tok-2']);
  });

  test('the 124 retry does not use up maxRetries', async () => {
    const s = await fake(
      sequence(
        (res) => json(res, 401, { code: 124, message: 'Access token is expired.' }),
        (res) => json(res, 429, QPS_BODY, { 'retry-after': '0' }),
        ok,
      ),
    );
    const { sleep } = recordingSleep();
    const user = await client(s, { sleep, maxRetries: 1 }).users.get('u1');
    assert.equal(user.id, 'u1');
  });
});

describe('hooks', () => {
  test('onRequest, onResponse and onRetry see every attempt, and onRequest may add headers', async () => {
    const s = await fake(sequence((res) => json(res, 429, QPS_BODY, { 'retry-after': '1' }), ok));
    const log: string[] = [];
    const { sleep } = recordingSleep();
    await client(s, {
      sleep,
      hooks: {
        onRequest: (info) => {
          info.headers['x-request-id'] = `r${info.attempt}`;
          log.push(`request ${info.kind} ${info.method} ${new URL(info.url).pathname} #${info.attempt}`);
        },
        onResponse: (info) => void log.push(`response ${info.status}`),
        onRetry: (info) => void log.push(`retry ${info.reason} ${info.delayMs}`),
      },
    }).users.get('u1');
    assert.deepEqual(log, [
      'request oauth POST /oauth/token #0',
      'response 200',
      'request api GET /v2/users/u1 #0',
      'response 429',
      'retry rate_limited 1000',
      'request api GET /v2/users/u1 #1',
      'response 200',
    ]);
    assert.deepEqual(
      apiRequests(s).map((r) => r.headers['x-request-id']),
      ['r0', 'r1'],
    );
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
