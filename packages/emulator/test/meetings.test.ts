import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordedEvents, s2s, startTestZemu, type TestZemu, userToken } from './helpers.js';
import { assertMatchesSpec } from './spec.js';

const CREATE = '/users/{userId}/meetings';
const ONE = '/meetings/{meetingId}';

function zakOf(startUrl: string): Record<string, unknown> {
  const zak = new URL(startUrl).searchParams.get('zak') as string;
  return JSON.parse(Buffer.from(zak.split('.')[1] as string, 'base64url').toString('utf8'));
}

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;
  let other: { token: string; userId: string };
  let member: { id: string; email: string };

  const create = (body: unknown, userId = 'me', t = token) =>
    z.api('POST', `/users/${encodeURIComponent(userId)}/meetings`, t, body);

  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    const acct = await z.control('POST', '/accounts', {
      name: 'Other',
      plan: 'pro',
      owner: { email: 'boss@other.test' },
    });
    assert.equal(acct.status, 201, acct.text);
    other = {
      token: await s2s(z, ['meeting:write:admin', 'meeting:read:admin'], acct.body.id),
      userId: acct.body.owner.id,
    };
    const m = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'member@demo.zemu.test',
      first_name: 'Mem',
      last_name: 'Ber',
    });
    assert.equal(m.status, 201, m.text);
    member = { id: m.body.id, email: m.body.email };
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

  describe('GET /v2/meetings/{meetingId}', () => {
    test('200 spec-valid with a fresh start_url ZAK on every call', async () => {
      const created = (await create({ topic: 'Get me', start_time: '2031-01-01T00:00:00Z' })).body;
      await z.control('POST', '/clock', { advance: 2 });
      const res = await z.api('GET', `/meetings/${created.id}`, token);
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec('GET', ONE, res);
      for (const k of ['uuid', 'id', 'host_id', 'topic', 'type', 'start_time', 'password', 'join_url']) {
        assert.deepEqual(res.body[k], created[k], k);
      }
      assert.notEqual(res.body.start_url, created.start_url, 'a new ZAK');
      assert.ok((zakOf(res.body.start_url).iat as number) > (zakOf(created.start_url).iat as number));
    });

    test('custCreate hosts get a start_url valid 90 days', async () => {
      const api = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
        email: 'api-host@demo.zemu.test',
        action: 'custCreate',
      });
      const m = await create({ topic: 'api host' }, api.body.id);
      const c = zakOf(m.body.start_url);
      assert.equal((c.exp as number) - (c.iat as number), 7_776_000);
    });

    test('404 3001 for unknown, deleted or foreign meetings; 400 300 for a non-numeric id', async () => {
      const missing = await z.api('GET', '/meetings/81234567890', token);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, {
        code: 3001,
        message: 'Meeting 81234567890 is not found or has expired.',
      });
      const foreign = (await create({ topic: 'theirs' }, 'me', other.token)).body;
      const res = await z.api('GET', `/meetings/${foreign.id}`, token);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 3001);
      assert.equal((await z.api('GET', `/meetings/${foreign.id}`, other.token)).status, 200);
      for (const bad of ['abc', '12ab', '-5', '1.5']) {
        const r = await z.api('GET', `/meetings/${bad}`, token);
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.code, 300);
        assert.equal(r.body.message, 'Validation Failed.');
      }
      const huge = await z.api('GET', `/meetings/${'9'.repeat(19)}`, token);
      assert.equal(huge.status, 404);
      const badFlag = await z.api('GET', `/meetings/${foreign.id}?show_previous_occurrences=maybe`, token);
      assert.equal(badFlag.status, 400);
    });

    test("a user-level token reaches its own meetings, not another user's (3001)", async () => {
      const t = await userToken(z, { email: member.email, scopes: ['meeting:read', 'meeting:write'] });
      const mine = await create({ topic: 'member own' }, 'me', t);
      assert.equal(mine.status, 201, mine.text);
      assert.equal(mine.body.host_id, member.id);
      assert.equal((await z.api('GET', `/meetings/${mine.body.id}`, t)).status, 200);
      const owners = (await create({ topic: 'owner' })).body;
      const res = await z.api('GET', `/meetings/${owners.id}`, t);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 3001);
      assert.equal((await z.api('DELETE', `/meetings/${owners.id}`, t)).status, 404);
    });

    test('4711 without a meeting read scope', async () => {
      const m = (await create({ topic: 'scoped' })).body;
      const t = await s2s(z, ['meeting:write:admin']);
      const res = await z.api('GET', `/meetings/${m.id}`, t);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 4711);
      assert.match(res.body.message, /meeting:read, meeting:read:admin/);
    });
  });

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

  describe('GET /v2/users/{userId}/meetings', () => {
    let host: string;
    let hostToken: string;
    const ids: Record<string, number> = {};

    before(async () => {
      const u = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
        email: 'lister@demo.zemu.test',
      });
      host = u.body.id;
      hostToken = token;
      const now = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
      const make = async (name: string, body: Record<string, unknown>) => {
        const res = await create({ topic: name, ...body }, host);
        assert.equal(res.status, 201, res.text);
        ids[name] = res.body.id;
      };
      await make('past', { start_time: iso(now - 3 * 86_400_000), duration: 30 });
      await make('future2', { start_time: iso(now + 2 * 86_400_000) });
      await make('future1', { start_time: iso(now + 86_400_000) });
      await make('instant', { type: 1 });
      await make('open', { type: 3 });
      await make('live', { start_time: iso(now - 5 * 86_400_000) });
    });

    const list = (query: string, t = hostToken) => z.api('GET', `/users/${host}/meetings${query}`, t);
    const topics = (res: { body: { meetings: Array<{ topic: string }> } }) =>
      res.body.meetings.map((m) => m.topic);

    test('scheduled (default): every meeting but instant ones, by start time; spec-valid', async () => {
      const res = await list('');
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec('GET', CREATE, res);
      assert.deepEqual(topics(res), ['live', 'past', 'future1', 'future2', 'open']);
      assert.equal(res.body.total_records, 5);
      assert.equal(res.body.page_size, 30);
      assert.equal(res.body.next_page_token, '');
      const item = res.body.meetings[0];
      assert.equal(item.host_id, host);
      assert.equal(item.join_url.startsWith(`${z.url}/j/`), true);
      assert.equal(item.start_url, undefined, 'lists carry no start_url');
    });

    test('live, upcoming, upcoming_meetings and previous_meetings', async () => {
      // The start page marks a meeting started: that is what makes it live.
      const got = (await z.api('GET', `/meetings/${ids.live}`, token)).body;
      assert.equal((await fetch(got.start_url)).status, 200);
      assert.deepEqual(topics(await list('?type=live')), ['live']);
      assert.deepEqual(topics(await list('?type=upcoming')), ['live', 'future1', 'future2', 'open']);
      assert.deepEqual(topics(await list('?type=upcoming_meetings')), ['live', 'future1', 'future2', 'open']);
      assert.deepEqual(topics(await list('?type=previous_meetings')), ['past']);
      const after = (await z.api('GET', `/meetings/${ids.live}`, token)).body;
      assert.equal(after.status, 'started');
    });

    test('pages of page_size follow next_page_token to the end; page_number works too', async () => {
      const first = await list('?page_size=2');
      assert.deepEqual(topics(first), ['live', 'past']);
      assert.equal(first.body.page_count, 3);
      assert.ok(first.body.next_page_token);
      const second = await list(
        `?page_size=2&next_page_token=${encodeURIComponent(first.body.next_page_token)}`,
      );
      assert.deepEqual(topics(second), ['future1', 'future2']);
      assert.equal(second.body.page_number, 2);
      assertMatchesSpec('GET', CREATE, second);
      const third = await list(
        `?page_size=2&next_page_token=${encodeURIComponent(second.body.next_page_token)}`,
      );
      assert.deepEqual(topics(third), ['open']);
      assert.equal(third.body.next_page_token, '');
      assert.deepEqual(topics(await list('?page_size=2&page_number=2')), ['future1', 'future2']);
      const replayed = await list(
        `?page_size=3&next_page_token=${encodeURIComponent(first.body.next_page_token)}`,
      );
      assert.equal(replayed.status, 400, 'a token belongs to its query');
      assert.equal(replayed.body.code, 300);
    });

    test('lists cut the agenda to 250 characters; the meeting keeps it whole', async () => {
      const long = 'a'.repeat(600);
      const m = (await create({ topic: 'long agenda', agenda: long, type: 3 }, host)).body;
      const item = (await list('?page_size=300')).body.meetings.find((x: { id: number }) => x.id === m.id);
      assert.equal(item.agenda.length, 250);
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.agenda, long);
      assert.equal((await z.api('DELETE', `/meetings/${m.id}`, token)).status, 204);
    });

    test('from/to filter by start date', async () => {
      const now = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const res = await list(`?from=${day(now + 86_400_000)}&to=${day(now + 86_400_000)}`);
      assert.deepEqual(topics(res), ['future1']);
    });

    test('400 300 for bad type, page_size and dates; 1001 for an unknown user; 4711', async () => {
      for (const q of [
        '?type=all',
        '?page_size=0',
        '?page_size=301',
        '?page_size=x',
        '?page_number=0',
        '?from=2030-13-45',
      ]) {
        const res = await list(q);
        assert.equal(res.status, 400, q);
        assert.equal(res.body.code, 300, q);
        assert.equal(res.body.message, 'Validation Failed.');
      }
      assert.equal((await list('?page_size=300')).status, 200);
      const twice = await list('?next_page_token=a&next_page_token=b');
      assert.equal(twice.status, 400, 'a repeated parameter is bad input, not a crash');
      assert.equal(twice.body.errors[0].field, 'next_page_token');
      assert.equal((await list('?type=live&type=scheduled')).status, 400);
      const missing = await z.api('GET', '/users/ghost@demo.zemu.test/meetings', token);
      assert.equal(missing.status, 404);
      assert.equal(
        missing.body.message,
        'User ghost@demo.zemu.test not exist or not belong to this account.',
      );
      const t = await s2s(z, ['meeting:read:meeting:admin']);
      const scoped = await list('', t);
      assert.equal(scoped.body.code, 4711);
      assert.match(scoped.body.message, /meeting:read:list_meetings, meeting:read:list_meetings:admin/);
    });
  });

  describe('hosts: schedule_for, capabilities, meetings in progress', () => {
    test('schedule_for: admins schedule for anyone, others need a scheduling privilege', async () => {
      const byOwner = await create({ topic: 'for member', schedule_for: member.email });
      assert.equal(byOwner.status, 201, byOwner.text);
      assert.equal(byOwner.body.host_id, member.id);
      assert.equal(byOwner.body.host_email, member.email);
      assert.equal(zakOf(byOwner.body.start_url).uid, member.id, "the host's ZAK");

      const assistant = (
        await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'assistant@demo.zemu.test' })
      ).body.id as string;
      const refused = await create({ topic: 'for owner', schedule_for: z.demo.email }, assistant);
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, {
        code: 3000,
        message: `You cannot schedule a meeting for ${z.demo.email}.`,
      });
      const granted = await z.control('POST', `/users/${z.demo.user_id}/privileges`, {
        grantee_user_id: assistant,
      });
      assert.equal(granted.status, 201, granted.text);
      const allowed = await create({ topic: 'for owner', schedule_for: z.demo.email }, assistant);
      assert.equal(allowed.status, 201, allowed.text);
      assert.equal(allowed.body.host_id, z.demo.user_id);

      const instant = await create({ type: 1, schedule_for: member.id });
      assert.equal(instant.status, 400);
      assert.deepEqual(instant.body, {
        code: 3000,
        message:
          'Instant meetings do not support the schedule_for parameter; you cannot schedule an instant meeting for another user.',
      });
      const nobody = await create({ topic: 'x', schedule_for: 'ghost@demo.zemu.test' });
      assert.equal(nobody.body.code, 3000);
    });

    test('3161 for hosts whose user type has no meetings', async () => {
      const unassigned = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
        email: 'no-meetings@demo.zemu.test',
        type: 4,
      });
      assert.equal(unassigned.status, 201, unassigned.text);
      const expected = {
        code: 3161,
        message: 'Meeting hosting and scheduling capabilities are not allowed for your user account.',
      };
      const res = await create({ topic: 'x' }, unassigned.body.id);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, expected);
      const list = await z.api('GET', `/users/${unassigned.body.id}/meetings`, token);
      assert.deepEqual(list.body, expected);
      assert.deepEqual((await create({ topic: 'x', schedule_for: unassigned.body.id })).body, expected);
    });

    test('a started meeting is in progress for its duration: 3002 on delete, then it has ended', async () => {
      const m = (await create({ topic: 'busy', duration: 15 })).body;
      assert.equal((await fetch(m.start_url)).status, 200);
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.status, 'started');
      const res = await z.api('DELETE', `/meetings/${m.id}`, token);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        code: 3002,
        message: 'Sorry, you cannot delete this meeting since it is in progress.',
      });
      await z.control('POST', '/clock', { advance: 15 * 60 });
      token = await z.s2sToken();
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.status, 'waiting');
      assert.equal((await z.api('DELETE', `/meetings/${m.id}`, token)).status, 204);
    });
  });

  describe('bad input', () => {
    test('garbage in any field, query or path is a 4xx in Zoom shape, never a 500', async () => {
      const values: unknown[] = [null, true, -1, 1.5, 1e300, '', 'x'.repeat(3000), [], [1], {}, { a: 1 }];
      const fields = [
        'topic',
        'type',
        'start_time',
        'duration',
        'timezone',
        'agenda',
        'password',
        'default_password',
        'pre_schedule',
        'settings',
        'recurrence',
        'tracking_fields',
        'schedule_for',
        'template_id',
      ];
      // A host of its own: the valid bodies among these spend its daily writes, not the owner's.
      const fuzz = (
        await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'fuzz@demo.zemu.test' })
      ).body.id as string;
      const m = (await create({ topic: 'target' }, fuzz)).body;
      const bodies: unknown[] = [
        null,
        1,
        'str',
        [],
        ...fields.flatMap((f) => values.map((v) => ({ [f]: v }))),
      ];
      bodies.push(
        { settings: { approved_or_denied_countries_or_regions: { approved_list: [1] } } },
        { settings: { breakout_room: { rooms: [{ participants: 'x' }] } } },
        { type: 8, start_time: '2030-01-01T00:00:00Z', recurrence: { type: 2, weekly_days: 3 } },
        { type: 8, start_time: '2030-01-01T00:00:00Z', recurrence: { type: 1, end_date_time: 'soon' } },
        { start_time: '2030-02-31T10:00:00' },
        { start_time: '9999-12-31T23:59:59Z' },
      );
      for (const body of bodies) {
        for (const res of [await create(body), await z.api('PATCH', `/meetings/${m.id}`, token, body)]) {
          assert.ok(res.status < 500, `${JSON.stringify(body).slice(0, 80)}: ${res.status} ${res.text}`);
          if (res.status >= 400) assert.equal(typeof res.body.code, 'number', res.text);
        }
      }
      for (const q of [
        '?type[]=x',
        '?page_size=1e3',
        '?next_page_token=%00',
        '?next_page_token=a.b',
        '?from=0000-00-00',
        '?to[a]=b',
        '?page_number=99999999',
      ]) {
        const res = await z.api('GET', `/users/me/meetings${q}`, token);
        assert.ok(res.status < 500, `${q}: ${res.text}`);
      }
      for (const path of ['%20', '0', '00000000000000000000', '1e10', 'NaN', '81234567890?occurrence_id=x']) {
        for (const method of ['GET', 'PATCH', 'DELETE']) {
          const res = await z.api(method, `/meetings/${path}`, token, method === 'PATCH' ? {} : undefined);
          assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status} ${res.text}`);
        }
      }
      for (const url of [`/s/${m.id}?zak[]=1`, `/s/${m.id}?zak=${'a'.repeat(5000)}`, `/j/${m.id}?pwd[]=1`]) {
        const res = await z.request('GET', url);
        assert.ok(res.status < 500, `${url}: ${res.status}`);
      }
      const form = await z.request('POST', `/j/${m.id}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name[]=a&passcode[]=b',
      });
      assert.ok(form.status < 500, `join form: ${form.status}`);
      const json = await z.request('POST', `/j/${m.id}`, {
        headers: { 'content-type': 'application/json' },
        body: '[1,2]',
      });
      assert.ok(json.status < 500, `join json: ${json.status}`);
    });
  });

  describe('100 creates/updates per host per day', () => {
    test('the 101st write is 429 with Zoom text and headers; 00:00 UTC resets it', async () => {
      const u = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
        email: 'busy@demo.zemu.test',
      });
      const host = u.body.id as string;
      // Keep the day from turning over during the run.
      const now = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const midnight = Date.UTC(
        new Date(now).getUTCFullYear(),
        new Date(now).getUTCMonth(),
        new Date(now).getUTCDate() + 1,
      );
      if (midnight - now < 3_600_000) {
        await z.control('POST', '/clock', { advance: 7200 });
        token = await z.s2sToken();
      }
      const first = await create({ topic: 'write 1' }, host);
      assert.equal(first.status, 201);
      for (let i = 2; i <= 99; i++) assert.equal((await create({ topic: `write ${i}` }, host)).status, 201);
      // Updates count against the same cap.
      assert.equal(
        (await z.api('PATCH', `/meetings/${first.body.id}`, token, { topic: 'write 100' })).status,
        204,
      );
      const capped = await create({ topic: 'write 101' }, host);
      assert.equal(capped.status, 429);
      assert.deepEqual(capped.body, {
        code: 429,
        message:
          'You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
      });
      assert.equal(capped.headers.get('x-ratelimit-type'), 'Daily-limit');
      assert.equal(capped.headers.get('x-ratelimit-limit'), '100');
      assert.match(capped.headers.get('retry-after') ?? '', /T00:00:00Z$/);
      const patched = await z.api('PATCH', `/meetings/${first.body.id}`, token, { topic: 'again' });
      assert.equal(patched.status, 429);
      // Reads, deletes and other hosts are not capped.
      assert.equal((await z.api('GET', `/meetings/${first.body.id}`, token)).status, 200);
      assert.equal((await create({ topic: 'someone else' })).status, 201);
      const count = (await z.api('GET', `/users/${host}/meetings?page_size=300`, token)).body.total_records;
      assert.equal(count, 99, 'the refused create wrote nothing');

      const clock = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const next = Date.UTC(
        new Date(clock).getUTCFullYear(),
        new Date(clock).getUTCMonth(),
        new Date(clock).getUTCDate() + 1,
      );
      await z.control('POST', '/clock', { advance: Math.ceil((next - clock) / 1000) + 1 });
      token = await z.s2sToken();
      assert.equal((await create({ topic: 'next day' }, host)).status, 201);
    });
  });
});

