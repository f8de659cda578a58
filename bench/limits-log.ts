/**
 * `npm run bench:limits`: the cost of rate limiting and the request log, in one run. The same
 * authenticated GET /v2/users/{id}/token?type=zak against two Zemus in alternating rounds: one with
 * limits and the request log on (every request counted and logged), one with both off.
 * Target (issue 6): ON >= 85% of OFF. Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (10).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { alternate, build, root, type Scenario, table, writeResult } from './lib.js';

interface ZemuInfo {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string; user_id: string };
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function start(mode: 'on' | 'off') {
  const child = spawn(process.execPath, [path.join(root, 'bench/limits-log-server.mjs'), mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const info = await new Promise<ZemuInfo>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as ZemuInfo));
  });
  return {
    info,
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function scenario(name: string, info: ZemuInfo): Promise<Scenario> {
  const { url, demo } = info;
  const basic = `Basic ${Buffer.from(`${demo.client_id}:${demo.client_secret}`).toString('base64')}`;
  const res = await fetch(`${url}/oauth/token?grant_type=account_credentials&account_id=${demo.account_id}`, {
    method: 'POST',
    headers: { authorization: basic },
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return {
    name,
    method: 'GET',
    url: `${url}/v2/users/${demo.user_id}/token?type=zak&ttl=3600`,
    headers: { authorization: `Bearer ${access_token}` },
  };
}

process.stderr.write('bench: building the packages (the bench runs the compiled emulator)\n');
build();
const on = await start('on');
const off = await start('off');
try {
  const scenarios = [
    await scenario('limits + request log ON', on.info),
    await scenario('limits + request log OFF', off.info),
  ];
  process.stderr.write(`bench: ${rounds} rounds x 2 scenarios x ${seconds}s, ${connections} connections\n`);
  const results = await alternate(scenarios, { rounds, seconds, connections });
  // The ON server really did count and log: its log holds the requests just made.
  const log = (await (await fetch(`${on.info.url}/_zemu/requests?page_size=1`)).json()) as {
    retention: { kept: number };
  };
  const onRps = results.get(scenarios[0]!.name)!.rps;
  const offRps = results.get(scenarios[1]!.name)!.rps;
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms']];
  for (const s of scenarios) {
    const r = results.get(s.name)!;
    rows.push([s.name, Math.round(r.rps).toString(), r.p50.toFixed(1), r.p99.toFixed(1)]);
  }
  const ratio = onRps / offRps;
  process.stdout.write(`\n${table(rows)}\n\n`);
  process.stdout.write(`request log entries kept by the ON server: ${log.retention.kept}\n`);
  process.stdout.write(
    `ON is ${(ratio * 100).toFixed(1)}% of OFF (target >= 85%) ${ratio >= 0.85 ? 'OK' : 'BELOW TARGET'}\n`,
  );
  const file = writeResult('limits-log', {
    rounds,
    seconds,
    connections,
    ratio,
    results: Object.fromEntries(results),
  });
  process.stdout.write(`saved ${file}\n`);
} finally {
  await on.stop();
  await off.stop();
}
