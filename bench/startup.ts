/**
 * `npm run bench:startup`: how long each way of starting takes to its first answered request, in one
 * run with alternating rounds (each round starts every scenario once, in turn), as medians and as
 * ratios to a bare Fastify process started the same way.
 *   - `zemu serve --memory` (the compiled binary, bin/zemu.js)
 *   - `zemu serve --data <new directory>` (a first start: the SQLite file, migrations, the demo)
 *   - `npm start -- --memory` (npm's own start-up included)
 *   - a bare Fastify process (bench/startup-child.mjs bare): node, Fastify, one route, listen
 *   - an in-process second start: `startZemu()` again in a process that already started one
 *     (bench/startup-child.mjs second; the figure is measured inside that process)
 * A process scenario is timed from spawn until GET /_zemu/health (or the bare route) answers 200,
 * polled on a port chosen beforehand. Idle RSS of `zemu serve --memory` is read after its answer.
 * Settings: BENCH_ROUNDS (7).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build, median, root, rssMb, table, writeResult } from './lib.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const zemuBin = path.join(root, 'packages/emulator/bin/zemu.js');
const child = path.join(root, 'bench/startup-child.mjs');

interface Scenario {
  name: string;
  /** Runs one start and resolves to its milliseconds (and the RSS when measured). */
  run(): Promise<{ ms: number; rss?: number | null }>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/** Spawns the command and polls `probe` until it answers 200; the time from spawn to that answer. */
async function timeProcess(
  command: string,
  args: (port: number) => string[],
  probePath: string,
  options: { measureRss?: boolean; cwd?: string } = {},
): Promise<{ ms: number; rss?: number | null }> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawn(command, args(port), {
    cwd: options.cwd ?? root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ZEMU_LOG_LEVEL: 'silent' },
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}${probePath}`;
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${command} exited with ${proc.exitCode}: ${stderr}`);
      if (await answers(url)) break;
      await new Promise((r) => setTimeout(r, 3));
    }
    const ms = performance.now() - started;
    let rss: number | null | undefined;
    if (options.measureRss) {
      // Idle: after the first answer, once the start's garbage had a chance to be collected.
      await new Promise((r) => setTimeout(r, 1000));
      rss = rssMb(proc.pid!);
    }
    return { ms, rss };
  } finally {
    await stop(proc);
  }
}

/** The in-process second start, measured inside a child that started one Zemu before. */
function timeSecondStart(): Promise<{ ms: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, 'second'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
    });
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`second start exited with ${code}`));
      resolve(JSON.parse(out.trim()) as { ms: number });
    });
  });
}

const dataDirs: string[] = [];
const scenarios: Scenario[] = [
  {
    name: 'bare Fastify process',
    run: () => timeProcess(process.execPath, (port) => [child, 'bare', String(port)], '/health'),
  },
  {
    name: 'zemu serve --memory',
    run: () =>
      timeProcess(
        process.execPath,
        (port) => [zemuBin, 'serve', '--memory', '--port', String(port), '--log-level', 'silent'],
        '/_zemu/health',
        { measureRss: true },
      ),
  },
  {
    name: 'zemu serve --data (new dir)',
    run: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-startup-'));
      dataDirs.push(dir);
      return timeProcess(
        process.execPath,
        (port) => [zemuBin, 'serve', '--data', dir, '--port', String(port), '--log-level', 'silent'],
        '/_zemu/health',
      );
    },
  },
  {
    name: 'npm start -- --memory',
    run: () =>
      timeProcess(
        'npm',
        (port) => ['start', '--silent', '--', '--memory', '--port', String(port), '--log-level', 'silent'],
        '/_zemu/health',
      ),
  },
  { name: 'in-process second start', run: timeSecondStart },
];

process.stderr.write('bench:startup: building the packages (the bench starts the compiled emulator)\n');
build();
const samples = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
const rss: number[] = [];
try {
  // One unmeasured round warms the OS file cache for every scenario.
  for (const s of scenarios) await s.run();
  for (let round = 1; round <= rounds; round++) {
    for (const s of scenarios) {
      const result = await s.run();
      samples.get(s.name)!.push(result.ms);
      if (typeof result.rss === 'number') rss.push(result.rss);
      process.stderr.write(`round ${round}/${rounds} ${s.name}: ${result.ms.toFixed(0)} ms\n`);
    }
  }
} finally {
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}

const bare = median(samples.get('bare Fastify process')!);
const zemuMemory = median(samples.get('zemu serve --memory')!);
const rows = [['scenario', 'median ms', 'min ms', 'max ms', 'ratio to bare', 'ratio to zemu --memory']];
for (const s of scenarios) {
  const list = samples.get(s.name)!;
  const m = median(list);
  rows.push([
    s.name,
    m.toFixed(0),
    Math.min(...list).toFixed(0),
    Math.max(...list).toFixed(0),
    `${(m / bare).toFixed(2)}x`,
    `${(m / zemuMemory).toFixed(2)}x`,
  ]);
}
const idleRss = rss.length ? median(rss) : null;
process.stdout.write(`\n${table(rows)}\n\n`);
process.stdout.write(
  `${rounds} alternating rounds; processes timed from spawn to their first 200 answer; the second start inside its process.\n`,
);
const memoryRatio = zemuMemory / bare;
const dataRatio = median(samples.get('zemu serve --data (new dir)')!) / bare;
process.stdout.write(
  `zemu serve --memory: ${memoryRatio.toFixed(2)}x bare (target <= 1.5x) ${memoryRatio <= 1.5 ? 'OK' : 'ABOVE TARGET'}\n` +
    `zemu serve --data on a new dir: ${dataRatio.toFixed(2)}x bare (target <= 1.5x) ${dataRatio <= 1.5 ? 'OK' : 'ABOVE TARGET'}\n` +
    `idle RSS of zemu serve --memory: ${idleRss?.toFixed(1)} MB (target <= 100 MB)\n` +
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.availableParallelism()} cores\n`,
);
const file = writeResult('startup', {
  rounds,
  idleRss,
  medians: Object.fromEntries([...samples].map(([k, v]) => [k, median(v)])),
  samples: Object.fromEntries(samples),
});
process.stdout.write(`saved ${file}\n`);
// Nothing of the run is left to wait for (a lingering socket would keep the process up).
process.exit(0);
