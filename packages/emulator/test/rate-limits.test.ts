import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../src/clock.js';
import { resolveConfig } from '../src/config.js';
import { ZoomRefusal } from '../src/errors/zoom.js';
import type { RateLimitLabel } from '../src/http/types.js';
import { MemoryWindowCounters } from '../src/limits/counters.js';
import { RateLimiter } from '../src/limits/limiter.js';
import { DailyQuotas } from '../src/limits/quotas.js';
import { LABELS, PLAN_LIMITS } from '../src/limits/table.js';
import type { Account, Plan } from '../src/store/models.js';
import { startTestZemu, type TestZemu } from './helpers.js';

const NOON = Date.parse('2026-03-10T12:00:00.000Z');

/** The limiter alone, on a frozen clock, with fake requests: every label of every plan in milliseconds. */
function harness(plan: Plan, settings: Record<string, unknown> = {}) {
  const clock = new Clock({ frozenAt: NOON });
  const account: Account = {
    id: `acct-${plan}`,
    name: plan,
    plan,
    ownerUserId: null,
    accountNumber: 1,
    createdAt: 0,
    settings,
  };
  const limiter = new RateLimiter(clock, new MemoryWindowCounters(clock), async () => account, true);
  return { clock, call: caller(limiter, account.id) };
}

/** A fake request of one label for the account, through the limiter: allowed (with headers) or its 429. */
function caller(limiter: RateLimiter, accountId: string) {
  return async (label: RateLimitLabel) => {
    const headers: Record<string, string> = {};
    const request = {
      routeOptions: { config: { rateLimitLabel: label } },
      principal: { accountId },
      zemuTrace: null,
    } as unknown as FastifyRequest;
    const reply = {
      header(name: string, value: string) {
        headers[name] = value;
        return reply;
      },
    } as unknown as FastifyReply;
    try {
      await limiter.enforce(request, reply);
      return { ok: true as const, headers };
    } catch (error) {
      assert.ok(error instanceof ZoomRefusal);
      return { ok: false as const, error };
    }
  };
}

