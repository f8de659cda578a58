/**
 * Faults in what Zemu depends on (issue 13 point 5). PostgreSQL restarting under load: requests fail
 * with Zoom-shaped 503s, never 500s, and Zemu recovers by itself when it returns. Redis going away:
 * the limits fall back to the process's memory, never a 500, and return to Redis when it is back.
 * Both are tested for real: the suites stop and start the local service (as the environment notes
 * allow) and always start it again in a `finally`. Because that takes the service away from every
 * other suite too, this file lives in test/serial/, which `npm test` runs on its own after the rest
 * (`npm run test:serial`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { oauthErrors } from '../../src/errors/oauth.js';
import { zoomErrors } from '../../src/errors/zoom.js';
import { toZoomOrOAuthError } from '../../src/http/errors.js';
import { unavailableDependency } from '../../src/http/unavailable.js';
import { RedisWindowCounters } from '../../src/limits/counters.js';
import type { SeedFile } from '../../src/world/seed.js';
import { basic, PG_BASE_URL, startTestZemu, type TestZemu } from '../helpers.js';
import { postgresRequirement, redisRequirement } from '../requirements.js';

const postgres = await postgresRequirement();
const redisNeed = await redisRequirement();

describe('errors of a dependency that is away', () => {
  const err = (fields: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), fields);

  test('PostgreSQL, socket and Redis failures are recognised; bugs are not', () => {
    for (const away of [
      err({ code: '57P01' }, 'terminating connection due to administrator command'),
      err({ code: '57P03' }, 'the database system is starting up'),
      err({ code: '08006' }, 'connection failure'),
      err({ code: '53300' }, 'sorry, too many clients already'),
      err({ code: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:5432'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection is closed.'),
      err({ name: 'MaxRetriesPerRequestError' }, 'Reached the max retries per request limit'),
      new AggregateError([err({ code: 'ECONNREFUSED' }), err({ code: 'ECONNREFUSED' })], ''),
      new Error('query failed', { cause: err({ code: 'ECONNRESET' }) }),
      err({ code: 'SQLITE_BUSY' }, 'database is locked'),
    ]) {
      assert.ok(unavailableDependency(away), `${(away as Error).message}`);
    }
    for (const bug of [
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      err({ code: '23505' }, 'duplicate key value violates unique constraint'),
      err({ code: '42P01' }, 'relation "users" does not exist'),
      err({ code: 'SQLITE_CONSTRAINT' }, 'UNIQUE constraint failed'),
      new AggregateError([err({ code: 'ECONNREFUSED' }), new TypeError('x')], ''),
      null,
      'a string',
    ]) {
      assert.equal(unavailableDependency(bug), undefined, String(bug));
    }
  });

  test('answers 503 in Zoom shape on /v2 and /_zemu, in OAuth shape on /oauth, naming the cause for logs', () => {
    const down = err({ code: '57P01' }, 'terminating connection due to administrator command');
    const v2 = toZoomOrOAuthError(down, '/v2/users/me');
    assert.deepEqual([v2?.status, v2?.body()], [503, { code: 503, message: 'Service Unavailable.' }]);
    assert.match((v2 as ReturnType<typeof zoomErrors.unavailable>).reason ?? '', /57P01/);
    const control = toZoomOrOAuthError(down, '/_zemu/health');
    assert.deepEqual(control?.body(), zoomErrors.unavailable('x').body());
    const oauth = toZoomOrOAuthError(down, '/oauth/token');
    assert.deepEqual(
      [oauth?.status, oauth?.body()],
      [503, { reason: 'Service Unavailable.', error: 'server_error' }],
    );
    assert.deepEqual(oauth?.body(), oauthErrors.unavailable('x').body());
    assert.equal(toZoomOrOAuthError(new TypeError('bug'), '/v2/users/me'), undefined, 'a bug stays a 500');
  });
});

/** The local cluster's name, when this machine lets the suite stop and start it. */
function localCluster(): string[] | string {
  if (!/@(127\.0\.0\.1|localhost):5432\//.test(PG_BASE_URL))
    return `PostgreSQL at ${PG_BASE_URL} is not local`;
  try {
    const [version] = fs.readdirSync('/etc/postgresql');
    execFileSync('pg_lsclusters', [], { stdio: 'ignore' });
    return version ? [version, 'main'] : 'no cluster in /etc/postgresql';
  } catch {
    return 'pg_ctlcluster is not available to stop and start PostgreSQL';
  }
}

function pgctl(cluster: string[], action: 'stop' | 'start'): void {
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...cluster, action], { stdio: 'pipe' });
}

/** A schema of its own, through short-lived connections (a connection open across the stop would fail). */
async function onAdmin(query: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(query);
  } finally {
    await admin.end();
  }
}

interface Outcome {
  kind: string;
  status: number;
  text: string;
  phase: 'before' | 'down' | 'after';
}

/**
 * Mixed requests in `lanes` parallel loops until told to stop: reads, token grants and user creates.
 * A request that cannot reach Zemu at all is recorded as status 0.
 */
