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
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);

interface Started {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string };
}

const serverScript = `
import { startZemu } from 'zemu';
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

  const bare = async () => {
    const res = await fetch(target, { headers });
    if (res.status !== 200) throw new Error(`bare fetch: ${res.status}`);
    return res.json();
  };
  const client = () => zoom.users.get('me');

  async function timed(call: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < calls) await call();
      }),
    );
    return ((performance.now() - started) * 1000) / calls; // µs per call
  }

  // Warm-up: JIT, keep-alive sockets, the token cache.
  await timed(bare);
  await timed(client);

  const bareTimes: number[] = [];
  const clientTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      bareTimes.push(await timed(bare));
      clientTimes.push(await timed(client));
    } else {
      clientTimes.push(await timed(client));
      bareTimes.push(await timed(bare));
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] as number;
  };
  const b = median(bareTimes);
  const c = median(clientTimes);
  const ratio = c / b;
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  console.log(
    `client overhead: GET /v2/users/me, ${calls} calls x ${rounds} rounds, concurrency ${concurrency}`,
  );
  console.log(`  bare fetch   median ${b.toFixed(1)} µs/call   rounds: ${fmt(bareTimes)}`);
  console.log(`  @zemu/client median ${c.toFixed(1)} µs/call   rounds: ${fmt(clientTimes)}`);
  console.log(
    `  ratio ${ratio.toFixed(3)} (${((ratio - 1) * 100).toFixed(1)}% overhead; target <= 10%) ${ratio <= 1.1 ? 'PASS' : 'OVER TARGET'}`,
  );
} finally {
  child.stdin.end();
}