describe('rate limits by plan and label (limiter on the emulated clock)', () => {
  for (const plan of ['free', 'pro', 'business'] as const) {
    for (const label of LABELS) {
      const limits = PLAN_LIMITS[plan][label];
      const per = limits.windowMs === 1000 ? 'second' : 'minute';
      test(`${plan} ${label}: ${limits.rate} per ${per}, then 429 QPS, then allowed again when the window passes`, async () => {
        const { clock, call } = harness(plan);
        for (let i = 0; i < limits.rate; i++) assert.equal((await call(label)).ok, true, `request ${i + 1}`);
        const refused = await call(label);
        assert.equal(refused.ok, false);
        if (!refused.ok) {
          assert.equal(refused.error.status, 429);
          assert.equal(refused.error.headers?.['x-ratelimit-type'], 'QPS');
          assert.equal(refused.error.headers?.['x-ratelimit-category'], label);
          assert.equal(refused.error.headers?.['x-ratelimit-limit'], String(limits.rate));
          assert.equal(refused.error.headers?.['retry-after'], String(limits.windowMs / 1000));
        }
        clock.advance(limits.windowMs / 1000);
        assert.equal((await call(label)).ok, true);
      });
    }
  }

  const dailyCases: [Plan, RateLimitLabel, number][] = [
    ['free', 'Light', 6000],
    ['free', 'Medium', 2000],
    ['free', 'Heavy', 1000],
    // Free Resource-intensive's 30000 a day cannot be reached at 10 a minute (14400 a day): its own test.
    ['pro', 'Heavy', 30000],
    ['business', 'Heavy', 60000],
  ];
  for (const [plan, label, daily] of dailyCases) {
    test(`${plan} ${label}: ${daily} a day, then 429 Daily-limit until 00:00 UTC of the emulated clock`, async () => {
      const { clock, call } = harness(plan);
      const limits = PLAN_LIMITS[plan][label];
      let last: Awaited<ReturnType<typeof call>> | undefined;
      for (let i = 0; i < daily; i++) {
        if (i % limits.rate === 0) clock.advance(limits.windowMs / 1000);
        last = await call(label);
        assert.equal(last.ok, true);
      }
      assert.equal(last?.ok && last.headers['x-ratelimit-remaining'], '0');
      clock.advance(limits.windowMs / 1000);
      const refused = await call(label);
      assert.equal(refused.ok, false);
      if (!refused.ok) {
        assert.equal(refused.error.headers?.['x-ratelimit-type'], 'Daily-limit');
        assert.equal(refused.error.headers?.['x-ratelimit-limit'], String(daily));
        assert.equal(refused.error.headers?.['x-ratelimit-remaining'], '0');
        const midnight = new Date(clock.now());
        midnight.setUTCHours(24, 0, 0, 0);
        assert.equal(refused.error.headers?.['retry-after'], `${midnight.toISOString().slice(0, 19)}Z`);
        assert.match(refused.error.message, /maximum daily rate limit/);
        clock.set(midnight.getTime() - 1000);
        assert.equal((await call(label)).ok, false, 'still refused one second before midnight');
        clock.set(midnight.getTime());
        assert.equal((await call(label)).ok, true, 'allowed again at 00:00 UTC');
      }
    });
  }

  test('pro and business share one daily cap between Heavy and Resource-intensive', async () => {
    const overrides = { Heavy: { daily: 4 }, 'Resource-intensive': { daily: 4 } };
    const { clock, call } = harness('business', { rate_limits: { overrides } });
    for (let i = 0; i < 3; i++) assert.equal((await call('Heavy')).ok, true);
    assert.equal((await call('Resource-intensive')).ok, true);
    clock.advance(60);
    const ri = await call('Resource-intensive');
    assert.equal(ri.ok, false);
    if (!ri.ok) assert.equal(ri.error.headers?.['x-ratelimit-type'], 'Daily-limit');
    assert.equal((await call('Heavy')).ok, false, 'Heavy draws from the same, spent, cap');
  });

  test('on the free plan Heavy and Resource-intensive have separate daily caps', async () => {
    const overrides = { Heavy: { daily: 1 }, 'Resource-intensive': { daily: 1 } };
    const { call } = harness('free', { rate_limits: { overrides } });
    assert.equal((await call('Heavy')).ok, true);
    assert.equal((await call('Resource-intensive')).ok, true);
  });

  test('Light and Medium count separately', async () => {
    const { call } = harness('free');
    for (let i = 0; i < 4; i++) assert.equal((await call('Light')).ok, true);
    assert.equal((await call('Light')).ok, false);
    assert.equal((await call('Medium')).ok, true);
  });

  test('refused requests do not count against the window', async () => {
    const { clock, call } = harness('free');
    for (let i = 0; i < 4; i++) await call('Light');
    for (let i = 0; i < 10; i++) assert.equal((await call('Light')).ok, false);
    clock.advance(1);
    for (let i = 0; i < 4; i++) assert.equal((await call('Light')).ok, true);
  });

  // docs/compatibility.md, "Free Resource-intensive daily cap": 30,000/day, unreachable at 10/min.
  test('free Resource-intensive: the 30,000 daily cap is kept but a whole day at 10 a minute stays under it', async () => {
    assert.equal(PLAN_LIMITS.free['Resource-intensive'].daily, 30000);
    const { clock, call } = harness('free');
    const midnight = Date.parse('2026-03-11T00:00:00.000Z');
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let minute = 0; minute < 1440; minute++) {
      clock.set(midnight + minute * 60_000);
      for (let i = 0; i < 10; i++) {
        last = await call('Resource-intensive');
        assert.equal(last.ok, true, `minute ${minute}, call ${i + 1}`);
      }
      assert.equal((await call('Resource-intensive')).ok, false, 'the 11th of a minute is refused (QPS)');
    }
    // 14,400 calls, the most a day allows: the daily window is not spent.
    assert.equal(last?.ok && last.headers['x-ratelimit-limit'], '30000');
    assert.equal(last?.ok && last.headers['x-ratelimit-remaining'], String(30000 - 1440 * 10));
    // The cap itself is there: with the per-minute rate raised, the 30,001st call of the day is refused.
    const raised = harness('free', { rate_limits: { overrides: { 'Resource-intensive': { rate: 40000 } } } });
    for (let i = 0; i < 30000; i++) assert.equal((await raised.call('Resource-intensive')).ok, true);
    const refused = await raised.call('Resource-intensive');
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.error.headers?.['x-ratelimit-type'], 'Daily-limit');
      assert.equal(refused.error.headers?.['x-ratelimit-limit'], '30000');
    }
  });

  // docs/compatibility.md, "Which window is reported when both are spent": the daily one.
  test('a request past both the per-second and the daily window is reported as Daily-limit', async () => {
    const { clock, call } = harness('free');
    // Free Heavy: 1 a second, 1,000 a day. 999 calls in 999 seconds, then the 1,000th.
    for (let i = 0; i < 1000; i++) {
      clock.advance(1);
      assert.equal((await call('Heavy')).ok, true, `call ${i + 1}`);
    }
    // Same second: the second's one call and the day's 1,000 are both spent.
    const refused = await call('Heavy');
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.error.headers?.['x-ratelimit-type'], 'Daily-limit');
      assert.equal(refused.error.headers?.['x-ratelimit-limit'], '1000');
      assert.match(refused.error.message, /maximum daily rate limit/);
    }
    // Only the per-second window spent (a fresh account's first call, then a second in that second): QPS.
    const fresh = harness('free');
    assert.equal((await fresh.call('Heavy')).ok, true);
    const qps = await fresh.call('Heavy');
    assert.equal(!qps.ok && qps.error.headers?.['x-ratelimit-type'], 'QPS');
  });

  // docs/compatibility.md, "Account plan and switches" and "An account's limit switches seen by the rate
  // limiter": kept one second of real time, forgotten at once by invalidate() (the control API's PATCH).
  test("an account's plan and switches are read again after one second of real time, or at once after invalidate()", async () => {
    let realNow = 1_000_000;
    const clock = new Clock({ frozenAt: NOON });
    // The store's row: another process (or a direct write) changes it without telling this limiter.
    const row: Account = {
      id: 'acct-cached',
      name: 'cached',
      plan: 'free',
      ownerUserId: null,
      accountNumber: 1,
      createdAt: 0,
      settings: {},
    };
    let loads = 0;
    const load = async () => {
      loads++;
      return structuredClone(row);
    };
    const limiter = new RateLimiter(clock, new MemoryWindowCounters(clock), load, true, () => realNow);
    const call = caller(limiter, row.id);
    for (let i = 0; i < 4; i++) assert.equal((await call('Light')).ok, true);
    assert.equal((await call('Light')).ok, false, 'free: 4 Light a second');
    assert.equal(loads, 1);

    row.plan = 'pro';
    realNow += 999;
    assert.equal((await call('Light')).ok, false, '999 ms later the cached free plan still applies');
    assert.equal(loads, 1);
    realNow += 1;
    assert.equal((await call('Light')).ok, true, 'one second later the pro plan (30 a second) applies');
    assert.equal(loads, 2);

    row.settings = { rate_limits: { enabled: false } };
    for (let i = 0; i < 30; i++) await call('Light');
    assert.equal((await call('Light')).ok, false, 'the switch is not seen while the cache is fresh');
    limiter.invalidate(row.id);
    for (let i = 0; i < 40; i++)
      assert.equal((await call('Light')).ok, true, 'invalidate() reads it at once');
    assert.equal(loads, 3);
  });
});

