/**
 * Webhooks are durable: queued events and pending retries survive a restart on the embedded
 * database, and several Zemu processes on one PostgreSQL deliver each event exactly once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { recordEvent } from '../src/webhooks/emit.js';
import { postgresSchema, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';
import { startReceiver } from './webhook-receiver.js';

const postgres = await postgresRequirement();

const SECRET = 'durable-secret-token';
const record = (z: TestZemu, event: 'user.updated' | 'user.deleted', id: string) =>
  recordEvent(z.zemu.built.ctx.store, z.zemu.built.ctx.clock, {
    accountId: z.demo.account_id,
    event,
    payload: { object: { id } },
  });

async function subscribe(z: TestZemu, url: string, events: string[]) {
  const res = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
    endpoint_url: url,
    events,
    secret_token: SECRET,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

describe('webhooks survive a restart (SQLite data dir)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-hooks-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a queued event and a pending retry are delivered by the next process', async () => {
    const r = await startReceiver(SECRET);
    try {
      const first = await startTestZemu({ memory: false, dataDir: dir });
      let subId: string;
      try {
        subId = (await subscribe(first, r.url, ['user.updated', 'user.deleted'])).id;
        r.answerEvents = 500;
        await record(first, 'user.updated', 'retry-me');
        // The dispatcher's own pass, woken by the event, may make the attempt first; either way it is
        // made by the time the control call answers (that call waits for a pass in progress).
        await first.control('POST', '/webhooks/deliver');
        assert.equal(r.events().length, 1);
        assert.equal((await first.control('PATCH', '/webhooks/dispatcher', { paused: true })).status, 200);
        await record(first, 'user.deleted', 'queued');
        const status = (await first.control('GET', '/webhooks/dispatcher')).body;
        assert.deepEqual(status, { paused: true, queued_events: 1, pending_deliveries: 1 });
      } finally {
        await first.close();
      }
      assert.equal(r.events().length, 1);

      r.answerEvents = 200;
      const second = await startTestZemu({ memory: false, dataDir: dir });
      try {
        const listed = await second.control('GET', `/apps/${second.demo.client_id}/webhooks`);
        assert.equal(listed.body.subscriptions[0].id, subId);
        assert.equal(listed.body.secret_token, SECRET);
        await second.control('POST', '/webhooks/deliver');
        assert.deepEqual(
          r.events().map((e) => e.json.payload.object.id),
          ['retry-me', 'queued'],
          'the queued event went out; the retry waits for its 5 minutes',
        );
        await second.control('POST', '/clock', { advance: 5 * 60 + 1 });
        await second.control('POST', '/webhooks/deliver');
        assert.deepEqual(
          r.events().map((e) => e.json.payload.object.id),
          ['retry-me', 'queued', 'retry-me'],
        );
        assert.ok(r.events().every((e) => e.signatureOk));
        const retried = (await second.control('GET', '/webhooks/deliveries?event=user.updated')).body
          .deliveries[0];
        const detail = (await second.control('GET', `/webhooks/deliveries/${retried.id}`)).body;
        assert.equal(detail.status, 'delivered');
        assert.deepEqual(
          detail.attempts.map((a: { status_code: number }) => a.status_code),
          [500, 200],
        );
      } finally {
        await second.close();
      }
    } finally {
      await r.close();
    }
  });
});

describe('two Zemu processes on one PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pgSchema = postgresSchema('hooks');
  const url = pgSchema.url;
  before(async () => {
    await pgSchema.create();
  });
  after(async () => {
    await pgSchema.drop();
  });

  test('deliver every event exactly once between them', async () => {
    const r = await startReceiver(SECRET);
    r.delayMs = 15;
    const a = await startTestZemu({ databaseUrl: url });
    const b = await startTestZemu({ databaseUrl: url });
    try {
      await subscribe(a, r.url, ['user.updated']);
      const ids = Array.from({ length: 40 }, (_, i) => `u-${i}`);
      await Promise.all(ids.map((id, i) => record(i % 2 === 0 ? a : b, 'user.updated', id)));
      await Promise.all([
        a.control('POST', '/webhooks/deliver'),
        b.control('POST', '/webhooks/deliver'),
        a.control('POST', '/webhooks/deliver'),
        b.control('POST', '/webhooks/deliver'),
      ]);
      // Passes started before the last commits may still be running: wait for the log to settle.
      for (let i = 0; i < 100; i++) {
        const delivered = (await a.control('GET', '/webhooks/deliveries?status=delivered&limit=1')).body;
        if (delivered.total_records >= ids.length) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      await Promise.all([a.control('POST', '/webhooks/deliver'), b.control('POST', '/webhooks/deliver')]);
      const counts = new Map<string, number>();
      for (const e of r.events()) {
        assert.ok(e.signatureOk);
        const id = e.json.payload.object.id as string;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      assert.deepEqual(
        [...counts.entries()].filter(([, n]) => n !== 1),
        [],
        'no event was delivered twice',
      );
      assert.deepEqual([...counts.keys()].sort(), [...ids].sort(), 'every event was delivered');
      const all = (await b.control('GET', '/webhooks/deliveries?limit=1000')).body;
      assert.equal(all.total_records, ids.length, 'one delivery per (event, subscription)');
      assert.ok(all.deliveries.every((d: { attempt_count: number }) => d.attempt_count === 1));
    } finally {
      await a.close();
      await b.close();
      await r.close();
    }
  });
});
