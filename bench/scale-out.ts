/**
 * `npm run bench:scale-out`: throughput of one Zemu against two on the same PostgreSQL (issue 13
 * point 3), over loopback, in alternating rounds. Two scenarios: a read (GET /v2/users/{id} with an
 * S2S token: the guard's lookup, the handler's read, the per-request shared-state read, a request
 * log entry) and a write (POST /oauth/token, account_credentials: one token INSERT). "two" splits the
 * same number of connections over both processes and adds their rates. The ratio two/one is the
 * figure; absolute rates depend on the machine (PostgreSQL runs on it too).
 * Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (20), ZEMU_BENCH_PG_URL
 * (postgres://postgres@127.0.0.1:5432/test). A schema of its own is created and dropped.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { build, cpuTimeUs, median, startServer, table, writeResult } from './lib.js';

interface ZemuInfo {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string; user_id: string };
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const base = process.env.ZEMU_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `zemu_bench_scale_${process.pid}`;
const url = `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

interface Run {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU (user + system) of the Zemu processes per answered request, microseconds. */
  cpuUs: number | null;
}

type Target = { url: string; headers: Record<string, string>; method: 'GET' | 'POST' };

async function drive(targets: Target[], pids: number[]): Promise<Run> {
  const before = pids.map(cpuTimeUs);
  const per = Math.max(1, Math.floor(connections / targets.length));
  const results = await Promise.all(
    targets.map((t) =>
      autocannon({ url: t.url, method: t.method, headers: t.headers, duration: seconds, connections: per }),
    ),
  );
  const after = pids.map(cpuTimeUs);
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const used =
    before.every((v) => v !== null) && after.every((v) => v !== null)
      ? after.reduce<number>((n, v, i) => n + (v as number) - (before[i] as number), 0)
      : null;
  return {
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    cpuUs: used === null || total === 0 ? null : used / total,
  };
}

async function token(info: ZemuInfo): Promise<string> {
  const res = await fetch(
    `${info.url}/oauth/token?grant_type=account_credentials&account_id=${info.demo.account_id}`,
    {
      method: 'POST',
      headers: { authorization: basic(info) },
    },
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

function basic(info: ZemuInfo): string {
  return `Basic ${Buffer.from(`${info.demo.client_id}:${info.demo.client_secret}`).toString('base64')}`;
}

process.stderr.write('bench: building the packages (the bench runs the compiled emulator)\n');
build();
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const a = await startServer<ZemuInfo>('', [url], 'scale-out-server.mjs');
const b = await startServer<ZemuInfo>('', [url], 'scale-out-server.mjs');
try {
  const bearer = `Bearer ${await token(a.info)}`;
  const read = (info: ZemuInfo): Target => ({
    url: `${info.url}/v2/users/${info.demo.user_id}`,
    method: 'GET',
    headers: { authorization: bearer },
  });
  const write = (info: ZemuInfo): Target => ({
    url: `${info.url}/oauth/token?grant_type=account_credentials&account_id=${info.demo.account_id}`,
    method: 'POST',
    headers: { authorization: basic(info) },
  });
  const scenarios = [
    { name: 'read: GET /v2/users/{id}', make: read },
    { name: 'write: POST /oauth/token', make: write },
  ];
  const samples = new Map<string, Run[]>();
  process.stderr.write(
    `bench: ${rounds} rounds x 2 scenarios x (one, two) x ${seconds}s, ${connections} connections in all\n`,
  );
  for (let round = 0; round < rounds; round++) {
    for (const s of scenarios) {
      // Alternate which goes first, so neither always runs on a warmer database.
      const order = round % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const);
      for (const mode of order) {
        const targets = mode === 'one' ? [s.make(a.info)] : [s.make(a.info), s.make(b.info)];
        const pids = mode === 'one' ? [a.pid] : [a.pid, b.pid];
        const run = await drive(targets, pids);
        const key = `${s.name}|${mode}`;
        samples.set(key, [...(samples.get(key) ?? []), run]);
      }
    }
  }
  const rows = [['scenario', 'instances', 'req/s', 'p99 ms', 'CPU us/req', 'errors', 'non-2xx']];
  const summary: Record<string, unknown> = {};
  for (const s of scenarios) {
    const rps: Record<string, number> = {};
    for (const mode of ['one', 'two'] as const) {
      const runs = samples.get(`${s.name}|${mode}`) ?? [];
      const r = {
        rps: median(runs.map((x) => x.rps)),
        p99: median(runs.map((x) => x.p99)),
        cpuUs: median(runs.map((x) => x.cpuUs ?? Number.NaN)),
        errors: runs.reduce((n, x) => n + x.errors, 0),
        non2xx: runs.reduce((n, x) => n + x.non2xx, 0),
      };
      rps[mode] = r.rps;
      summary[`${s.name}|${mode}`] = r;
      rows.push([
        s.name,
        mode,
        Math.round(r.rps).toString(),
        r.p99.toFixed(1),
        Number.isNaN(r.cpuUs) ? '-' : Math.round(r.cpuUs).toString(),
        String(r.errors),
        String(r.non2xx),
      ]);
    }
    summary[`${s.name}|ratio`] = (rps.two as number) / (rps.one as number);
  }
  process.stdout.write(`\n${table(rows)}\n\n`);
  for (const s of scenarios) {
    process.stdout.write(
      `${s.name}: two instances give ${((summary[`${s.name}|ratio`] as number) * 100).toFixed(0)}% of one\n`,
    );
  }
  const file = writeResult('scale-out', {
    rounds,
    seconds,
    connections,
    cores: (await import('node:os')).cpus().length,
    summary,
  });
  process.stdout.write(`saved ${file}\n`);
} finally {
  await a.stop();
  await b.stop();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