describe('rate limits over HTTP (GET /v2/users/{userId}/token, Light)', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
    await z.control('POST', '/clock', { set: '2026-03-10T12:00:00Z', frozen: true });
    token = await z.s2sToken();
  });
  after(() => z.close());

  const zak = () => z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);

  test("answers Zoom's per-second 429 with its headers on the 31st Light call of a Pro second", async () => {
    for (let i = 0; i < 30; i++) assert.equal((await zak()).status, 200);
    const res = await zak();
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, {
      code: 429,
      message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
    });
    assert.equal(res.headers.get('x-ratelimit-category'), 'Light');
    assert.equal(res.headers.get('x-ratelimit-type'), 'QPS');
    assert.equal(res.headers.get('x-ratelimit-limit'), '30');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(res.headers.get('retry-after'), '1');
    const usage = await z.control('GET', `/accounts/${z.demo.account_id}/limits`);
    assert.equal(usage.body.limits.Light.used_in_window, 30, 'the refused call is not counted');
    assert.equal(usage.body.limits.Light.used_today, null, 'Pro has no daily Light cap');
    const log = await z.control('GET', '/requests?status=429');
    assert.equal(log.body.requests[0].rate_limit.category, 'Light');
    assert.match(
      log.body.requests[0].reason,
      /^rate limited in category Light: 30 per second on the pro plan/,
    );
    await z.control('POST', '/clock', { advance: 1 });
    assert.equal((await zak()).status, 200);
  });

  test('omits Retry-After when the account is switched to, and turns limits off per account', async () => {
    const patched = await z.control('PATCH', `/accounts/${z.demo.account_id}/limits`, {
      omit_retry_after: true,
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.omit_retry_after, true);
    assert.equal(patched.body.limits.Light.rate, 30);
    await z.control('POST', '/clock', { advance: 1 });
    for (let i = 0; i < 30; i++) await zak();
    const res = await zak();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), null);
    assert.equal(res.headers.get('x-ratelimit-type'), 'QPS');
    await z.control('PATCH', `/accounts/${z.demo.account_id}/limits`, { enabled: false });
    for (let i = 0; i < 40; i++) assert.equal((await zak()).status, 200);
    const bad = await z.control('PATCH', `/accounts/${z.demo.account_id}/limits`, { enabled: 'no' });
    assert.equal(bad.status, 400);
    await z.control('PATCH', `/accounts/${z.demo.account_id}/limits`, {
      enabled: true,
      omit_retry_after: false,
    });
  });
});