describe('Meetings rate-limit labels', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
  });
  after(() => z.close());

  test('create, update and list are Medium; get and delete are Light (Free plan headers)', async () => {
    const acct = await z.control('POST', '/accounts', {
      name: 'Free',
      plan: 'free',
      owner: { email: 'free@free.test' },
    });
    const token = await s2s(z, ['meeting:write:admin', 'meeting:read:admin'], acct.body.id);
    const category = (res: { headers: Headers }) => res.headers.get('x-ratelimit-category');
    const created = await z.api('POST', '/users/me/meetings', token, { topic: 'free' });
    assert.equal(created.status, 201, created.text);
    assert.equal(category(created), 'Medium');
    const id = created.body.id;
    assert.equal(category(await z.api('GET', '/users/me/meetings', token)), 'Medium');
    assert.equal(category(await z.api('GET', `/meetings/${id}`, token)), 'Light');
    assert.equal(category(await z.api('PATCH', `/meetings/${id}`, token, { topic: 'x' })), 'Medium');
    assert.equal(category(await z.api('DELETE', `/meetings/${id}`, token)), 'Light');
  });
});

describe('meeting ID expiry on the emulated clock', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  test('30 days after the start of a scheduled meeting, 365 after a recurring one: 3001, unlisted, dead links', async () => {
    let token = await z.s2sToken();
    const now = (await z.control('GET', '/clock')).body.epoch_ms as number;
    const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
    const once = (await z.api('POST', '/users/me/meetings', token, { topic: 'once', start_time: iso(now) }))
      .body;
    const open = (await z.api('POST', '/users/me/meetings', token, { topic: 'open', type: 3 })).body;
    await z.control('POST', '/clock', { advance: 29 * 86_400 });
    token = await z.s2sToken();
    assert.equal((await z.api('GET', `/meetings/${once.id}`, token)).status, 200, 'day 29: alive');
    await z.control('POST', '/clock', { advance: 2 * 86_400 });
    token = await z.s2sToken();
    const gone = await z.api('GET', `/meetings/${once.id}`, token);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { code: 3001, message: `Meeting ${once.id} is not found or has expired.` });
    assert.equal((await z.api('PATCH', `/meetings/${once.id}`, token, { topic: 'x' })).status, 404);
    const list = await z.api('GET', '/users/me/meetings', token);
    assert.deepEqual(
      list.body.meetings.map((m: { topic: string }) => m.topic),
      ['open'],
    );
    assert.equal((await fetch(once.start_url)).status, 404);
    assert.equal((await fetch(once.join_url)).status, 404);
    assert.equal((await z.api('GET', `/meetings/${open.id}`, token)).status, 200, 'recurring: a year');
    await z.control('POST', '/clock', { advance: 335 * 86_400 });
    token = await z.s2sToken();
    assert.equal((await z.api('GET', `/meetings/${open.id}`, token)).status, 404);
  });
});
