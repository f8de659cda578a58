/**
 * Crash safety: a Zemu child process on a SQLite file is killed with SIGKILL in the middle of mixed
 * writes (user creates and updates, meeting creates, token grants; the user writes emit webhooks).
 * Restarted on the same file, every acknowledged write is there, `PRAGMA integrity_check` is ok, and
 * every event recorded before the kill is delivered exactly once after the restart. The dispatcher is
 * paused before the load (the switch is per process, so the restarted Zemu runs it): a kill in the
 * middle of an HTTP delivery could repeat that one delivery (at least once, as Zoom's), which is not
 * what this test is about.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { StartOptions } from '../src/server.js';
import { rawSqlite } from '../src/store/db.js';
import { basic, postgresSchema, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';
import { startReceiver } from './webhook-receiver.js';

const postgres = await postgresRequirement();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SECRET = 'crashSafetySecretToken0';

interface Backend {
  name: string;
  /** Extra CLI arguments and environment of the child; options of the restarted in-process Zemu. */
  args: string[];
  env: Record<string, string>;
  restart: StartOptions;
  /** The events recorded in the store, read straight from it (the process is dead). */
  recorded(): Promise<{ event: string; event_ts: number; payload: string }[]>;
  /** The store's own consistency check after the restart. */
  integrity(z: TestZemu): Promise<void>;
}

