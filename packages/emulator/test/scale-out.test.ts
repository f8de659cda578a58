/**
 * Several instances, one Zoom (issue 13 point 3): two Zemu processes (this one and a child) on one
 * PostgreSQL schema and one Redis prefix answer as one. A change on either holds on the other from
 * its next request on; a counted fault fires once across both; the request log of either lists and
 * streams the requests of both; limits and their switches are shared.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type HttpResult, postgresSchema, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement, redisRequirement } from './requirements.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const postgres = await postgresRequirement();
const redis = await redisRequirement();
const skip = ('skip' in postgres && postgres.skip) || ('skip' in redis && redis.skip);

async function call(
  url: string,
  method: string,
  p: string,
  token?: string,
  body?: unknown,
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${p}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Opens the request stream; `next(match)` resolves with the first streamed entry `match` accepts. */
async function openStream(url: string) {
  const waiting: {
    match: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }[] = [];
  const seen: Record<string, unknown>[] = [];
  const req = http.get(`${url}/_zemu/requests/stream`);
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  assert.equal(res.statusCode, 200);
  let buffer = '';
  let opened!: () => void;
  const head = new Promise<void>((resolve) => {
    opened = resolve;
  });
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.includes(': zemu request log')) opened();
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data) {
        const entry = JSON.parse(data) as Record<string, unknown>;
        seen.push(entry);
        for (const w of [...waiting]) {
          if (w.match(entry)) {
            waiting.splice(waiting.indexOf(w), 1);
            w.resolve(entry);
          }
        }
      }
      end = buffer.indexOf('\n\n');
    }
  });
  await head;
  return {
    next(match: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
    close: () => req.destroy(),
  };
}

