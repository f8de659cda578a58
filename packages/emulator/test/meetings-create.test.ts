/** POST /v2/users/{userId}/meetings: the fields Zoom answers, validation, reach and scopes. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordedEvents, s2s, type TestZemu } from './helpers.js';
import { CREATE, createMeeting, type MeetingsWorld, meetingsWorld, zakOf } from './meetings-world.js';
import { assertMatchesSpec } from './spec.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;
  let other: MeetingsWorld['other'];
  let member: MeetingsWorld['member'];

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token, other, member } = await meetingsWorld());
  });
  after(() => z.close());

  describe('POST /v2/users/{userId}/meetings', () => {
    test('201: Zoom fields, spec-valid, generated passcode, start and join links, meeting.created', async () => {
      const res = await create({
        topic: 'Weekly sync',
        type: 2,
        start_time: '2030-03-05T09:30:00',
        timezone: 'Europe/Berlin',
        duration: 45,
        agenda: 'Plans',
        settings: { host_video: true, approval_type: 0 },
      });
      assert.equal(res.status, 201, res.text);
      assertMatchesSpec('POST', CREATE, res);
      const m = res.body;
      assert.ok(Number.isSafeInteger(m.id) && String(m.id).length === 11, `id ${m.id}`);
      assert.match(m.uuid, /^[A-Za-z0-9+/]{22}==$/);
      assert.equal(m.host_id, z.demo.user_id);
      assert.equal(m.host_email, z.demo.email);
      assert.equal(m.topic, 'Weekly sync');
      assert.equal(m.type, 2);
      assert.equal(m.status, 'waiting');
      // 09:30 in Berlin in March (CET, UTC+1) is 08:30 GMT.
      assert.equal(m.start_time, '2030-03-05T08:30:00Z');
      assert.equal(m.duration, 45);
      assert.equal(m.timezone, 'Europe/Berlin');
      assert.equal(m.agenda, 'Plans');
      assert.match(m.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(m.password, /^[A-Za-z0-9]{6}$/);
      assert.match(m.h323_password, /^\d+$/);
      assert.equal(m.pstn_password, m.h323_password);
      assert.ok(m.encrypted_password.length >= 20);
      assert.equal(m.pre_schedule, false);
      assert.equal(m.settings.host_video, true);
      assert.equal(m.settings.approval_type, 0);
      assert.equal(m.settings.join_before_host, false, 'a default the request did not set');
      assert.equal(m.settings.audio, 'both');
      const start = new URL(m.start_url);
      assert.equal(`${start.origin}${start.pathname}`, `${z.url}/s/${m.id}`);
      const claims = zakOf(m.start_url);
      assert.equal(claims.uid, z.demo.user_id);
      assert.equal((claims.exp as number) - (claims.iat as number), 7200, 'a ZAK valid two hours');
      assert.equal(m.join_url, `${z.url}/j/${m.id}?pwd=${m.encrypted_password}`);

      const events = (await recordedEvents(z, 'meeting.created')).filter((e) => e.payload.object.id === m.id);
      assert.equal(events.length, 1);
      assert.equal(events[0]?.account_id, z.demo.account_id);
      assert.equal(events[0]?.payload.operator_id, z.demo.user_id);
      assert.deepEqual(events[0]?.payload.object, {
        uuid: m.uuid,
        id: m.id,
        host_id: z.demo.user_id,
        topic: 'Weekly sync',
        type: 2,
        start_time: '2030-03-05T08:30:00Z',
        duration: 45,
        timezone: 'Europe/Berlin',
      });
    });

    test('an empty body makes a scheduled meeting now, in the host timezone, with a passcode', async () => {
      const clock = (await z.control('GET', '/clock')).body;
      const res = await create({});
      assert.equal(res.status, 201, res.text);
      assertMatchesSpec('POST', CREATE, res);
      assert.equal(res.body.type, 2);
      assert.equal(res.body.topic, "Demo Owner's Zoom Meeting");
      assert.equal(res.body.duration, 60);
      assert.equal(res.body.timezone, 'America/Los_Angeles');
      assert.ok(Math.abs(Date.parse(res.body.start_time) - clock.epoch_ms) < 5000);
      assert.match(res.body.password, /^[A-Za-z0-9]{6}$/);
      assert.equal(res.body.pmi, undefined, 'no PMI unless the meeting uses it');
      const me = (await z.api('GET', '/users/me', token)).body;
      const pmi = await create({ topic: 'on my PMI', settings: { use_pmi: true } });
      assertMatchesSpec('POST', CREATE, pmi);
      assert.equal(pmi.body.pmi, String(me.pmi));
    });

    test('a given passcode, GMT start time, by email; type 8 with recurrence; type 3 without a time', async () => {
      const a = await create(
        { topic: 'Pwd', start_time: '2030-01-01T10:00:00Z', password: '123456' },
        member.email,
      );
      assert.equal(a.status, 201, a.text);
      assert.equal(a.body.host_id, member.id);
      assert.equal(a.body.start_time, '2030-01-01T10:00:00Z');
      assert.equal(a.body.password, '123456');
      assert.equal(a.body.h323_password, '123456', 'a numeric passcode dials in as itself');

      const weekly = await create({
        topic: 'Standup',
        type: 8,
        start_time: '2030-01-07T09:00:00Z',
        recurrence: { type: 2, repeat_interval: 1, weekly_days: '2', end_times: 5 },
      });
      assert.equal(weekly.status, 201, weekly.text);
      assertMatchesSpec('POST', CREATE, weekly);
      assert.deepEqual(weekly.body.recurrence, {
        type: 2,
        repeat_interval: 1,
        weekly_days: '2',
        end_times: 5,
      });

      const open = await create({ topic: 'Any time', type: 3 });
      assert.equal(open.status, 201, open.text);
      assertMatchesSpec('POST', CREATE, open);
      assert.equal(open.body.start_time, undefined);
      assert.equal(open.body.duration, undefined);
    });

    test('400 300 Validation Failed with one error per bad field, and nothing is written', async () => {
      const before = (await recordedEvents(z, 'meeting.created')).length;
      const res = await create({
        topic: 'x'.repeat(201),
        type: 5,
        duration: 'long',
        agenda: 7,
        settings: { approval_type: 9, audio: 'pigeon', join_before_host: 'yes' },
        start_time: 'tomorrow',
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 300);
      assert.equal(res.body.message, 'Validation Failed.');
      const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, [
        'agenda',
        'duration',
        'settings.approval_type',
        'settings.audio',
        'settings.join_before_host',
        'start_time',
        'topic',
        'type',
      ]);
      assert.ok(res.body.errors.every((e: { message: string }) => e.message.startsWith('Invalid field.')));
      assert.equal((await recordedEvents(z, 'meeting.created')).length, before, 'no event');

      for (const [body, field] of [
        [{ timezone: 'Mars/Olympus' }, 'timezone'],
        [{ password: 'has space' }, 'password'],
        [{ password: '12345678901' }, 'password'],
        [{ type: 8, start_time: '2030-01-01T10:00:00Z' }, 'recurrence'],
        [{ type: 8, recurrence: { type: 4 } }, 'recurrence.type'],
        [{ tracking_fields: [{ field: 3 }] }, 'tracking_fields[0].field'],
      ] as const) {
        const bad = await create(body);
        assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`);
        assert.deepEqual(
          bad.body.errors.map((e: { field: string }) => e.field),
          [field],
        );
      }
      const notObject = await create([1, 2]);
      assert.equal(notObject.status, 400);
      assert.deepEqual(notObject.body, { code: 300, message: 'Request Body should be a valid JSON object.' });
      const list = await z.api('GET', '/users/me/meetings?page_size=300', token);
      assert.ok(list.body.meetings.every((m: { topic: string }) => m.topic.length <= 200));
    });

    test("404 1001 for an unknown user and for another account's user, with the Meetings text", async () => {
      const missing = await create({ topic: 'x' }, 'nobody@nowhere.test');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, {
        code: 1001,
        message: 'User nobody@nowhere.test not exist or not belong to this account.',
      });
      const foreign = await create({ topic: 'x' }, other.userId);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.message, `User ${other.userId} not exist or not belong to this account.`);
    });

    test('4711 without a meeting write scope; a user-level token writes only with its own scopes', async () => {
      const usersOnly = await s2s(z, ['user:read:admin']);
      const res = await create({ topic: 'x' }, 'me', usersOnly);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        code: 4711,
        message: 'Invalid access token, does not contain scopes: [meeting:write, meeting:write:admin].',
      });
      const granular = await s2s(z, ['user:read:user:admin']);
      const g = await create({ topic: 'x' }, 'me', granular);
      assert.equal(
        g.body.message,
        'Invalid access token, does not contain scopes:[meeting:write:meeting, meeting:write:meeting:admin].',
      );
      // meeting:write (not :admin) covers the token's own user only.
      const own = await s2s(z, ['meeting:write']);
      assert.equal((await create({ topic: 'mine' }, 'me', own)).status, 201);
      assert.equal((await create({ topic: 'theirs' }, member.id, own)).body.code, 4711);
    });
  });
});
