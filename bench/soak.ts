/**
 * npm run bench:soak [-- --minutes N]: a long mixed load on one Zemu (SQLite file, child process),
 * to show that nothing grows without bound. First it measures the mix's capacity (a closed loop for
 * 15 s), then runs an open loop at 80% of it for N minutes (default 10), printing every 30 s the
 * server's RSS, the database size (file + WAL), req/s, p99 and errors.
 *
 * The mix: token grants, ZAK calls, user creates+deletes and updates, meeting creates+deletes,
 * with webhooks (user.*) delivered to a local receiver. The emulated clock moves 10 minutes every
 * 5 s of real time and the retention is 1 h (ZEMU_RETENTION, ZEMU_WEBHOOK_RETENTION), so tokens,
 * codes and deliveries expire and are pruned during the run, as days of use would.
 * Targets: no errors; RSS and database size +<=10% from minute 2 to the end; p99 at the end
 * within 1.5x of minute 2.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.js';

const minutesArg = process.argv.indexOf('--minutes');
const MINUTES = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 10;
if (!(MINUTES > 0)) throw new Error('--minutes takes a positive number, e.g. --minutes 3');
const REPORT_MS = 30_000;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-soak-'));
const dbFile = path.join(dataDir, 'zemu.sqlite');

async function startZemu(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=zemu-source',
      '--import',
      'tsx',
      'packages/emulator/src/cli/main.ts',
      'serve',
      '--data',
      dataDir,
      '--port',
      '0',
      '--no-rate-limits',
      '--no-request-log',
      '--log-level',
      'error',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ZEMU_RETENTION: '1h',
        ZEMU_WEBHOOK_RETENTION: '1h',
        ZEMU_PORT: '',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`zemu exited with ${code}: ${out}`)));
    child.stdout?.on('data', (d) => {
      out += d;
      const match = /Zemu is running: a local Zoom at (\S+)/.exec(out);
      if (match && out.includes('Ctrl-C')) resolve(match[1] as string);
    });
  });
  return { url, child };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function dbMb(): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += fs.statSync(dbFile + suffix).size;
    } catch {}
  }
  return bytes / 1024 / 1024;
}

const { url, child } = await startZemu();
const demo = (await (await fetch(`${url}/_zemu/demo`)).json()) as {
  account_id: string;
  client_id: string;
  client_secret: string;
  user_id: string;
};
const basic = `Basic ${Buffer.from(`${demo.client_id}:${demo.client_secret}`).toString('base64')}`;

let received = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => {
    body += d;
  });
  req.on('end', () => {
    const json = JSON.parse(body);
    if (json.event === 'endpoint.url_validation') {
      const plainToken = json.payload.plainToken;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          plainToken,
          encryptedToken: createHmac('sha256', 'soakSecretToken00000000').update(plainToken).digest('hex'),
        }),
      );
      return;
    }
    received++;
    res.end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
const hook = await fetch(`${url}/_zemu/apps/${demo.client_id}/webhooks`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    endpoint_url: hookUrl,
    events: ['user.created', 'user.updated', 'user.deleted'],
    secret_token: 'soakSecretToken00000000',
  }),
});
if (hook.status !== 201) throw new Error(`subscription failed: ${hook.status} ${await hook.text()}`);

async function grant(): Promise<string> {
  const res = await fetch(`${url}/oauth/token?grant_type=account_credentials&account_id=${demo.account_id}`, {
    method: 'POST',
    headers: { authorization: basic },
  });
  if (res.status !== 200) throw new Error(`grant ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
let token = await grant();

async function api(method: string, p: string, expect: number, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/v2${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

let serial = 0;
// Meeting hosts in turn: Zoom caps meeting creates at 100 per host per day (of the emulated clock).
const hosts: string[] = [];
for (let i = 0; i < 80; i++) {
  const user = (await api('POST', '/users', 201, {
    action: 'custCreate',
    user_info: { email: `host${process.pid}-${i}@soak.test`, type: 1 },
  })) as { id: string };
  hosts.push(user.id);
}
/** One operation of the mix: each is one request, except the creates, which are followed by a delete. */
const OPS: (() => Promise<number>)[] = [
  async () => {
    token = await grant();
    return 1;
  },
  async () => {
    await api('GET', '/users/me/token?type=zak', 200);
    return 1;
  },
  async () => {
    await api('GET', `/users/${demo.user_id}/token?type=zak`, 200);
    return 1;
  },
  async () => {
    const user = (await api('POST', '/users', 201, {
      action: 'custCreate',
      user_info: { email: `soak${process.pid}-${serial++}@soak.test`, type: 1 },
    })) as { id: string };
    await api('PATCH', `/users/${user.id}`, 204, { dept: `d${serial}` });
    await api('DELETE', `/users/${user.id}?action=delete`, 204);
    return 3;
  },
  async () => {
    const meeting = (await api('POST', `/users/${hosts[serial % hosts.length]}/meetings`, 201, {
      topic: `soak ${serial++}`,
    })) as {
      id: number;
    };
    await api('DELETE', `/meetings/${meeting.id}`, 204);
    return 2;
  },
  async () => {
    await api('PATCH', `/users/${demo.user_id}`, 204, { job_title: `t${serial++}` });
    return 1;
  },
];