describe('the two special daily caps (DailyQuotas, used by POST /users and meeting writes)', () => {
  test("user creations: the plan's cap per account, Zoom's 429 text, reset at 00:00 UTC", async () => {
    const clock = new Clock({ frozenAt: Date.parse('2026-03-10T23:59:00Z') });
    const quotas = new DailyQuotas(clock, new MemoryWindowCounters(clock));
    for (let i = 0; i < 50; i++) await quotas.requireUserCreate('acct-free', 'free');
    await assert.rejects(quotas.requireUserCreate('acct-free', 'free'), (error: ZoomRefusal) => {
      assert.equal(error.status, 429);
      assert.equal(
        error.message,
        'You have exceeded the daily rate limit (50) of user invite requests permitted for this account. You may resume these requests at GMT 00:00:00.',
      );
      assert.equal(error.headers?.['retry-after'], '2026-03-11T00:00:00Z');
      assert.equal(error.headers?.['x-ratelimit-type'], 'Daily-limit');
      return true;
    });
    await quotas.requireUserCreate('acct-other', 'free');
    clock.advance(60);
    assert.equal((await quotas.requireUserCreate('acct-free', 'free')).remaining, 49);
  });

  test('meeting creates/updates: 100 per host a day', async () => {
    const clock = new Clock({ frozenAt: NOON });
    const quotas = new DailyQuotas(clock, new MemoryWindowCounters(clock));
    for (let i = 0; i < 100; i++) await quotas.requireMeetingWrite('host-1');
    await assert.rejects(
      quotas.requireMeetingWrite('host-1'),
      /\(100\) of Meeting Create\/Update API requests/,
    );
    assert.equal((await quotas.requireMeetingWrite('host-2')).remaining, 99);
  });
});

describe('rate-limit settings', () => {
  test('ZEMU_RATE_LIMITS, ZEMU_REQUEST_LOG, ZEMU_REQUEST_LOG_SIZE, REDIS_URL and ZEMU_REDIS_PREFIX are read; flags win', () => {
    const config = resolveConfig(
      {},
      {
        ZEMU_RATE_LIMITS: 'off',
        ZEMU_REQUEST_LOG: 'false',
        ZEMU_REQUEST_LOG_SIZE: '500',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
        ZEMU_REDIS_PREFIX: 'x:',
      },
    );
    assert.equal(config.rateLimits, false);
    assert.equal(config.requestLog, false);
    assert.equal(config.requestLogSize, 500);
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379/2');
    assert.equal(config.redisPrefix, 'x:');
    assert.equal(resolveConfig({ rateLimits: true }, { ZEMU_RATE_LIMITS: 'off' }).rateLimits, true);
    assert.equal(resolveConfig({}, {}).rateLimits, true, 'limits are on by default, as at Zoom');
    assert.throws(
      () => resolveConfig({}, { ZEMU_RATE_LIMITS: 'maybe' }),
      /ZEMU_RATE_LIMITS must be on or off/,
    );
    assert.throws(() => resolveConfig({}, { ZEMU_REQUEST_LOG_SIZE: '0' }), /request log size/);
  });

  test('a counter store that fails lets requests through instead of failing them', async () => {
    const clock = new Clock({ frozenAt: NOON });
    const broken = new MemoryWindowCounters(clock);
    broken.hit = () => {
      throw new Error('redis is down');
    };
    const account = { id: 'a', plan: 'free', settings: {} } as unknown as Account;
    const limiter = new RateLimiter(clock, broken, async () => account, true);
    let warned = 0;
    const request = {
      routeOptions: { config: { rateLimitLabel: 'Light' } },
      principal: { accountId: 'a' },
      log: { warn: () => warned++ },
    } as unknown as FastifyRequest;
    for (let i = 0; i < 10; i++) await limiter.enforce(request, {} as FastifyReply);
    assert.equal(warned, 1);
  });
});

describe('rate-limit switches in the seed file', () => {
  test('an account can start with Retry-After omitted and its own numbers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-limits-seed-'));
    const file = path.join(dir, 'seed.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        accounts: [
          {
            id: 'seeded-limits',
            plan: 'free',
            owner: { email: 'owner@seeded-limits.test' },
            limits: { omit_retry_after: true, overrides: { Light: { rate: 1 } } },
          },
        ],
      }),
    );
    const z = await startTestZemu({ seedFile: file, rateLimits: true });
    try {
      const view = await z.control('GET', '/accounts/seeded-limits/limits');
      assert.equal(view.body.plan, 'free');
      assert.equal(view.body.omit_retry_after, true);
      assert.equal(view.body.limits.Light.rate, 1);
      assert.equal(view.body.limits.Light.daily, 6000);
    } finally {
      await z.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
