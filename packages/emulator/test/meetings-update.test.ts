/** PATCH /v2/meetings/{meetingId}: what changes, the events it records, and what it refuses. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordedEvents, s2s, type TestZemu } from './helpers.js';
import { createMeeting, meetingsWorld, ONE } from './meetings-world.js';
import { assertMatchesSpec } from './spec.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token } = await meetingsWorld());
  });
  after(() => z.close());

  describe('PATCH /v2/meetings/{meetingId}', () => {
    test('204, persisted, meeting.updated with the changed fields and old_object', async () => {
      const m = (
        await create({
          topic: 'Before',
          start_time: '2030-06-01T10:00:00Z',
          settings: { waiting_room: false },
        })
      ).body;
      const res = await z.api('PATCH', `/meetings/${m.id}`, token, {
        topic: 'After',
        duration: 90,
        settings: { waiting_room: true },
      });
      assert.equal(res.status, 204, res.text);
      assertMatchesSpec('PATCH', ONE, res);
      const got = (await z.api('GET', `/meetings/${m.id}`, token)).body;
      assert.equal(got.topic, 'After');
      assert.equal(got.duration, 90);
      assert.equal(got.settings.waiting_room, true);
      assert.equal(got.settings.host_video, false, 'other settings stay');
      assert.equal(got.start_time, '2030-06-01T10:00:00Z');
      assert.equal(got.password, m.password);

      const events = (await recordedEvents(z, 'meeting.updated')).filter((e) => e.payload.object.id === m.id);
      assert.equal(events.length, 1);
      const p = events[0]?.payload;
      assert.deepEqual(p.object, {
        id: m.id,
        uuid: m.uuid,
        topic: 'After',
        duration: 90,
        settings: { waiting_room: true },
      });
      assert.deepEqual(p.old_object, {
        id: m.id,
        uuid: m.uuid,
        topic: 'Before',
        duration: 60,
        settings: { waiting_room: false },
      });
      assert.equal(typeof p.time_stamp, 'number');
      assert.equal(p.time_stamp, events[0]?.event_ts, 'time_stamp is the event moment');
      assert.equal(p.operator_id, z.demo.user_id);
    });

    test('a local start_time is read in the new timezone; password changes change the join link', async () => {
      const m = (await create({ topic: 'tz', start_time: '2030-01-01T10:00:00Z' })).body;
      const res = await z.api('PATCH', `/meetings/${m.id}`, token, {
        start_time: '2030-07-01T10:00:00',
        timezone: 'America/New_York',
        password: 'n3w-pass',
      });
      assert.equal(res.status, 204, res.text);
      const got = (await z.api('GET', `/meetings/${m.id}`, token)).body;
      assert.equal(got.start_time, '2030-07-01T14:00:00Z', 'EDT is UTC-4');
      assert.equal(got.password, 'n3w-pass');
      assert.notEqual(got.encrypted_password, m.encrypted_password);
      assert.equal(got.join_url, `${z.url}/j/${m.id}?pwd=${got.encrypted_password}`);
    });

    test('400 300 for bad fields and no change; 404 3001; 400 300 for a bad id', async () => {
      const m = (await create({ topic: 'Stay' })).body;
      const before = (await recordedEvents(z, 'meeting.updated')).length;
      const res = await z.api('PATCH', `/meetings/${m.id}`, token, {
        topic: 'Changed',
        settings: { auto_recording: 'tape' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 300);
      assert.deepEqual(
        res.body.errors.map((e: { field: string }) => e.field),
        ['settings.auto_recording'],
      );
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.topic, 'Stay');
      assert.equal((await recordedEvents(z, 'meeting.updated')).length, before);
      const missing = await z.api('PATCH', '/meetings/81234567890', token, { topic: 'x' });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 3001);
      assert.equal((await z.api('PATCH', '/meetings/xyz', token, { topic: 'x' })).status, 400);
      assert.equal((await z.api('PATCH', `/meetings/${m.id}`, token, 'text')).status, 400);
      const granular = await s2s(z, ['meeting:read:meeting:admin']);
      const scoped = await z.api('PATCH', `/meetings/${m.id}`, granular, { topic: 'x' });
      assert.equal(scoped.body.code, 4711);
      assert.match(scoped.body.message, /meeting:update:meeting, meeting:update:meeting:admin/);
    });
  });
});
