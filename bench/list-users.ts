/**
 * `npm run bench:list-users`: GET /v2/users with page_size=300 against two Zemus in one run, one holding
 * 10,000 users and one 100,000 (issue 5). A page must cost the same whatever the number of users, so
 * the two figures are compared for each of:
 *   - a deep page: next_page_token of the page in the middle of the list (keyset, no count)
 *   - the first page: counts the total (total_records, page_count) as Zoom's answer carries it
 * Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (10).
 */
import { alternate, build, rssMb, type Scenario, startServer, table, writeResult } from './lib.js';

interface Info {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string; user_id: string };
  users: number;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SIZES = [10_000, 100_000];
const PAGE = 300;

const start = (users: number) => startServer<Info>('', [String(users)], 'list-users-server.mjs');

/** A token, and the next_page_token of the page in the middle, found by walking there. */
async function prepare(info: Info) {
  const basic = `Basic ${Buffer.from(`${info.demo.client_id}:${info.demo.client_secret}`).toString('base64')}`;
  const res = await fetch(
    `${info.url}/oauth/token?grant_type=account_credentials&account_id=${info.demo.account_id}`,
    { method: 'POST', headers: { authorization: basic } },
  );
  const { access_token } = (await res.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${access_token}` };
  const middle = Math.floor(info.users / PAGE / 2);
  let next = '';
  for (let page = 1; page <= middle; page++) {
    const r = await fetch(
      `${info.url}/v2/users?page_size=${PAGE}${next ? `&next_page_token=${encodeURIComponent(next)}` : ''}`,
      { headers },
    );
    const body = (await r.json()) as { next_page_token: string; total_records: number };
    if (page === 1 && body.total_records !== info.users + 1) {
      throw new Error(`expected ${info.users + 1} users, the first page says ${body.total_records}`);
    }
    next = body.next_page_token;
  }
  return { headers, deepToken: next, middle: middle + 1 };
}

process.stderr.write('bench: building the packages (the bench runs the compiled emulator)\n');
build();
const servers = [];
try {
  for (const size of SIZES) {
    process.stderr.write(`bench: starting a Zemu with ${size} users\n`);
    servers.push(await start(size));
  }
  const scenarios: Scenario[] = [];
  const pages: Record<number, number> = {};
  for (const server of servers) {
    const { headers, deepToken, middle } = await prepare(server.info);
    pages[server.info.users] = middle;
    scenarios.push(
      {
        name: `deep page (${middle}), ${server.info.users} users`,
        method: 'GET',
        url: `${server.info.url}/v2/users?page_size=${PAGE}&next_page_token=${encodeURIComponent(deepToken)}`,
        headers,
      },
      {
        name: `first page, ${server.info.users} users`,
        method: 'GET',
        url: `${server.info.url}/v2/users?page_size=${PAGE}`,
        headers,
      },
    );
  }
  process.stderr.write(
    `bench: ${rounds} rounds x ${scenarios.length} scenarios x ${seconds}s, ${connections} connections\n`,
  );
  const results = await alternate(scenarios, { rounds, seconds, connections });
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms']];
  for (const s of scenarios) {
    const r = results.get(s.name)!;
    rows.push([s.name, Math.round(r.rps).toString(), r.p50.toFixed(1), r.p99.toFixed(1)]);
  }
  process.stdout.write(`\n${table(rows)}\n\n`);
  const [small, large] = SIZES as [number, number];
  for (const kind of ['deep page', 'first page'] as const) {
    const pick = (size: number) =>
      results.get(
        kind === 'deep page' ? `deep page (${pages[size]}), ${size} users` : `first page, ${size} users`,
      )!.rps;
    const ratio = pick(large) / pick(small);
    process.stdout.write(
      `${kind}: ${large} users runs at ${(ratio * 100).toFixed(1)}% of the throughput at ${small} users\n`,
    );
  }
  process.stdout.write(
    `RSS: ${servers.map((s) => `${s.info.users} users ${rssMb(s.pid)?.toFixed(0)} MB`).join(', ')}\n`,
  );
  const file = writeResult('list-users', {
    rounds,
    seconds,
    connections,
    results: Object.fromEntries(results),
  });
  process.stdout.write(`saved ${file}\n`);
} finally {
  for (const server of servers) await server.stop();
}
