/**
 * Client overhead per call: @zemu/client (warm token) against a bare fetch of the same Zemu route,
 * GET /v2/users/me, both reading the JSON body. Zemu runs in a child process so that the client and
 * the server do not share an event loop. Rounds alternate which side goes first; the figure is the
 * median per-call time of each side and their ratio. Target (issue 4): at most 10% over bare fetch.
 *   node --conditions=zemu-source --import tsx bench/client-overhead.ts
 * Settings: BENCH_CALLS (2000 per round), BENCH_ROUNDS (7), BENCH_CONCURRENCY (1).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ZoomClient } from '@zemu/client';

const calls = Number(process.env.BENCH_CALLS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);

interface Started {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string };
}

const serverScript = `
import { startZemu } from '@zemu/emulator';
const z = await startZemu({ memory: true, port: 0, host: '127.0.0.1', logLevel: 'silent', env: {}, rateLimits: false });
console.log(JSON.stringify({ url: z.url, demo: z.demo }));
process.stdin.on('end', () => z.close().then(() => process.exit(0)));
process.stdin.resume();
`;

const child = spawn(
  process.execPath,
  ['--conditions=zemu-source', '--import', 'tsx', '--input-type=module', '-e', serverScript],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const firstLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`zemu exited early (${code})`)));
});
const { url, demo } = JSON.parse(firstLine) as Started;

try {
  const zoom = new ZoomClient({
    baseUrl: url,
    auth: {
      type: 'server_to_server',
      accountId: demo.account_id,
      clientId: demo.client_id,
      clientSecret: demo.client_secret,
    },
  });
  const token = await zoom.getAccessToken();
  const target = `${url}/v2/users/me`;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };

  const bareCall = async () => {
    const res = await fetch(target, { headers });
    if (res.status !== 200) throw new Error(`bare fetch: ${res.status}`);
    return res.json();
  };
  const client = () => zoom.users.get('me');

  /** Wall time and this process's CPU time per call, in µs. */
  async function timed(call: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < calls) await call();
      }),
    );
    const wall = ((performance.now() - started) * 1000) / calls;
    const used = process.cpuUsage(cpu0);
    return { wall, cpu: (used.user + used.system) / calls };
  }

  // Warm-up: JIT, keep-alive sockets, the token cache.
  await timed(bareCall);
  await timed(client);

  // Rounds in pairs, the order alternating; each pair gives one ratio, so drift of the shared machine
  // between rounds cancels out. The figure is the median of the pairs' ratios.
  const pairs: { bare: { wall: number; cpu: number }; client: { wall: number; cpu: number } }[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      const bare = await timed(bareCall);
      pairs.push({ bare, client: await timed(client) });
    } else {
      const c = await timed(client);
      pairs.push({ bare: await timed(bareCall), client: c });
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] as number;
  };
  const ratio = median(pairs.map((p) => p.client.wall / p.bare.wall));
  const b = median(pairs.map((p) => p.bare.wall));
  const c = median(pairs.map((p) => p.client.wall));
  const bCpu = median(pairs.map((p) => p.bare.cpu));
  const cCpu = median(pairs.map((p) => p.client.cpu));
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(
    `client overhead: GET /v2/users/me, ${calls} calls x ${rounds} rounds, concurrency ${concurrency}`,
  );
  console.log(
    `  bare fetch   median ${b.toFixed(1)} µs/call, ${bCpu.toFixed(1)} µs CPU/call here   rounds: ${fmt(pairs.map((p) => p.bare.wall))}`,
  );
  console.log(
    `  @zemu/client median ${c.toFixed(1)} µs/call, ${cCpu.toFixed(1)} µs CPU/call here   rounds: ${fmt(pairs.map((p) => p.client.wall))}`,
  );
  console.log(
    `  ratio ${ratio.toFixed(3)} (median of the ${rounds} paired rounds; ${((ratio - 1) * 100).toFixed(1)}% overhead; target <= 10%) ${ratio <= 1.1 ? 'PASS' : 'OVER TARGET'}`,
  );
  console.log(`  the client's own CPU per call: ${(cCpu - bCpu).toFixed(1)} µs more than bare fetch`);
} finally {
  child.stdin.end();
}
