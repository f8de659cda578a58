/**
 * `npm run bench:oauth`: the authorization-code exchange and the refresh grant against the bare Fastify
 * route, in one run (issue 3). Each exchange needs a fresh code and each refresh the newest token of
 * its chain, which autocannon cannot feed, so all three scenarios (the baseline included) run through
 * the same closed-loop fetch load generator: BENCH_CONNECTIONS workers, alternating rounds, medians.
 */
import { build, median, startServer, table, writeResult } from './lib.js';

interface ZemuInfo {
  url: string;
  demo: { account_id: string; user_id: string; email: string };
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const workers = Number(process.env.BENCH_CONNECTIONS ?? 10);
const REDIRECT = 'https://bench.example/cb';

build();
const zemu = await startServer<ZemuInfo>('zemu');
const bare = await startServer<{ url: string }>('bare');
const { url, demo } = zemu.info;
const json = async (path: string, body: unknown) =>
  (
    await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json() as Promise<Record<string, string>>;
const app = await json(`/_zemu/accounts/${demo.account_id}/apps`, {
  name: 'bench',
  type: 'oauth_user',
  scopes: ['user:read:user'],
  redirect_uris: [REDIRECT],
});
const basic = `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`;
const form = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };
async function mintCode(): Promise<string> {
  const approved = await json('/_zemu/oauth/approve', {
    client_id: app.client_id,
    user: demo.user_id,
    redirect_uri: REDIRECT,
  });
  return new URL(approved.redirect_to as string).searchParams.get('code') as string;
}
async function exchange(code: string) {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: form,
    body: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}`,
  });
  if (res.status !== 200) throw new Error(`exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { refresh_token: string };
}

/** Runs `op` in `workers` closed loops for `seconds`; returns req/s and latency percentiles. */
async function closedLoop(op: (worker: number) => Promise<void>) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < end) {
        const t = performance.now();
        await op(w);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
}

try {
  const samples: Record<string, { rps: number; p50: number; p99: number }[]> = {
    bare: [],
    code: [],
    refresh: [],
  };
  const chains: string[] = [];
  for (let w = 0; w < workers; w++) chains.push((await exchange(await mintCode())).refresh_token);
  for (let round = 1; round <= rounds; round++) {
    // Codes are minted before the timed window so that only the exchange is measured.
    const codes = await Promise.all(Array.from({ length: Math.ceil(seconds * 4000) }, () => mintCode()));
    samples.bare?.push(
      await closedLoop(async () => {
        const res = await fetch(`${bare.info.url}/v2/users/x/token`);
        await res.arrayBuffer();
      }),
    );
    samples.code?.push(
      await closedLoop(async () => {
        const code = codes.pop();
        if (!code) throw new Error('ran out of pre-minted codes: raise the multiplier');
        await exchange(code);
      }),
    );
    samples.refresh?.push(
      await closedLoop(async (w) => {
        const res = await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: form,
          body: `grant_type=refresh_token&refresh_token=${chains[w]}`,
        });
        if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${await res.text()}`);
        chains[w] = ((await res.json()) as { refresh_token: string }).refresh_token;
      }),
    );
    process.stderr.write(
      `round ${round}/${rounds}: bare ${Math.round(samples.bare?.at(-1)?.rps ?? 0)}, code ${Math.round(samples.code?.at(-1)?.rps ?? 0)}, refresh ${Math.round(samples.refresh?.at(-1)?.rps ?? 0)} req/s\n`,
    );
  }
  const med = (k: string) => ({
    rps: median((samples[k] ?? []).map((s) => s.rps)),
    p50: median((samples[k] ?? []).map((s) => s.p50)),
    p99: median((samples[k] ?? []).map((s) => s.p99)),
  });
  const base = med('bare').rps;
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ratio to bare']];
  for (const [key, name] of [
    ['bare', 'bare Fastify route'],
    ['code', 'POST /oauth/token authorization_code'],
    ['refresh', 'POST /oauth/token refresh_token'],
  ] as const) {
    const m = med(key);
    rows.push([
      name,
      Math.round(m.rps).toString(),
      m.p50.toFixed(2),
      m.p99.toFixed(2),
      `${((m.rps / base) * 100).toFixed(1)}%`,
    ]);
  }
  process.stdout.write(
    `\n${table(rows)}\n\nclosed loop, ${workers} workers, ${rounds} rounds x ${seconds}s\n`,
  );
  process.stdout.write(`saved ${writeResult('oauth', { rounds, seconds, workers, samples })}\n`);
} finally {
  await zemu.stop();
  await bare.stop();
}