function startLoad(z: TestZemu, token: string, lanes: number) {
  const outcomes: Outcome[] = [];
  const created: string[] = [];
  let phase: Outcome['phase'] = 'before';
  let running = true;
  let n = 0;
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.test()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const one = async (lane: number) => {
    const i = n++;
    const kind = ['read', 'grant', 'create'][i % 3] as string;
    let res: { status: number; text: string; body?: { id?: string } };
    try {
      if (kind === 'read') res = await z.api('GET', '/users/me', token);
      else if (kind === 'grant') {
        res = await z.request(
          'POST',
          `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
          { headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) } },
        );
      } else {
        res = await z.api('POST', '/users', token, {
          action: 'custCreate',
          user_info: { email: `load-${lane}-${i}@pg-restart.test`, type: 1 },
        });
        if (res.status === 201 && res.body?.id) created.push(res.body.id);
      }
    } catch (error) {
      res = { status: 0, text: String(error) };
    }
    outcomes.push({ kind, status: res.status, text: res.text.slice(0, 300), phase });
    check();
  };
  const loops = Array.from({ length: lanes }, async (_, lane) => {
    while (running) await one(lane);
  });
  return {
    outcomes,
    created,
    setPhase(next: Outcome['phase']) {
      phase = next;
    },
    /** Resolves once `predicate` holds over the outcomes so far. */
    until(predicate: (outcomes: Outcome[]) => boolean): Promise<void> {
      if (predicate(outcomes)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test: () => predicate(outcomes), resolve }));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const cluster = 'url' in postgres ? localCluster() : 'no PostgreSQL';
const pgSkip = 'skip' in postgres ? postgres.skip : typeof cluster === 'string' ? cluster : false;

describe('PostgreSQL restarting under load', { skip: pgSkip }, () => {
  test('requests fail with Zoom-shaped 503s, never 500s, and Zemu recovers by itself when PostgreSQL returns', {
    timeout: 120_000,
  }, async () => {
    const controlled = cluster as string[];
    const schema = `zemu_restart_${process.pid}_${Date.now()}`;
    await onAdmin(`CREATE SCHEMA ${schema}`);
    const url = `${PG_BASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const z = await startTestZemu({ databaseUrl: url });
    let load: ReturnType<typeof startLoad> | undefined;
    try {
      const token = await z.s2sToken();
      load = startLoad(z, token, 4);
      const ok = (o: Outcome) => o.status === 200 || o.status === 201;
      await load.until((all) => all.filter(ok).length >= 30);

      let whileDown: { health: number; v2: Outcome; oauth: Outcome } | undefined;
      try {
        load.setPhase('down');
        pgctl(controlled, 'stop');
        // Every kind of request has met the outage while the loops ran on.
        await load.until((all) =>
          ['read', 'grant', 'create'].every(
            (kind) =>
              all.filter((o) => o.phase === 'down' && o.kind === kind && o.status === 503).length >= 3,
          ),
        );
        const health = await z.control('GET', '/health');
        const v2 = await z.api('GET', '/users/me', token);
        const oauth = await z.request(
          'POST',
          `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
          { headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) } },
        );
        whileDown = {
          health: health.status,
          v2: { kind: 'read', status: v2.status, text: v2.text, phase: 'down' },
          oauth: { kind: 'grant', status: oauth.status, text: oauth.text, phase: 'down' },
        };
      } finally {
        pgctl(controlled, 'start');
      }
      load.setPhase('after');
      // Recovered by itself: every kind of request succeeds again, with nothing done to Zemu.
      await load.until((all) =>
        ['read', 'grant', 'create'].every((kind) =>
          all.some((o) => o.phase === 'after' && o.kind === kind && ok(o)),
        ),
      );
      await load.stop();

      assert.equal(whileDown?.health, 503, '/_zemu/health says the store is away');
      assert.deepEqual(JSON.parse(whileDown?.v2.text ?? ''), { code: 503, message: 'Service Unavailable.' });
      assert.equal(whileDown?.v2.status, 503);
      assert.deepEqual(JSON.parse(whileDown?.oauth.text ?? ''), {
        reason: 'Service Unavailable.',
        error: 'server_error',
      });
      assert.equal(whileDown?.oauth.status, 503);
      const statuses = new Set(load.outcomes.map((o) => o.status));
      const wrong = load.outcomes.filter((o) => ![200, 201, 503].includes(o.status));
      assert.deepEqual(wrong.slice(0, 3), [], `only 200, 201 and 503 (saw ${[...statuses].join(', ')})`);
      for (const o of load.outcomes.filter((x) => x.status === 503)) {
        const body = JSON.parse(o.text);
        assert.ok(body.code === 503 || body.error === 'server_error', `a 503 in Zoom's shape: ${o.text}`);
      }
      // Every acknowledged create is there, and the store answers as before.
      const health = await z.control('GET', '/health');
      assert.equal(health.status, 200, health.text);
      for (const id of load.created) {
        const got = await z.api('GET', `/users/${id}`, token);
        assert.equal(got.status, 200, `user ${id} created before or after the restart: ${got.text}`);
      }
    } finally {
      await load?.stop();
      await z.close();
      await onAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
});

describe('Redis going away', { skip: 'skip' in redisNeed && redisNeed.skip }, () => {
  const redisUrl = 'url' in redisNeed ? redisNeed.url : '';
  const local = /^redis:\/\/(127\.0\.0\.1|localhost):6379\/?$/.test(redisUrl);

  /** The free plan's Light limit is 4 a second: the fifth request in a second is 429. */
  const SEED: SeedFile = {
    accounts: [
      {
        id: 'redis-away-acct',
        plan: 'free',
        owner: { id: 'redis-away-owner', email: 'owner@redis-away.test' },
        apps: [
          {
            name: 'redis away',
            type: 'server_to_server',
            client_id: 'redis-away-app',
            client_secret: 'redis-away-secret-0123456789abc',
            scopes: ['user:read:token:admin', 'user:write:user:admin', 'user:read:user:admin'],
          },
        ],
      },
    ],
  };
  const app = {
    account_id: 'redis-away-acct',
    client_id: 'redis-away-app',
    client_secret: 'redis-away-secret-0123456789abc',
  };

  async function lightBurst(z: TestZemu, token: string, n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push((await z.api('GET', '/users/redis-away-owner/token?type=zak', token)).status);
    }
    return out;
  }

  test('limits fall back to the process and hold, never a 500; counting returns to Redis when it is back', {
    skip: local ? false : `Redis at ${redisUrl} is not the local service this suite may restart`,
    timeout: 60_000,
  }, async () => {
    const prefix = `zemu-away:${process.pid}:${Date.now()}:`;
    const z = await startTestZemu({
      rateLimits: true,
      redisUrl,
      redisPrefix: prefix,
      seed: SEED,
      demo: false,
    });
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    probe.on('error', () => undefined);
    try {
      const counters = z.zemu.built.ctx.limiter.counters as RedisWindowCounters;
      assert.ok(counters instanceof RedisWindowCounters);
      await z.control('POST', '/clock', { set: '2031-03-03T10:00:00Z', frozen: true });
      const token = await z.s2sToken(app);
      assert.deepEqual(await lightBurst(z, token, 5), [200, 200, 200, 200, 429], 'counted in Redis');
      await probe.connect();
      const keys = await probe.keys(`${prefix}*`);
      assert.ok(keys.length > 0, 'the windows live in Redis');

      let whileAway: {
        burst: number[];
        create: number;
        limits: number;
        reset: number;
      };
      try {
        const closed = new Promise((resolve) => counters.redis.once('close', resolve));
        execFileSync('redis-cli', ['-u', redisUrl, 'shutdown', 'nosave'], { stdio: 'pipe' });
        await closed;
        assert.equal(counters.connected, false);
        await z.control('POST', '/clock', { advance: 1 });
        const burst = await lightBurst(z, token, 6);
        // The daily cap of user creations counts through the same counters.
        await z.control('POST', '/clock', { advance: 1 });
        const create = await z.api('POST', '/users', token, {
          action: 'custCreate',
          user_info: { email: 'while-away@redis-away.test', type: 1 },
        });
        const limits = await z.control('GET', '/accounts/redis-away-acct/limits');
        const reset = await z.control('POST', '/reset');
        whileAway = { burst, create: create.status, limits: limits.status, reset: reset.status };
      } finally {
        execFileSync(
          'redis-server',
          [
            '--daemonize',
            'yes',
            '--bind',
            '127.0.0.1',
            '-::1',
            '--port',
            '6379',
            '--save',
            '',
            '--appendonly',
            'no',
            '--dir',
            '/var/lib/redis',
            '--logfile',
            '/var/log/redis/ci.log',
          ],
          { stdio: 'pipe' },
        );
      }
      assert.deepEqual(
        whileAway.burst,
        [200, 200, 200, 200, 429, 429],
        'the limit holds in this process while Redis is away',
      );
      assert.equal(whileAway.create, 201, 'the daily cap falls back too');
      assert.equal(whileAway.limits, 200);
      assert.equal(whileAway.reset, 204);

      // ioredis reconnects by itself; counting goes back to Redis.
      // (events.once would reject on the 'error' of a reconnection attempt made before Redis was up.)
      if (!counters.connected) await new Promise((resolve) => counters.redis.once('ready', resolve));
      await z.control('POST', '/clock', { set: '2031-03-04T10:00:00Z', frozen: true });
      const again = await z.s2sToken(app);
      assert.deepEqual(await lightBurst(z, again, 5), [200, 200, 200, 200, 429]);
      const fresh = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      try {
        assert.ok((await fresh.keys(`${prefix}rl:*`)).length > 0, 'the windows are in Redis again');
      } finally {
        fresh.disconnect();
      }
    } finally {
      probe.disconnect();
      await z.close();
    }
  });
});
