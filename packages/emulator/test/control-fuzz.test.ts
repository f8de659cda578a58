/**
 * Bad input never breaks the control API or a seed file. Every /_zemu route the Fastify app has
 * registered (read from its route table, so routes other modules add are covered without a list
 * here) gets seeded random requests: path parameters, query strings and JSON bodies built from the
 * control API's field names with values of random types (huge, negative, non-finite-looking, wrong
 * types). Every answer is below 500, every refusal has Zoom's {code, message} shape, and a refused
 * request changes nothing (a digest of every table, the clock, the fault rules and the dispatcher
 * switch is the same before and after; the meeting participants routes get a live meeting, a
 * meeting not started and their participants' ids besides junk). Streaming routes are opened and closed once their headers
 * arrive. A file-backed Zemu fuzzed this way still starts on its file, answers health and grants a
 * token; a clock stored unreadable is logged and replaced by real time.
 * ZEMU_FUZZ_SEED picks another seed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { CLOCK_MAX_MS } from '../src/clock.js';
import { applySeed, SeedError, type SeedFile } from '../src/world/seed.js';
import { basic, type HttpResult, startTestZemu, stateDigest, type TestZemu } from './helpers.js';

const ROUNDS = Number(process.env.ZEMU_FUZZ_ROUNDS ?? 30);
const SEED = Number(process.env.ZEMU_FUZZ_SEED ?? 20261202);

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The field names the control API and seed files read, and a few it does not. */
const FIELDS = [
  'advance',
  'set',
  'frozen',
  'name',
  'plan',
  'owner',
  'email',
  'first_name',
  'last_name',
  'type',
  'status',
  'role_id',
  'password',
  'action',
  'login_type',
  'scopes',
  'redirect_uris',
  'client_id',
  'client_secret',
  'settings',
  'enabled',
  'token',
  'path',
  'method',
  'count',
  'probability',
  'ttl_seconds',
  'expires_at',
  'latency_ms',
  'body',
  'headers',
  'endpoint_url',
  'events',
  'secret_token',
  'paused',
  'user_id',
  'account_id',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'state',
  'limits',
  'id',
  'legacy_single_token',
  'token_tolerance',
  'retry_after',
  'daily',
  'accounts',
  'users',
  'apps',
  'faults',
  'clock',
  'webhooks',
  '__proto__',
  'constructor',
] as const;

const STRINGS = [
  '',
  ' ',
  'x'.repeat(3000),
  '0',
  '-1',
  '1e309',
  'NaN',
  'true',
  'null',
  '{}',
  '[]',
  'é✓😀',
  '<b>',
  "' OR 1=1",
  '%00',
  'me',
  'a@b.c',
  '2026-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1969-12-31T23:59:59Z',
  'http://127.0.0.1:1/hook',
  'error',
  'latency',
  'reset',
  'drop',
  '/v2/**',
  'server_to_server',
  'user:read:user:admin',
];

const NUMBERS = [
  0,
  -1,
  1.5,
  2 ** 53,
  -(2 ** 63),
  99999999999,
  -99999999999,
  1e308,
  -1e308,
  5e-324,
  253402300800,
];