describe('two Zemu processes on one PostgreSQL and one Redis', { skip }, () => {
  const schema = postgresSchema('scale');
  const prefix = `zemu-scale:${randomBytes(4).toString('hex')}:`;
  const redisUrl = 'url' in redis ? redis.url : '';
  let a: TestZemu;
  let child: ChildProcess;
  let b = '';

  before(async () => {
    await schema.create();
    a = await startTestZemu({
      memory: false,
      databaseUrl: schema.url,
      redisUrl,
      redisPrefix: prefix,
      rateLimits: true,
    });
    child = spawn(
      process.execPath,
      [
        '--conditions=zemu-source',
        '--import',
        'tsx',
        'packages/emulator/test/scale-out-child.ts',
        schema.url,
        redisUrl,
        prefix,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout?.setEncoding('utf8');
    while (!out.includes('\n')) {
      const [chunk] = await Promise.race([
        once(child.stdout as NodeJS.ReadableStream, 'data'),
        once(child, 'exit'),
      ]);
      if (typeof chunk === 'number' || chunk === null) assert.fail(`the second Zemu exited: ${out}`);
      out += chunk;
    }
    b = (JSON.parse(out.split('\n')[0] as string) as { url: string }).url;
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await a?.close();
    await schema.drop();
  });

  test('the clock moved on A: B refuses the expired token on its next request (401 124)', async () => {
    const token = await s2s(a, ['user:read:admin']);
    assert.equal((await call(b, 'GET', `/v2/users/${a.demo.user_id}`, token)).status, 200);
    const moved = await a.control('POST', '/clock', { advance: 3601 });
    assert.equal(moved.status, 200);
    const refused = await call(b, 'GET', `/v2/users/${a.demo.user_id}`, token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 124);
    assert.equal(refused.body.message, 'Access token is expired.');
    const clockB = await call(b, 'GET', '/_zemu/clock');
    assert.ok(Math.abs(clockB.body.epoch_ms - moved.body.epoch_ms) < 5000, 'B tells the time A set');
    // Frozen on B: A's next request sees the same frozen instant.
    const frozen = await call(b, 'POST', '/_zemu/clock', undefined, { frozen: true });
    assert.equal((await a.control('GET', '/clock')).body.epoch_ms, frozen.body.epoch_ms);
    await a.control('POST', '/clock', { frozen: false });
  });

  test('a fault with count 1 set on A fires once across A and B', async () => {
    const token = await s2s(a, ['user:read:admin']);
    const added = await a.control('POST', '/faults', {
      path: '/v2/users/*',
      method: 'GET',
      action: 'error',
      status: 503,
      count: 1,
    });
    assert.equal(added.status, 201);
    const calls = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        call(i % 2 ? a.url : b, 'GET', `/v2/users/${a.demo.user_id}`, token),
      ),
    );
    const statuses = calls.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 503).length, 1, `exactly one 503 in ${statuses}`);
    assert.equal(statuses.filter((s) => s === 200).length, 15);
    assert.equal((await a.control('GET', '/faults')).body.total_records, 0, 'used up: gone on A');
    assert.equal((await call(b, 'GET', '/_zemu/faults')).body.total_records, 0, 'and on B');
    // A rule without a count, added on B, answers on A; its removal on A holds on B.
    const rule = await call(b, 'POST', '/_zemu/faults', undefined, {
      path: '/v2/users/*',
      action: 'error',
      status: 502,
    });
    assert.equal((await a.api('GET', `/users/${a.demo.user_id}`, token)).status, 502);
    assert.equal((await a.control('DELETE', `/faults/${rule.body.id}`)).status, 204);
    assert.equal((await call(b, 'GET', `/v2/users/${a.demo.user_id}`, token)).status, 200);
  });

  test('a request to B is streamed and listed by A', async () => {
    const stream = await openStream(a.url);
    try {
      const token = await s2s(a, ['user:read:admin']);
      const marker = `scale-${randomBytes(4).toString('hex')}@nowhere.test`;
      const res = await call(b, 'GET', `/v2/users/${marker}`, token);
      assert.equal(res.status, 404);
      const streamed = await stream.next((e) => e.path === `/v2/users/${marker}`);
      assert.equal(streamed.status, 404);
      const listed = await a.control('GET', `/requests?path=${encodeURIComponent(`/v2/users/${marker}`)}`);
      assert.equal(listed.body.total_records, 1);
      assert.equal(listed.body.requests[0].id, streamed.id);
      // And a request to A is listed by B, at once: A's own entries are written before it lists.
      await a.api('GET', `/users/${marker}x`, token);
      const onB = await call(b, 'GET', '/_zemu/requests?path=/v2/users/*');
      assert.ok(onB.body.requests.some((e: { path: string }) => e.path.startsWith(`/v2/users/${marker}`)));
    } finally {
      stream.close();
    }
  });

  test('limits are shared: a window counted on A and B, a switch set on A holds on B', async () => {
    const token = await s2s(a, ['user:read:admin']);
    const account = a.demo.account_id;
    const set = await a.control('PATCH', `/accounts/${account}/limits`, {
      overrides: { Light: { rate: 2 } },
    });
    assert.equal(set.status, 200);
    // The window is per second of the emulated clock: frozen in a second nothing was counted in yet,
    // the three calls land in one window.
    await a.control('POST', '/clock', { frozen: true });
    await a.control('POST', '/clock', { advance: 10 });
    try {
      assert.equal((await call(b, 'GET', `/v2/users/${a.demo.user_id}`, token)).status, 200);
      assert.equal((await a.api('GET', `/users/${a.demo.user_id}`, token)).status, 200);
      const third = await call(b, 'GET', `/v2/users/${a.demo.user_id}`, token);
      assert.equal(third.status, 429, 'the third Light call in the second, across A and B');
      const off = await a.control('PATCH', `/accounts/${account}/limits`, { enabled: false });
      assert.equal(off.status, 200);
      assert.equal(
        (await call(b, 'GET', `/v2/users/${a.demo.user_id}`, token)).status,
        200,
        'switched off on A',
      );
    } finally {
      await a.control('PATCH', `/accounts/${account}/limits`, { enabled: true, overrides: {} });
      await a.control('POST', '/clock', { frozen: false });
    }
  });

  test('the dispatcher pause and a reset on one are seen by the other', async () => {
    assert.equal((await a.control('PATCH', '/webhooks/dispatcher', { paused: true })).body.paused, true);
    assert.equal((await call(b, 'GET', '/_zemu/webhooks/dispatcher')).body.paused, true);
    assert.equal(
      (await call(b, 'PATCH', '/_zemu/webhooks/dispatcher', undefined, { paused: false })).body.paused,
      false,
    );
    assert.equal((await a.control('GET', '/webhooks/dispatcher')).body.paused, false);

    const created = await call(b, 'POST', `/_zemu/accounts/${a.demo.account_id}/users`, undefined, {
      email: 'before-reset@demo.zemu.test',
    });
    assert.equal(created.status, 201);
    await call(b, 'POST', '/_zemu/faults', undefined, { path: '/v2/nothing', action: 'error', status: 500 });
    await call(b, 'POST', '/_zemu/clock', undefined, { advance: 86_400 });
    assert.equal((await a.control('POST', '/reset')).status, 204);
    const token = await s2s(a, ['user:read:admin']);
    const gone = await call(b, 'GET', '/v2/users/before-reset@demo.zemu.test', token);
    assert.equal(gone.status, 404, 'the reset world on B');
    assert.equal((await call(b, 'GET', '/_zemu/faults')).body.total_records, 0, 'no fault rules on B');
    const clockB = await call(b, 'GET', '/_zemu/clock');
    assert.ok(Math.abs(clockB.body.epoch_ms - Date.now()) < 60_000, 'B is back at real time');
    assert.equal(
      (await call(b, 'GET', '/_zemu/requests')).body.requests.length <= 2,
      true,
      'the log emptied',
    );

    // A snapshot taken on B is restored on A; B sees the restored world.
    await call(b, 'POST', `/_zemu/accounts/${a.demo.account_id}/users`, undefined, {
      email: 'in-snapshot@demo.zemu.test',
    });
    const snap = await call(b, 'POST', '/_zemu/snapshots', undefined, { name: 'shared' });
    assert.equal(snap.status, 201);
    await call(b, 'POST', `/_zemu/accounts/${a.demo.account_id}/users`, undefined, {
      email: 'after-snapshot@demo.zemu.test',
    });
    assert.equal((await a.control('POST', `/snapshots/${snap.body.id}/restore`)).status, 200);
    assert.equal((await call(b, 'GET', '/v2/users/in-snapshot@demo.zemu.test', token)).status, 200);
    assert.equal((await call(b, 'GET', '/v2/users/after-snapshot@demo.zemu.test', token)).status, 404);
  });
});