interface Window {
  requests: number;
  errors: number;
  latencies: number[];
}
let window: Window = { requests: 0, errors: 0, latencies: [] };
let opIndex = 0;
let lastError = '';
async function runOp(): Promise<void> {
  const op = OPS[opIndex++ % OPS.length] as () => Promise<number>;
  const started = performance.now();
  try {
    const n = await op();
    const perRequest = (performance.now() - started) / n;
    window.requests += n;
    for (let i = 0; i < n; i++) window.latencies.push(perRequest);
  } catch (error) {
    window.errors++;
    lastError = (error as Error).message;
  }
}

// The clock moves 10 emulated minutes every 5 s; the API token is renewed by the grants of the mix.
const clockTimer = setInterval(() => {
  void fetch(`${url}/_zemu/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 600 }),
  });
}, 5_000);

// 1. Capacity: a closed loop of 32 workers for 15 s.
{
  const until = performance.now() + 15_000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) await runOp();
    }),
  );
}
const capacity = window.requests / 15;
const ops = opIndex;
const requestsPerOp = window.requests / ops;
const targetRps = capacity * 0.8;
console.log(
  `capacity ${capacity.toFixed(0)} req/s (closed loop, 32 workers, ${window.errors} errors); soak at ${targetRps.toFixed(0)} req/s for ${MINUTES} min`,
);
window = { requests: 0, errors: 0, latencies: [] };

// 2. The soak: an open loop at 80% of capacity, at most 256 operations in flight.
const opsPerMs = targetRps / requestsPerOp / 1000;
let inFlight = 0;
let credit = 0;
let last = performance.now();
const started = performance.now();
const rows: { minute: number; rss: number; db: number; rps: number; p99: number; errors: number }[] = [];
let totalErrors = 0;
const loop = setInterval(() => {
  const now = performance.now();
  credit += (now - last) * opsPerMs;
  last = now;
  while (credit >= 1 && inFlight < 256) {
    credit--;
    inFlight++;
    void runOp().finally(() => {
      inFlight--;
    });
  }
  if (credit > 50) credit = 50;
}, 5);
await new Promise<void>((resolve) => {
  const report = setInterval(() => {
    const w = window;
    window = { requests: 0, errors: 0, latencies: [] };
    w.latencies.sort((a, b) => a - b);
    const p99 = w.latencies[Math.floor(w.latencies.length * 0.99)] ?? 0;
    const row = {
      minute: (performance.now() - started) / 60_000,
      rss: rssMb(child.pid as number),
      db: dbMb(),
      rps: w.requests / (REPORT_MS / 1000),
      p99,
      errors: w.errors,
    };
    totalErrors += w.errors;
    rows.push(row);
    console.log(
      `min ${row.minute.toFixed(1).padStart(5)}  rss ${row.rss.toFixed(1)} MB  db ${row.db.toFixed(1)} MB  ${row.rps.toFixed(0)} req/s  p99 ${row.p99.toFixed(1)} ms  errors ${row.errors}${w.errors ? ` (${lastError})` : ''}`,
    );
    if (row.minute >= MINUTES - 0.01) {
      clearInterval(report);
      resolve();
    }
  }, REPORT_MS);
});
clearInterval(loop);
clearInterval(clockTimer);
while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));

const at2 = rows.find((r) => r.minute >= 2 - 0.01) ?? rows[0];
const end = rows[rows.length - 1];
if (at2 && end) {
  const growth = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  console.log(
    `\nminute ${at2.minute.toFixed(1)} -> ${end.minute.toFixed(1)}: RSS ${growth(at2.rss, end.rss)} (target <= 10%), db ${growth(at2.db, end.db)} (target <= 10%), p99 ${(end.p99 / at2.p99).toFixed(2)}x (target <= 1.5x), errors ${totalErrors} (target 0), webhooks received ${received}`,
  );
}
child.kill('SIGTERM');
receiver.close();
fs.rmSync(dataDir, { recursive: true, force: true });
