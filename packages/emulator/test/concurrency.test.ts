/**
 * Concurrent writes to the same record, on SQLite and on PostgreSQL (where transactions really run side
 * by side): nothing is lost, nothing is done twice, and no one gets a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSchema, recordedEvents, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';
import { startReceiver } from './webhook-receiver.js';

const postgres = await postgresRequirement();

function suite(name: string, databaseUrl: () => string | undefined) {
  describe(`concurrent writes (${name})`, () => {
    let z: TestZemu;
    let token: string;
    const mkUser = async (email: string) => {
      const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email });
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };
    before(async () => {
      const url = databaseUrl();
      z = await startTestZemu(url ? { databaseUrl: url } : {});
      token = await z.s2sToken();
    });
    after(() => z.close());

    test("three first PATCHes of one user's settings: all 204, every change kept, one event each", async () => {
      const id = await mkUser(`settings-${name}@demo.zemu.test`);
      const results = await Promise.all([
        z.api('PATCH', `/users/${id}/settings`, token, { in_meeting: { chat: false } }),
        z.api('PATCH', `/users/${id}/settings`, token, { schedule_meeting: { host_video: true } }),
        z.api('PATCH', `/users/${id}/settings`, token, { recording: { auto_recording: 'cloud' } }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        [204, 204, 204],
        results.map((r) => r.text).join(' '),
      );
      const got = await z.api('GET', `/users/${id}/settings`, token);
      assert.equal(got.body.in_meeting.chat, false);
      assert.equal(got.body.schedule_meeting.host_video, true);
      assert.equal(got.body.recording.auto_recording, 'cloud');
      const events = (await recordedEvents(z, 'user.settings_updated')).filter(
        (e) => e.payload.object.id === id,
      );
      assert.equal(events.length, 3);
    });

    test('two users PATCHed to the same PMI at once: one gets it, the other is refused', async () => {
      const a = await mkUser(`pmi-a-${name}@demo.zemu.test`);
      const b = await mkUser(`pmi-b-${name}@demo.zemu.test`);
      const pmi = name === 'sqlite' ? 5551234567 : 5551234568;
      const results = await Promise.all([
        z.api('PATCH', `/users/${a}`, token, { pmi }),
        z.api('PATCH', `/users/${b}`, token, { pmi }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [204, 400]);
      const holders = [
        (await z.api('GET', `/users/${a}`, token)).body.pmi,
        (await z.api('GET', `/users/${b}`, token)).body.pmi,
      ];
      assert.equal(holders.filter((p) => p === pmi).length, 1);
    });

    test('two PATCHes of different profile fields of one user: both kept', async () => {
      const id = await mkUser(`profile-${name}@demo.zemu.test`);
      const results = await Promise.all([
        z.api('PATCH', `/users/${id}`, token, { job_title: 'Pilot' }),
        z.api('PATCH', `/users/${id}`, token, { use_pmi: true }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        [204, 204],
      );
      const got = await z.api('GET', `/users/${id}`, token);
      assert.equal(got.body.job_title, 'Pilot');
      assert.equal(got.body.use_pmi, true);
    });

    for (const action of ['disassociate', 'delete'] as const) {
      test(`two DELETE ?action=${action} of one user at once: one 204, one 404, one event, one account`, async () => {
        const id = await mkUser(`${action}-${name}@demo.zemu.test`);
        const results = await Promise.all([
          z.api('DELETE', `/users/${id}?action=${action}`, token),
          z.api('DELETE', `/users/${id}?action=${action}`, token),
        ]);
        assert.deepEqual(results.map((r) => r.status).sort(), [204, 404]);
        const event = action === 'delete' ? 'user.deleted' : 'user.disassociated';
        assert.equal((await recordedEvents(z, event)).filter((e) => e.payload.object.id === id).length, 1);
        const owned = await z.zemu.built.ctx.store.db
          .selectFrom('accounts')
          .select('id')
          .where('owner_user_id', '=', id)
          .execute();
        assert.equal(owned.length, action === 'disassociate' ? 1 : 0);
      });
    }

    test('a PATCH racing the start page never undoes the start; a PATCH losing to a DELETE is 3001', async () => {
      for (let i = 0; i < 8; i++) {
        const m = await z.api('POST', '/users/me/meetings', token, {
          topic: 'race',
          type: 2,
          start_time: '2030-01-01T10:00:00Z',
        });
        const start = new URL(m.body.start_url);
        const [patch, page] = await Promise.all([
          z.api('PATCH', `/meetings/${m.body.id}`, token, { topic: `changed ${i}` }),
          z.request('GET', start.pathname + start.search),
        ]);
        assert.equal(patch.status, 204, patch.text);
        assert.equal(page.status, 200);
        const got = await z.api('GET', `/meetings/${m.body.id}`, token);
        assert.equal(got.body.status, 'started');
        assert.equal(got.body.topic, `changed ${i}`);
        await z.control('POST', '/clock', { advance: 7200 }); // past its duration: it may be deleted
        token = await z.s2sToken();
        const [late, del] = await Promise.all([
          z.api('PATCH', `/meetings/${m.body.id}`, token, { topic: 'too late' }),
          z.api('DELETE', `/meetings/${m.body.id}`, token),
        ]);
        assert.equal(del.status, 204, del.text);
        assert.ok(late.status === 204 || late.body.code === 3001, late.text);
        const updates = (await recordedEvents(z, 'meeting.updated')).filter(
          (e) => e.payload.object.id === m.body.id && e.payload.object.topic === 'too late',
        );
        const deleted = await recordedEvents(z, 'meeting.deleted');
        const deletedAt = deleted.find((e) => e.payload.object.id === m.body.id)?.event_ts ?? 0;
        // An update recorded for the meeting happened before its deletion, never after.
        assert.ok(updates.every((e) => e.event_ts <= deletedAt));
      }
    });
  });
}

suite('sqlite', () => undefined);
describe('on PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pg = postgresSchema('races');
  before(() => pg.create());
  after(() => pg.drop());
  suite('postgres', () => pg.url);
});

describe('a subscription deleted while an attempt is in flight', () => {
  test('the attempt is recorded and the delivery stays cancelled', async () => {
    const z = await startTestZemu();
    const r = await startReceiver('in-flight-secret');
    try {
      r.answerEvents = 500;
      r.delayMs = 400;
      const sub = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
        endpoint_url: r.url,
        events: ['user.updated'],
        secret_token: r.secret,
      });
      assert.equal(sub.status, 201, sub.text);
      await z.control('PATCH', '/webhooks/dispatcher', { paused: true });
      const token = await z.s2sToken();
      assert.equal((await z.api('PATCH', '/users/me', token, { dept: 'In flight' })).status, 204);
      const delivering = z.control('POST', '/webhooks/deliver');
      while (r.events('user.updated').length === 0) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(
        (await z.control('DELETE', `/apps/${z.demo.client_id}/webhooks/${sub.body.id}`)).status,
        204,
      );
      assert.equal((await delivering).status, 200);
      const list = await z.control('GET', `/webhooks/deliveries?client_id=${z.demo.client_id}`);
      const [delivery] = list.body.deliveries;
      assert.equal(delivery.status, 'cancelled');
      const one = await z.control('GET', `/webhooks/deliveries/${delivery.id}`);
      assert.equal(one.body.attempts.length, 1, 'the attempt that was made is recorded');
      assert.equal((await z.control('GET', '/webhooks/dispatcher')).body.pending_deliveries, 0);
    } finally {
      await z.close();
      await r.close();
    }
  });
});
