import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSchema, recordedEvents, startTestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';
import { assertMatchesSpec } from './spec.js';

const postgres = await postgresRequirement();

/** Meetings on PostgreSQL: 11-digit ids are bigint there and must come back as JSON numbers. */
describe('Meetings on PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pgSchema = postgresSchema('meetings');
  const url = pgSchema.url;

  before(async () => {
    await pgSchema.create();
  });
  after(async () => {
    await pgSchema.drop();
  });

  test('create, get, list, update, start, delete; two processes share the meetings', async () => {
    const a = await startTestZemu({ databaseUrl: url });
    const b = await startTestZemu({ databaseUrl: url });
    try {
      const token = await a.s2sToken();
      const created = await a.api('POST', '/users/me/meetings', token, {
        topic: 'On PostgreSQL',
        start_time: '2030-05-05T05:05:00Z',
        settings: { waiting_room: true },
      });
      assert.equal(created.status, 201, created.text);
      assertMatchesSpec('POST', '/users/{userId}/meetings', created);
      const id = created.body.id as number;
      assert.ok(id > 2 ** 32, 'beyond 32 bits');

      const got = await b.api('GET', `/meetings/${id}`, token);
      assert.equal(got.status, 200, got.text);
      assertMatchesSpec('GET', '/meetings/{meetingId}', got);
      assert.equal(got.body.id, id);
      assert.equal(typeof got.body.id, 'number');
      assert.equal(got.body.settings.waiting_room, true);
      assert.equal(got.body.start_time, '2030-05-05T05:05:00Z');

      const list = await b.api('GET', '/users/me/meetings', token);
      assert.deepEqual(
        list.body.meetings.map((m: { id: number }) => m.id),
        [id],
      );
      assert.equal((await a.api('PATCH', `/meetings/${id}`, token, { topic: 'Renamed' })).status, 204);
      const started = await fetch(got.body.start_url);
      assert.equal(started.status, 200);
      const after = (await b.api('GET', `/meetings/${id}`, token)).body;
      assert.equal(after.topic, 'Renamed');
      assert.equal(after.status, 'started');
      const busy = await b.api('DELETE', `/meetings/${id}`, token);
      assert.equal(busy.status, 400, 'in progress');
      assert.equal(busy.body.code, 3002);
      // Past its duration of emulated time the meeting has ended and can go.
      await a.control('POST', '/clock', { advance: 61 * 60 });
      const later = await a.s2sToken();
      assert.equal((await a.api('DELETE', `/meetings/${id}`, later)).status, 204);
      // B shares A's clock: the first token has expired there too, so the new one asks.
      assert.equal((await b.api('GET', `/meetings/${id}`, token)).status, 401);
      assert.equal((await b.api('GET', `/meetings/${id}`, later)).status, 404);
      const names = (await recordedEvents(a)).map((e) => e.event).filter((e) => e.startsWith('meeting.'));
      // The start link's host joined; the meeting ended at its scheduled end, closed before the delete.
      assert.deepEqual(names, [
        'meeting.created',
        'meeting.updated',
        'meeting.started',
        'meeting.participant_joined',
        'meeting.participant_left',
        'meeting.ended',
        'meeting.deleted',
      ]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
