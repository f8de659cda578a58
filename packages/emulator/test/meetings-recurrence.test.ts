/** Recurring meetings with a fixed time (type 8): occurrences on the wall clock, and recurrence limits. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordedEvents, type TestZemu } from './helpers.js';
import { CREATE, createMeeting, meetingsWorld, ONE } from './meetings-world.js';
import { assertMatchesSpec } from './spec.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token } = await meetingsWorld());
  });
  after(() => z.close());

  describe('recurring meetings with a fixed time (type 8)', () => {
    test('occurrences on the wall clock of the timezone, ids in epoch ms, spec-valid', async () => {
      // Mondays and Wednesdays at 09:00 Berlin, from Wednesday 2030-03-27, across the DST change of 03-31.
      const res = await create({
        topic: 'Twice a week',
        type: 8,
        start_time: '2030-03-27T09:00:00',
        timezone: 'Europe/Berlin',
        duration: 30,
        recurrence: { type: 2, repeat_interval: 1, weekly_days: '2,4', end_times: 4 },
      });
      assert.equal(res.status, 201, res.text);
      // The spec's schema has an enum of single days on weekly_days, though its own text (and Zoom)
      // takes a comma-separated list: validate everything else.
      const singleDay = (r: typeof res) => ({
        ...r,
        body: { ...r.body, recurrence: { ...r.body.recurrence, weekly_days: '2' } },
      });
      assertMatchesSpec('POST', CREATE, singleDay(res));
      assert.equal(res.body.recurrence.weekly_days, '2,4');
      const starts = res.body.occurrences.map((o: { start_time: string }) => o.start_time);
      assert.deepEqual(starts, [
        '2030-03-27T08:00:00Z',
        '2030-04-01T07:00:00Z',
        '2030-04-03T07:00:00Z',
        '2030-04-08T07:00:00Z',
      ]);
      for (const o of res.body.occurrences) {
        assert.equal(o.occurrence_id, String(Date.parse(o.start_time)));
        assert.equal(o.duration, 30);
        assert.equal(o.status, 'available');
      }
      assert.equal(res.body.start_time, '2030-03-27T08:00:00Z');

      const second = res.body.occurrences[1].occurrence_id;
      const one = await z.api('GET', `/meetings/${res.body.id}?occurrence_id=${second}`, token);
      assert.equal(one.status, 200, one.text);
      assertMatchesSpec('GET', ONE, singleDay(one));
      assert.equal(one.body.start_time, '2030-04-01T07:00:00Z');
      assert.equal(one.body.occurrences.length, 1);
      const bad = await z.api('GET', `/meetings/${res.body.id}?occurrence_id=123`, token);
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { code: 3000, message: 'Invalid occurrence_id.' });

      // Deleting one occurrence keeps the meeting; the occurrence shows as deleted.
      const del = await z.api('DELETE', `/meetings/${res.body.id}?occurrence_id=${second}`, token);
      assert.equal(del.status, 204, del.text);
      const after = (await z.api('GET', `/meetings/${res.body.id}`, token)).body;
      assert.deepEqual(
        after.occurrences.map((o: { status: string }) => o.status),
        ['available', 'deleted', 'available', 'available'],
      );
      const event = (await recordedEvents(z, 'meeting.deleted')).find(
        (e) => e.payload.object.id === res.body.id,
      );
      assert.deepEqual(event?.payload.object.occurrences, [
        { occurrence_id: second, start_time: '2030-04-01T07:00:00Z' },
      ]);
      const again = await z.api('DELETE', `/meetings/${res.body.id}?occurrence_id=${second}`, token);
      assert.equal(again.status, 400);
      assert.equal(again.body.code, 3000);
      const single = await z.api('PATCH', `/meetings/${res.body.id}?occurrence_id=${second}`, token, {
        topic: 'x',
      });
      assert.equal(single.status, 400, 'per-occurrence updates are not emulated and say so');
      assert.equal(single.body.errors[0].field, 'occurrence_id');
    });

    test('daily, monthly by day and by weekday; start moves to the first occurrence; past ones hidden', async () => {
      const daily = await create({
        type: 8,
        start_time: '2030-01-01T12:00:00Z',
        timezone: 'UTC',
        recurrence: { type: 1, repeat_interval: 3, end_date_time: '2030-01-10T23:59:59Z' },
      });
      assert.deepEqual(
        daily.body.occurrences.map((o: { start_time: string }) => o.start_time),
        ['2030-01-01T12:00:00Z', '2030-01-04T12:00:00Z', '2030-01-07T12:00:00Z', '2030-01-10T12:00:00Z'],
      );
      const monthly = await create({
        type: 8,
        start_time: '2030-01-15T12:00:00Z',
        timezone: 'UTC',
        recurrence: { type: 3, repeat_interval: 1, monthly_day: 31, end_times: 3 },
      });
      assert.equal(monthly.body.start_time, '2030-01-31T12:00:00Z', 'the first occurrence');
      assert.deepEqual(
        monthly.body.occurrences.map((o: { start_time: string }) => o.start_time),
        ['2030-01-31T12:00:00Z', '2030-02-28T12:00:00Z', '2030-03-31T12:00:00Z'],
      );
      const lastFriday = await create({
        type: 8,
        start_time: '2030-01-01T12:00:00Z',
        timezone: 'UTC',
        recurrence: { type: 3, repeat_interval: 1, monthly_week: -1, monthly_week_day: 6, end_times: 2 },
      });
      assert.deepEqual(
        lastFriday.body.occurrences.map((o: { start_time: string }) => o.start_time),
        ['2030-01-25T12:00:00Z', '2030-02-22T12:00:00Z'],
      );
      // An occurrence in the past is left out unless show_previous_occurrences=true.
      const now = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const past = await create({
        type: 8,
        start_time: `${new Date(now - 2 * 86_400_000).toISOString().slice(0, 19)}Z`,
        timezone: 'UTC',
        recurrence: { type: 1, repeat_interval: 1, end_times: 4 },
      });
      const got = await z.api('GET', `/meetings/${past.body.id}`, token);
      assert.equal(got.body.occurrences.length, 2);
      const all = await z.api('GET', `/meetings/${past.body.id}?show_previous_occurrences=true`, token);
      assert.equal(all.body.occurrences.length, 4);
    });

    test('recurrence limits: interval per type, weekly_days format, no occurrence at all', async () => {
      for (const [recurrence, field] of [
        [{ type: 1, repeat_interval: 91 }, 'recurrence.repeat_interval'],
        [{ type: 2, repeat_interval: 13 }, 'recurrence.repeat_interval'],
        [{ type: 3, repeat_interval: 4 }, 'recurrence.repeat_interval'],
        [{ type: 2, weekly_days: '2;4' }, 'recurrence.weekly_days'],
        [{ type: 2, weekly_days: '8' }, 'recurrence.weekly_days'],
        [{ type: 1, end_times: 366 }, 'recurrence.end_times'],
        [{ type: 1, end_times: 2, end_date_time: '2031-01-01T00:00:00Z' }, 'recurrence.end_times'],
        [{ type: 1, end_date_time: '2029-01-01T00:00:00Z' }, 'recurrence.end_date_time'],
      ] as const) {
        const res = await create({ type: 8, start_time: '2030-01-01T12:00:00Z', recurrence });
        assert.equal(res.status, 400, `${JSON.stringify(recurrence)}: ${res.text}`);
        assert.deepEqual(
          res.body.errors.map((e: { field: string }) => e.field),
          [field],
          JSON.stringify(recurrence),
        );
      }
    });
  });
});
