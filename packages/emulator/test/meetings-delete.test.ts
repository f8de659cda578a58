/** DELETE /v2/meetings/{meetingId}: the reminder flags, meeting.deleted, and what it refuses. */
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

  describe('DELETE /v2/meetings/{meetingId}', () => {
    test('204 with the reminder flags; then 3001; meeting.deleted carries the meeting', async () => {
      const m = (await create({ topic: 'Doomed', start_time: '2030-02-02T02:00:00Z', duration: 30 })).body;
      const res = await z.api(
        'DELETE',
        `/meetings/${m.id}?schedule_for_reminder=true&cancel_meeting_reminder=false`,
        token,
      );
      assert.equal(res.status, 204, res.text);
      assertMatchesSpec('DELETE', ONE, res);
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).status, 404);
      const again = await z.api('DELETE', `/meetings/${m.id}`, token);
      assert.equal(again.status, 404);
      assert.equal(again.body.message, `Meeting ${m.id} is not found or has expired.`);
      const events = (await recordedEvents(z, 'meeting.deleted')).filter((e) => e.payload.object.id === m.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]?.payload.object, {
        uuid: m.uuid,
        id: m.id,
        host_id: z.demo.user_id,
        topic: 'Doomed',
        type: 2,
        start_time: '2030-02-02T02:00:00Z',
        duration: 30,
        timezone: 'America/Los_Angeles',
      });
    });

    test('400 300 for a non-boolean flag (meeting kept); 4711 without a delete scope', async () => {
      const m = (await create({ topic: 'Kept' })).body;
      const bad = await z.api('DELETE', `/meetings/${m.id}?schedule_for_reminder=perhaps`, token);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].field, 'schedule_for_reminder');
      const t = await s2s(z, ['meeting:read:admin']);
      assert.equal((await z.api('DELETE', `/meetings/${m.id}`, t)).body.code, 4711);
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).status, 200);
    });
  });
});
