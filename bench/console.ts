/**
 * `npm run bench:console`: the console against a Zemu (compiled) whose demo account holds 10,000 users.
 *   1. The World page opening: the shell, its three assets and the World fragment (first page of users,
 *      counts, apps), requested as the browser does, one after the other; compared with the bare
 *      `GET /_zemu/health` of the same server in the same run. Target: under 200 ms.
 *   2. The live request log under load (headless Chromium, if found as the tests find it): the Requests
 *      page open while a loop drives ~1,000 requests a second for BENCH_SECONDS; the page must keep
 *      answering (round trips of page.evaluate) and keep at most its row cap.
 * Settings: BENCH_ROUNDS (50 openings), BENCH_SECONDS (5), BENCH_RATE (1000).
 */
import { chromium } from 'playwright-core';
import { browserRequirement } from '../packages/emulator/test/requirements.js';
import { build, median, startServer, table, writeResult } from './lib.js';

interface Info {
  url: string;
  demo: { account_id: string; client_id: string; client_secret: string; user_id: string };
  users: number;
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rate = Number(process.env.BENCH_RATE ?? 1000);
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? 0;

async function timed(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

process.stderr.write('bench: building the packages (the bench runs the compiled emulator)\n');
build();
const server = await startServer<Info>('', ['10000'], 'list-users-server.mjs');
try {
  const { url } = server.info;
  const open: number[] = [];
  const fragment: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < rounds + 5; i++) {
    const b = await timed(`${url}/_zemu/health`);
    const t0 = performance.now();
    await timed(`${url}/_zemu/console`);
    for (const asset of ['htmx.min.js', 'console.js', 'console.css'])
      await timed(`${url}/_zemu/console/assets/${asset}`);
    const f = await timed(`${url}/_zemu/console/f/world`);
    if (i < 5) continue; // warm-up
    open.push(performance.now() - t0);
    fragment.push(f);
    bare.push(b);
  }
  const rows = [
    ['measure', 'median ms', 'p95 ms', 'ratio to bare (median)'],
    ['bare GET /_zemu/health', median(bare).toFixed(2), p95(bare).toFixed(2), '1'],
    [
      'World fragment (10,000 users)',
      median(fragment).toFixed(2),
      p95(fragment).toFixed(2),
      (median(fragment) / median(bare)).toFixed(1),
    ],
    [
      'World page opening: shell + assets + fragment',
      median(open).toFixed(2),
      p95(open).toFixed(2),
      (median(open) / median(bare)).toFixed(1),
    ],
  ];
  const result: Record<string, unknown> = {
    open: { median: median(open), p95: p95(open) },
    fragment: { median: median(fragment) },
    bare: { median: median(bare) },
  };

  const need = browserRequirement();
  if ('skip' in need) {
    process.stderr.write(`bench: live-log part skipped: ${need.skip}\n`);
  } else {
    const browser = await chromium.launch({
      executablePath: need.executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      /** Drives `rate` requests a second (open loop, 10 ms ticks) while timing the page's round trips. */
      const underLoad = async () => {
        let sent = 0;
        let stop = false;
        const driver = (async () => {
          const t0 = performance.now();
          while (!stop) {
            const due = Math.floor(((performance.now() - t0) / 1000) * rate);
            const batch: Promise<unknown>[] = [];
            for (; sent < due; sent++) batch.push(fetch(`${url}/v2/users/me`).then((r) => r.arrayBuffer()));
            await Promise.all(batch);
            await new Promise((r) => setTimeout(r, 10));
          }
        })();
        const trips: number[] = [];
        const until = performance.now() + seconds * 1000;
        while (performance.now() < until) {
          const t0 = performance.now();
          await page.evaluate('document.querySelectorAll("main *").length');
          trips.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, 100));
        }
        stop = true;
        await driver;
        return { achieved: sent / seconds, median: median(trips), p95: p95(trips) };
      };
      // Baseline: the same load with the page on World (nothing streaming into it).
      await page.goto(`${url}/_zemu/console#world`);
      await page.locator('main h1', { hasText: 'World' }).waitFor();
      const quiet = await underLoad();
      await page.goto(`${url}/_zemu/console#requests`);
      await page.locator('#live-state', { hasText: 'Live' }).waitFor();
      const streaming = await underLoad();
      const shownRows = Number(await page.evaluate('document.querySelectorAll("#requests-rows tr").length'));
      rows.push(
        ['load: requests sent a second', streaming.achieved.toFixed(0), '', ''],
        ['page round trip under load, World (baseline)', quiet.median.toFixed(2), quiet.p95.toFixed(2), '1'],
        [
          'page round trip under load, live Requests',
          streaming.median.toFixed(2),
          streaming.p95.toFixed(2),
          (streaming.median / quiet.median).toFixed(1),
        ],
        ['live log: rows kept (cap 500)', String(shownRows), '', ''],
      );
      result.live = { quiet, streaming, shownRows };
    } finally {
      await browser.close();
    }
  }
  process.stdout.write(`${table(rows)}\n`);
  process.stderr.write(`bench: saved ${writeResult('console', result)}\n`);
} finally {
  await server.stop();
}
