/** Test harness: a real Zemu on an ephemeral loopback port with a throwaway world. */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { pmi, zoomId } from '../src/ids.js';
import { type StartOptions, startZemu } from '../src/server.js';
import { rawSqlite } from '../src/store/db.js';
import type { UserStatus } from '../src/store/models.js';
import { basic, TEST_ZEMU_OPTIONS } from './kit.js';

export { basic, s2s, userToken } from './kit.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  body: any;
  text: string;
}

export interface TestZemu {
  url: string;
  demo: Awaited<ReturnType<typeof startZemu>>['demo'];
  zemu: Awaited<ReturnType<typeof startZemu>>;
  close(): Promise<void>;
  request(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string },
  ): Promise<HttpResult>;
  /** JSON call to the control API. */
  control(method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** A fresh Server-to-Server token for the demo app. */
  s2sToken(credentials?: { account_id: string; client_id: string; client_secret: string }): Promise<string>;
  /** GET/POST on /v2 with a bearer token. */
  api(method: string, path: string, token: string, body?: unknown): Promise<HttpResult>;
}

export async function startTestZemu(options: StartOptions = {}): Promise<TestZemu> {
  const zemu = await startZemu({ ...TEST_ZEMU_OPTIONS, ...options });
  const request: TestZemu['request'] = async (method, path, init = {}) => {
    const response = await fetch(`${zemu.url}${path}`, { method, headers: init.headers, body: init.body });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, headers: response.headers, body, text };
  };
  const harness: TestZemu = {
    url: zemu.url,
    demo: zemu.demo,
    zemu,
    close: () => zemu.close(),
    request,
    control: (method, path, body) =>
      request(method, `/_zemu${path}`, {
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async s2sToken(credentials = zemu.demo) {
      const res = await request(
        'POST',
        `/oauth/token?grant_type=account_credentials&account_id=${credentials.account_id}`,
        { headers: { authorization: basic(credentials.client_id, credentials.client_secret) } },
      );
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
      return res.body.access_token as string;
    },
    api: (method, path, token, body) =>
      request(method, `/v2${path}`, {
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
  return harness;
}

/**
 * A user-level token issued by the token service itself, for suites about what a token of a given
 * app, user and scopes reaches rather than how it is got. It skips the consent step, so it also
 * makes grants no app could get (a user grant on the demo Server-to-Server app, an app without a
 * redirect URI); a token got the way an app gets it is `userToken`.
 */
export async function issuedUserToken(
  z: TestZemu,
  grant: { clientId: string; userId: string; scopes: string[] },
): Promise<string> {
  const issued = await z.zemu.built.ctx.tokens.issue({
    accountId: z.demo.account_id,
    grantType: 'authorization_code',
    ...grant,
  });
  return issued.token;
}

export interface OutboxEvent {
  id: string;
  account_id: string;
  event: string;
  event_ts: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary payloads
  payload: any;
}

/**
 * A meeting uuid in a path as Zoom documents it: double-encoded when it begins with / or holds //
 * (a random uuid does about once in fifty).
 */
export const pathUuid = (uuid: string) =>
  uuid.startsWith('/') || uuid.includes('//')
    ? encodeURIComponent(encodeURIComponent(uuid))
    : encodeURIComponent(uuid);

/** The events recorded in the outbox (oldest first), optionally of one name. */
export async function recordedEvents(z: TestZemu, event?: string): Promise<OutboxEvent[]> {
  let query = z.zemu.built.ctx.store.db.selectFrom('webhook_events').selectAll().orderBy('created_at');
  if (event) query = query.where('event', '=', event);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) }));
}

/** Inserts `count` users straight into the store in one transaction (fast, for lists and counts). */
export async function bulkUsers(
  z: TestZemu,
  accountId: string,
  count: number,
  status: UserStatus = 'active',
) {
  const { store, clock } = z.zemu.built.ctx;
  await store.transaction(async (trx) => {
    for (let i = 0; i < count; i++) {
      await trx.users.insert({
        id: zoomId(),
        accountId,
        email: `bulk-${status}-${i}-${zoomId().slice(0, 6)}@bulk.test`.toLowerCase(),
        firstName: 'Bulk',
        lastName: String(i),
        displayName: `Bulk ${i}`,
        type: 1,
        status,
        roleId: '2',
        loginType: 100,
        creationAction: 'create',
        pmi: pmi(),
        timezone: 'UTC',
        language: 'en-US',
        dept: '',
        jobTitle: '',
        company: '',
        location: '',
        verified: 1,
        passwordHash: null,
        zakVersion: 0,
        createdAt: clock.now(),
        lastLoginTime: null,
        profile: {},
      });
    }
  });
}

export const PG_BASE_URL = process.env.ZEMU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A PostgreSQL schema of its own for one suite: `url` points Zemu at it (search_path), `create()` in
 * the suite's `before`, `drop()` in its `after` once every Zemu on it is closed.
 */
export function postgresSchema(name: string) {
  const schema = `zemu_${name}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  return {
    url: `${PG_BASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async create(): Promise<void> {
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
    },
    async drop(): Promise<void> {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * A digest of everything a control call could change: every table of the SQLite store (row by
 * row), the clock, the fault rules and the dispatcher switch. Equal digests: nothing changed.
 */
export async function stateDigest(z: TestZemu): Promise<string> {
  const { store, clock, faults, webhooks } = z.zemu.built.ctx;
  const sqlite = rawSqlite(store.db);
  if (!sqlite) throw new Error('stateDigest reads a SQLite store');
  const hash = createHash('sha256');
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' order by name")
    .pluck()
    .all() as string[];
  for (const table of tables) {
    hash.update(`\n#${table}\n`);
    for (const row of sqlite.prepare(`select * from "${table}" order by rowid`).raw().iterate()) {
      hash.update(JSON.stringify(row));
    }
  }
  const rules = faults.list().map(({ pattern: _p, ...rule }) => rule);
  hash.update(JSON.stringify({ clock: clock.state(), rules, dispatcher: (await webhooks.status()).paused }));
  return hash.digest('hex');
}
