/**
 * `npm run bench:generated`: the cost of an answer generated from the spec against a stateful one, in
 * the same run on the same Zemu (issue 16): GET /v2/users/{userId}/assistants (generated: guard, scope
 * check, the user resolved against the world, a body from the response schema) against the stateful
 * GET /v2/users/{userId} (guard, scope check, the user read and presented). Same token, same user.
 * Settings: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (10).
 */
import { alternate, build, type Scenario, startServer, table, writeResult } from './lib.js';

interface Info {
  url: string;
  demo: { account_id: string; client_id: string; user_id: string };
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

process.stderr.write('bench: building the packages (the bench runs the compiled emulator)\n');
build();
const server = await startServer<Info>('zemu');
try {
  const { url, demo } = server.info;
  // An app holding both operations' scopes (the demo app holds no assistants scope).
  const created = await fetch(`${url}/_zemu/accounts/${demo.account_id}/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench generated',
      type: 'server_to_server',
      scopes: ['user:read:user:admin', 'user:read:list_assistants:admin'],
    }),
  });
  const app = (await created.json()) as { client_id: string; client_secret: string };
  const basic = Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64');
  const tokenRes = await fetch(
    `${url}/oauth/token?grant_type=account_credentials&account_id=${demo.account_id}`,
    {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    },
  );
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${access_token}` };
  for (const path of [`/v2/users/${demo.user_id}`, `/v2/users/${demo.user_id}/assistants`]) {
    const check = await fetch(`${url}${path}`, { headers });
    if (check.status !== 200) throw new Error(`${path} answered ${check.status}: ${await check.text()}`);
  }
  const scenarios: Scenario[] = [
    {
      name: 'stateful GET /v2/users/{userId}',
      pid: server.pid,
      method: 'GET',
      url: `${url}/v2/users/${demo.user_id}`,
      headers,
    },
    {
      name: 'generated GET /v2/users/{userId}/assistants',
      pid: server.pid,
      method: 'GET',
      url: `${url}/v2/users/${demo.user_id}/assistants`,
      headers,
    },
  ];
  process.stderr.write(
    `bench: ${rounds} rounds x ${scenarios.length} scenarios x ${seconds}s, ${connections} connections\n`,
  );
  const results = await alternate(scenarios, { rounds, seconds, connections });
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'non-2xx']];
  for (const s of scenarios) {
    const r = results.get(s.name)!;
    rows.push([
      s.name,
      Math.round(r.rps).toString(),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.cpuUs === null ? 'n/a' : r.cpuUs.toFixed(0),
      String(r.non2xx),
    ]);
  }
  process.stdout.write(`\n${table(rows)}\n\n`);
  const stateful = results.get(scenarios[0]!.name)!;
  const generated = results.get(scenarios[1]!.name)!;
  process.stdout.write(
    `generated / stateful: throughput ${((generated.rps / stateful.rps) * 100).toFixed(1)}%` +
      (generated.cpuUs !== null && stateful.cpuUs !== null
        ? `, server CPU per request ${((generated.cpuUs / stateful.cpuUs) * 100).toFixed(1)}%`
        : '') +
      '\n',
  );
  const file = writeResult('generated', {
    rounds,
    seconds,
    connections,
    results: Object.fromEntries(results),
  });
  process.stdout.write(`saved ${file}\n`);
} finally {
  await server.stop();
}