function generator(seed: number) {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  function value(depth: number): unknown {
    const kind = random();
    if (depth < 3 && kind < 0.15) return object(depth + 1);
    if (kind < 0.4) return pick(STRINGS);
    if (kind < 0.65) return pick(NUMBERS);
    if (kind < 0.75) return random() < 0.5;
    if (kind < 0.82) return null;
    return [value(depth + 1), pick(STRINGS)];
  }
  function object(depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const n = Math.floor(random() * 6);
    for (let i = 0; i < n; i++) out[pick(FIELDS)] = value(depth);
    return out;
  }
  return { random, pick, value, object };
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Target {
  method: string;
  url: string;
}

function controlRoutes(z: TestZemu): Target[] {
  const seen = new Set<string>();
  return z.zemu.built.routes
    .filter((r) => r.url.startsWith('/_zemu'))
    .filter((r) => {
      const key = `${r.method} ${r.url}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const isStream = (route: Target) => route.method === 'GET' && /\/stream$/.test(route.url);

/** Sends one random request to `route`; returns what was sent and what came back. */
async function fuzzOnce(
  z: TestZemu,
  route: Target,
  gen: ReturnType<typeof generator>,
  ids: Record<string, string[]>,
): Promise<{ sent: string; res: HttpResult | null; status: number }> {
  const { random, pick, value, object } = gen;
  const junk = ['0', 'nobody', 'x'.repeat(300), '%F0%9F%98%80', '..', 'a@b.c', '-1'];
  const filled = route.url.replace(/:(\w+)|\*/g, (_m, name: string | undefined) => {
    const known = (name && ids[name]) || ids.any || [];
    return encodeURIComponent(random() < 0.6 && known.length ? pick(known) : pick(junk));
  });
  const params = new URLSearchParams();
  for (let i = Math.floor(random() * 3); i > 0; i--) params.append(pick(FIELDS), String(value(3)));
  const query = params.size ? `?${params}` : '';
  const payload =
    route.method === 'GET' || route.method === 'DELETE' ? undefined : random() < 0.15 ? value(0) : object();
  const sent = `${route.method} ${filled}${query} ${JSON.stringify(payload)?.slice(0, 300)}`;
  if (isStream(route)) {
    const abort = new AbortController();
    const response = await fetch(`${z.url}${filled}${query}`, { signal: abort.signal });
    abort.abort();
    return { sent, res: null, status: response.status };
  }
  const raw = payload !== undefined && random() < 0.05;
  const res = await z.request(route.method, `${filled}${query}`, {
    headers: payload === undefined && !raw ? {} : { 'content-type': 'application/json' },
    body: raw ? '{"broken": ' : payload === undefined ? undefined : JSON.stringify(payload),
  });
  return { sent, res, status: res.status };
}

async function knownIds(z: TestZemu): Promise<Record<string, string[]>> {
  const fault = await z.control('POST', '/faults', { path: '/v2/nothing/*', action: 'error', status: 503 });
  // A live meeting with its host and a guest in, and one not started: the participants routes reach both.
  const token = await z.s2sToken();
  const meetingIds: string[] = [];
  const participantIds: string[] = [];
  for (const topic of ['fuzz live', 'fuzz waiting']) {
    const m = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, { topic, duration: 600 });
    assert.equal(m.status, 201, m.text);
    meetingIds.push(String(m.body.id));
  }
  for (const person of [{ user_id: z.demo.user_id }, { name: 'Guest', email: 'g@fuzz.test' }]) {
    const p = await z.control('POST', `/meetings/${meetingIds[0]}/participants`, person);
    assert.equal(p.status, 201, p.text);
    participantIds.push(String(p.body.id));
  }
  return {
    accountId: [z.demo.account_id],
    clientId: [z.demo.client_id],
    userId: [z.demo.user_id, 'me'],
    meetingId: meetingIds,
    participantId: [...participantIds, '16778240'],
    id: [fault.body.id],
    any: [z.demo.account_id, z.demo.client_id, z.demo.user_id],
  };
}

describe('random bad input to every /_zemu route', () => {
  let z: TestZemu;
  let ids: Record<string, string[]>;
  const gen = generator(SEED);
  before(async () => {
    z = await startTestZemu();
    ids = await knownIds(z);
  });
  after(() => z.close());

  test('the route table is read from the app: the control API has its routes in it', () => {
    const urls = controlRoutes(z).map((r) => `${r.method} ${r.url}`);
    for (const expected of ['POST /_zemu/clock', 'GET /_zemu/health', 'GET /_zemu/requests/stream'])
      assert.ok(urls.includes(expected), `${expected} in ${urls.join(', ')}`);
  });

  test(`every /_zemu route: ${ROUNDS} random requests each, none 5xx, refusals Zoom-shaped and changing nothing`, async () => {
    const routes = controlRoutes(z);
    assert.ok(routes.length >= 20, `found ${routes.length} control routes`);
    for (const route of routes) {
      for (let i = 0; i < ROUNDS; i++) {
        // Work a call a moment ago left to the background: a sweep (live/sweeper.ts) closing meetings
        // after a clock change, the fan-out of the events a participant joining or leaving recorded.
        await z.zemu.built.sweeper.idle();
        await z.zemu.built.ctx.webhooks.deliverNow();
        const digest = await stateDigest(z);
        const { sent, res, status } = await fuzzOnce(z, route, gen, ids);
        assert.ok(status < 500, `${sent} -> ${status} ${res?.text.slice(0, 300)}`);
        if (!res || status < 400) continue;
        assert.equal(typeof res.body?.code, 'number', `${sent} -> ${res.text.slice(0, 300)}`);
        assert.equal(typeof res.body?.message, 'string', `${sent} -> ${res.text.slice(0, 300)}`);
        assert.equal(await stateDigest(z), digest, `${sent} -> ${status}, yet the state changed`);
      }
    }
    const health = await z.control('GET', '/health');
    assert.equal(health.status, 200, health.text);
  });
});

describe('the clock accepts only times from 1970 to 9999', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  const refusals: [string, Record<string, unknown>, string][] = [
    ['advance 1e308', { advance: 1e308 }, 'advance'],
    ['advance -99999999999', { advance: -99999999999 }, 'advance'],
    ['advance past 9999', { set: '9999-12-31T23:59:00Z', advance: 120 }, 'advance'],
    ['set before 1970', { set: '1969-12-31T23:59:59Z' }, 'set'],
    ['set to year 275760', { set: '+275760-09-13T00:00:00Z' }, 'set'],
    ['set a number', { set: 1e15 }, 'set'],
  ];
  for (const [name, body, field] of refusals) {
    test(`${name}: 400 code 300 naming ${field}, the clock unchanged and health still answering`, async () => {
      const before = (await z.control('GET', '/clock')).body;
      const res = await z.control('POST', '/clock', { frozen: true, ...body });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 300);
      assert.equal(res.body.message, 'Validation Failed.');
      assert.deepEqual(
        res.body.errors.map((e: { field: string }) => e.field),
        [field],
      );
      const afterwards = (await z.control('GET', '/clock')).body;
      assert.equal(afterwards.frozen, before.frozen, 'a refused call does not freeze the clock either');
      assert.equal((await z.control('GET', '/health')).status, 200);
    });
  }

  test('the edges are accepted: 1970-01-01 and 9999-12-31T23:59:59.999Z', async () => {
    const low = await z.control('POST', '/clock', { set: '1970-01-01T00:00:00.000Z', frozen: true });
    assert.equal(low.status, 200, low.text);
    assert.equal(low.body.epoch_ms, 0);
    const high = await z.control('POST', '/clock', { set: '9999-12-31T23:59:59.998Z', advance: 0.001 });
    assert.equal(high.status, 200, high.text);
    assert.equal(high.body.epoch_ms, CLOCK_MAX_MS);
    assert.equal((await z.control('POST', '/clock', { advance: 0.001 })).status, 400);
    const token = await z.s2sToken();
    assert.equal((await z.api('GET', '/users/me', token)).status, 200, 'tokens work at the end of 9999');
    await z.control('POST', '/clock', { frozen: false, set: new Date().toISOString() });
  });
});

describe('no control call leaves a store that fails after a restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-control-fuzz-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file-backed Zemu fuzzed on every control route restarts on its file: health and a token grant work', async () => {
    const gen = generator(SEED + 1);
    let z = await startTestZemu({ memory: false, dataDir: dir });
    const ids = await knownIds(z);
    for (const route of controlRoutes(z)) {
      for (let i = 0; i < 10; i++) {
        const { sent, status } = await fuzzOnce(z, route, gen, ids);
        assert.ok(status < 500, `${sent} -> ${status}`);
      }
    }
    // The calls of the issue, on top.
    await z.control('POST', '/clock', { advance: 1e308 });
    await z.control('POST', '/clock', { advance: -99999999999 });
    await z.close();

    z = await startTestZemu({ memory: false, dataDir: dir });
    try {
      const health = await z.control('GET', '/health');
      assert.equal(health.status, 200, health.text);
      const account = await z.control('POST', '/accounts', {
        name: 'After restart',
        owner: { email: `owner-${Date.now()}@restart.test` },
      });
      assert.equal(account.status, 201, account.text);
      const app = await z.control('POST', `/accounts/${account.body.id}/apps`, {
        name: 'After restart',
        type: 'server_to_server',
        scopes: ['user:read:user:admin'],
      });
      assert.equal(app.status, 201, app.text);
      const grant = await z.request(
        'POST',
        `/oauth/token?grant_type=account_credentials&account_id=${account.body.id}`,
        { headers: { authorization: basic(app.body.client_id, app.body.client_secret) } },
      );
      assert.equal(grant.status, 200, grant.text);
      const me = await z.api('GET', '/users/me', grant.body.access_token);
      assert.equal(me.status, 200, me.text);
    } finally {
      await z.close();
    }
  });

  test('a stored clock that is unreadable is logged, and Zemu starts on real time', async () => {
    const data = fs.mkdtempSync(path.join(dir, 'clock-'));
    const first = await startTestZemu({ memory: false, dataDir: data });
    await first.close();
    const db = new SQLite(path.join(data, 'zemu.sqlite'));
    db.prepare(
      "insert into zemu_meta (key, value) values ('clock', ?) on conflict (key) do update set value = excluded.value",
    ).run('{"offsetMs":1e400,"frozenAt":null}');
    db.close();
    const child = spawn(
      process.execPath,
      [
        '--conditions=zemu-source',
        '--import',
        'tsx',
        'packages/emulator/src/cli/main.ts',
        'serve',
        '--data',
        data,
        '--port',
        '0',
        '--log-level',
        'warn',
      ],
      {
        cwd: root,
        env: { ...process.env, ZEMU_PORT: '', ZEMU_SEED: '', DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    try {
      while (!out.includes('Ctrl-C')) {
        const [exited] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
        if (typeof exited === 'number') assert.fail(`zemu exited: ${out} ${err}`);
      }
      const url = /https?:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      assert.ok(url, out);
      const clock = (await (await fetch(`${url}/_zemu/clock`)).json()) as { epoch_ms: number };
      assert.ok(Math.abs(clock.epoch_ms - Date.now()) < 60_000, `real time: ${JSON.stringify(clock)}`);
      assert.equal((await fetch(`${url}/_zemu/health`)).status, 200);
      const line = err
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((l) => /stored clock is unreadable/.test(l.msg));
      assert.ok(line, `a pino warning on stderr: ${err}`);
      assert.equal(line.level, 40);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

describe('random bad seed files', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  const valid = (n: number): SeedFile =>
    ({
      accounts: [
        {
          id: `acct_seed_fuzz_${n}`,
          name: 'Seed fuzz',
          plan: 'pro',
          owner: { email: `owner${n}@seedfuzz.test`, first_name: 'Own', last_name: 'Er' },
          users: [{ email: `user${n}@seedfuzz.test`, type: 1 }],
          apps: [
            {
              name: 'Fuzz S2S',
              type: 'server_to_server',
              client_id: `seedFuzzClient${n}`,
              client_secret: `seedFuzzSecret${n}`.padEnd(32, '0'),
              scopes: ['user:read:user:admin'],
              secret_token: 'seedFuzzSecretToken0000',
              webhooks: [{ endpoint_url: 'https://127.0.0.1:1/hook', events: ['user.created'] }],
            },
          ],
          limits: { light: true },
        },
      ],
      clock: { set: '2026-06-01T00:00:00Z' },
      faults: [{ path: '/v2/users/*', action: 'error', status: 503, count: 1 }],
    }) as unknown as SeedFile;

  /** Replaces a random node of `seed` (at any depth) with a random value, or deletes it. */
  function mutate(seed: unknown, gen: ReturnType<typeof generator>): void {
    let node = seed as Record<string, unknown>;
    for (let depth = 0; depth < 6; depth++) {
      const keys = Object.keys(node);
      if (keys.length === 0) return;
      const key = gen.pick(keys);
      const child = node[key];
      if (child && typeof child === 'object' && gen.random() < 0.7) {
        node = child as Record<string, unknown>;
        continue;
      }
      if (gen.random() < 0.2) delete node[key];
      else node[key] = gen.value(1);
      return;
    }
  }

  test('300 mutated seeds: each loads or is refused with a SeedError naming the place, and a refused seed changes nothing', async () => {
    const gen = generator(SEED + 2);
    const { ctx } = z.zemu.built;
    let loaded = 0;
    for (let i = 0; i < 300; i++) {
      const seed = valid(i);
      for (let m = 1 + Math.floor(gen.random() * 3); m > 0; m--) mutate(seed, gen);
      const digest = await stateDigest(z);
      const sent = JSON.stringify(seed).slice(0, 400);
      try {
        await applySeed(seed, ctx.store, ctx.world, ctx.clock, ctx.faults);
        loaded++;
      } catch (error) {
        assert.ok(error instanceof SeedError, `${sent} -> ${(error as Error)?.stack}`);
        assert.ok(error.message.length > 0);
        assert.equal(
          await stateDigest(z),
          digest,
          `${sent} -> refused (${error.message}), yet the state changed`,
        );
      }
      ctx.faults.clear();
    }
    assert.ok(loaded > 0, 'some mutations still load');
    assert.equal((await z.control('GET', '/health')).status, 200);
  });
});