async function crashAndRestart(backend: Backend): Promise<void> {
  const receiver = await startReceiver(SECRET);
  const child = spawn(
    process.execPath,
    [
      '--conditions=zemu-source',
      '--import',
      'tsx',
      'packages/emulator/src/cli/main.ts',
      'serve',
      ...backend.args,
      '--port',
      '0',
      '--no-rate-limits',
      '--log-level',
      'error',
    ],
    {
      cwd: root,
      env: { ...process.env, ZEMU_PORT: '', DATABASE_URL: '', ZEMU_SEED: '', ...backend.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  while (!out.includes('Ctrl-C')) {
    const [exited] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
    if (typeof exited === 'number') assert.fail(`zemu exited early: ${out}`);
  }
  const url = /a local Zoom at (\S+)/.exec(out)?.[1] as string;
  const json = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const demo = (await json('GET', '/_zemu/demo')).body;
  const hook = await json('POST', `/_zemu/apps/${demo.client_id}/webhooks`, {
    endpoint_url: receiver.url,
    events: ['user.created', 'user.updated', 'meeting.created'],
    secret_token: SECRET,
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  assert.equal((await json('PATCH', '/_zemu/webhooks/dispatcher', { paused: true })).status, 200);
  const grant = async () => {
    const res = await json(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${demo.account_id}`,
      undefined,
      { authorization: basic(demo.client_id, demo.client_secret) },
    );
    if (res.status !== 200) throw new Error(`grant ${res.status}`);
    return res.body.access_token as string;
  };
  const token = await grant();
  const auth = { authorization: `Bearer ${token}` };

  // Acknowledged writes, as the clients saw them.
  const users = new Map<string, { acked: string; sent: string[] }>();
  const meetings: number[] = [];
  const tokens: string[] = [];
  let acks = 0;
  let killed = false;
  const worker = async (w: number) => {
    for (let i = 0; !killed; i++) {
      try {
        const kind = i % 4;
        if (kind === 0) {
          const res = await json(
            'POST',
            '/v2/users',
            { action: 'custCreate', user_info: { email: `crash-${w}-${i}@crash.test`, type: 1 } },
            auth,
          );
          if (res.status === 201) users.set(res.body.id, { acked: '', sent: [] });
        } else if (kind === 1) {
          const mine = [...users.keys()].filter((_, n) => n % 4 === w % 4);
          const id = mine[mine.length - 1];
          if (!id) continue;
          const dept = `dept-${w}-${i}`;
          const entry = users.get(id) as { acked: string; sent: string[] };
          entry.sent.push(dept);
          const res = await json('PATCH', `/v2/users/${id}`, { dept }, auth);
          if (res.status === 204) entry.acked = dept;
        } else if (kind === 2) {
          const res = await json(
            'POST',
            `/v2/users/${demo.user_id}/meetings`,
            { topic: `crash ${w} ${i}` },
            auth,
          );
          if (res.status === 201) meetings.push(res.body.id);
        } else {
          const t = await grant();
          tokens.push(JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()).jti);
        }
        acks++;
      } catch {
        return; // the connection died with the process
      }
    }
  };
  const workers = Array.from({ length: 8 }, (_, w) => worker(w));
  while (acks < 160) await new Promise((resolve) => setImmediate(resolve));
  child.kill('SIGKILL');
  killed = true;
  await once(child, 'exit');
  await Promise.all(workers);
  assert.ok(users.size > 10 && meetings.length > 10 && tokens.length > 10, `acks ${acks}`);

  // What was recorded before the kill, read straight from the store, as the restart will.
  const recorded = await backend.recorded();
  assert.ok(recorded.length >= users.size, `${recorded.length} events for ${users.size} users`);

  const z = await startTestZemu(backend.restart);
  try {
    await backend.integrity(z);
    const fresh = await z.s2sToken();
    for (const [id, entry] of users) {
      const res = await z.api('GET', `/users/${id}`, fresh);
      assert.equal(res.status, 200, `acknowledged user ${id}`);
      if (entry.acked) {
        const accepted = entry.sent.slice(entry.sent.indexOf(entry.acked));
        assert.ok(
          accepted.includes(res.body.dept),
          `user ${id}: dept ${res.body.dept}, acked ${entry.acked}`,
        );
      }
    }
    for (const id of meetings) assert.equal((await z.api('GET', `/meetings/${id}`, fresh)).status, 200);
    for (const jti of tokens) assert.ok(await z.zemu.built.ctx.store.tokens.findById(jti), `token ${jti}`);

    for (let i = 0; i < 20; i++) {
      await z.control('POST', '/webhooks/deliver');
      const status = (await z.control('GET', '/webhooks/dispatcher')).body;
      if (status.queued_events === 0 && status.pending_deliveries === 0) break;
    }
    const key = (event: string, ts: number, payload: unknown) => `${event} ${ts} ${JSON.stringify(payload)}`;
    const received = new Map<string, number>();
    for (const r of receiver.events()) {
      assert.ok(r.signatureOk);
      const k = key(r.json.event, r.json.event_ts, r.json.payload);
      received.set(k, (received.get(k) ?? 0) + 1);
    }
    for (const e of recorded) {
      const k = key(e.event, e.event_ts, JSON.parse(e.payload));
      assert.equal(
        received.get(k),
        1,
        `delivered exactly once: ${k.slice(0, 300)}; received ${received.size}: ${[...received.keys()][0]?.slice(0, 300)}`,
      );
    }
  } finally {
    await z.close();
    await receiver.close();
  }
}

describe('SIGKILL during mixed writes on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-crash-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('after a restart: every acknowledged write is there, integrity_check ok, every recorded event delivered exactly once', async () => {
    await crashAndRestart({
      name: 'sqlite',
      args: ['--data', dir],
      env: {},
      restart: { memory: false, dataDir: dir },
      async recorded() {
        const raw = new SQLite(path.join(dir, 'zemu.sqlite'), { readonly: true });
        try {
          return raw.prepare('select event, event_ts, payload from webhook_events').all() as {
            event: string;
            event_ts: number;
            payload: string;
          }[];
        } finally {
          raw.close();
        }
      },
      async integrity(z) {
        const sqlite = rawSqlite(z.zemu.built.ctx.store.db);
        assert.deepEqual(sqlite?.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      },
    });
  });
});

describe('SIGKILL during mixed writes on PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pgSchema = postgresSchema('crash');
  before(() => pgSchema.create());
  after(() => pgSchema.drop());

  test('after a restart on the same schema: every acknowledged write is there, every recorded event delivered exactly once', async () => {
    await crashAndRestart({
      name: 'postgres',
      args: [],
      env: { DATABASE_URL: pgSchema.url },
      restart: { databaseUrl: pgSchema.url, memory: false },
      async recorded() {
        const client = new pg.Client({ connectionString: pgSchema.url });
        await client.connect();
        try {
          const { rows } = await client.query('select event, event_ts, payload from webhook_events');
          return rows.map((r) => ({ event: r.event, event_ts: Number(r.event_ts), payload: r.payload }));
        } finally {
          await client.end();
        }
      },
      async integrity(z) {
        // PostgreSQL has no integrity_check; its WAL recovery is what protects committed data. Every
        // foreign row still names an existing parent: meetings their host, tokens their app.
        const { db } = z.zemu.built.ctx.store;
        const orphans = await sql<{ n: number }>`
          select (select count(*) from meetings m where not exists (select 1 from users u where u.id = m.host_id))
               + (select count(*) from tokens t where not exists (select 1 from apps a where a.client_id = t.client_id)) as n`.execute(
          db,
        );
        assert.equal(Number(orphans.rows[0]?.n), 0);
      },
    });
  });
});
