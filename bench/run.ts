/**
 * `npm run bench`: the core path against a bare Fastify route returning the same JSON, in one run.
 *   - token grant: POST /oauth/token (account_credentials)
 *   - authenticated GET /v2/users/{id}/token?type=zak
 * Targets (issue 17): authenticated GET >= 50% of bare throughput and token grant >= 30%, at 10 and
 * at 50 connections; idle RSS <= 100 MB.
 * Rate limits are off here: this measures the core path; bench/limits-log.ts measures limits and the log.
 * Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (a comma-separated list, "10,50").
 */
import { alternate, build, rssMb, type Scenario, startServer, table, writeResult } from './lib.js';

interface ZemuInfo {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string; user_id: string };
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connectionCounts = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);

process.stderr.write('bench: building the packages (the bench runs the compiled emulator)\n');
build();
const zemu = await startServer<ZemuInfo>('zemu');
const bare = await startServer<{ url: string }>('bare');
try {
  await new Promise((r) => setTimeout(r, 1000));
  const idleRss = rssMb(zemu.pid);
  const { url, demo } = zemu.info;
  const basic = `Basic ${Buffer.from(`${demo.client_id}:${demo.client_secret}`).toString('base64')}`;
  const tokenUrl = `${url}/oauth/token?grant_type=account_credentials&account_id=${demo.account_id}`;
  const tokenRes = await fetch(tokenUrl, { method: 'POST', headers: { authorization: basic } });
  const { access_token } = (await tokenRes.json()) as { access_token: string };

  const scenarios: Scenario[] = [
    {
      name: 'bare Fastify route',
      pid: bare.pid,
      method: 'GET',
      url: `${bare.info.url}/v2/users/${demo.user_id}/token?type=zak&ttl=3600`,
    },
    {
      name: 'GET /v2/users/{id}/token?type=zak',
      pid: zemu.pid,
      method: 'GET',
      url: `${url}/v2/users/${demo.user_id}/token?type=zak&ttl=3600`,
      headers: { authorization: `Bearer ${access_token}` },
    },
    {
      name: 'POST /oauth/token (S2S grant)',
      pid: zemu.pid,
      method: 'POST',
      url: tokenUrl,
      headers: { authorization: basic },
    },
  ];
  const runs: Record<string, unknown> = {};
  let loadedRss: number | null = null;
  for (const connections of connectionCounts) {
    process.stderr.write(
      `bench: ${rounds} rounds x ${scenarios.length} scenarios x ${seconds}s, ${connections} connections\n`,
    );
    const results = await alternate(scenarios, { rounds, seconds, connections });
    loadedRss = rssMb(zemu.pid);
    const base = results.get('bare Fastify route')!.rps;
    const baseCpu = results.get('bare Fastify route')!.cpuUs;
    const rows = [
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        'ratio to bare',
        'server us CPU/req',
        'server busy',
        'CPU ratio',
      ],
    ];
    for (const s of scenarios) {
      const r = results.get(s.name)!;
      rows.push([
        s.name,
        Math.round(r.rps).toString(),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        `${((r.rps / base) * 100).toFixed(1)}%`,
        r.cpuUs === null ? '-' : r.cpuUs.toFixed(1),
        r.busy === null ? '-' : `${(r.busy * 100).toFixed(0)}%`,
        r.cpuUs === null || baseCpu === null ? '-' : `${((baseCpu / r.cpuUs) * 100).toFixed(1)}%`,
      ]);
    }
    const zak = results.get(scenarios[1]!.name)!.rps / base;
    const grant = results.get(scenarios[2]!.name)!.rps / base;
    process.stdout.write(`\n${connections} connections\n${table(rows)}\n\n`);
    process.stdout.write(
      `idle RSS of the emulator: ${idleRss?.toFixed(1)} MB (target <= 100 MB); after load: ${loadedRss?.toFixed(1)} MB\n`,
    );
    process.stdout.write(
      `${connections} connections: authenticated ZAK GET: ${(zak * 100).toFixed(1)}% of bare (target >= 50%) ${zak >= 0.5 ? 'OK' : 'BELOW TARGET'}\n`,
    );
    process.stdout.write(
      `${connections} connections: token grant: ${(grant * 100).toFixed(1)}% of bare (target >= 30%) ${grant >= 0.3 ? 'OK' : 'BELOW TARGET'}\n`,
    );
    process.stdout.write(
      'server us CPU/req: CPU time of the answering process per request (/proc), less sensitive to a\n' +
        'shared machine than req/s. server busy near 100%: the server was the limit; well below it, the\n' +
        'load generator (one process on the same machine) was. CPU ratio: bare CPU/req over this one.\n',
    );
    runs[String(connections)] = Object.fromEntries(results);
  }
  const file = writeResult('core', { rounds, seconds, connectionCounts, idleRss, loadedRss, runs });
  process.stdout.write(`saved ${file}\n`);
} finally {
  await zemu.stop();
  await bare.stop();
}
