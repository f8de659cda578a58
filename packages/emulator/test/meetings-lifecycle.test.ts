/**
 * The meeting lifecycle on the emulated clock: participants join and leave (control API and pages),
 * PUT /meetings/{id}/status ends a live meeting, a meeting also ends at its scheduled end, and each
 * ended instance is a past meeting under the uuid it ran with, while the meeting takes a new one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathUuid, postgresSchema, recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

const postgres = await postgresRequirement();

lifecycleSuite('SQLite', undefined);
lifecycleSuite(
  'PostgreSQL',
  'skip' in postgres && postgres.skip ? postgres.skip : postgresSchema('lifecycle'),
);

function lifecycleSuite(store: string, pg: ReturnType<typeof postgresSchema> | string | undefined) {
  describe(`meeting lifecycle on ${store}: participants, end, past meetings`, {
    skip: typeof pg === 'string' && pg,
  }, () => {
    let z: TestZemu;
    let token: string;
    let now: number;

    const advance = async (seconds: number) => {
      await z.control('POST', '/clock', { advance: seconds });
      now += seconds * 1000;
      token = await z.s2sToken();
    };
    const meeting = async (body: Record<string, unknown> = {}) => {
      const res = await z.api('POST', '/users/me/meetings', token, {
        topic: 'Standup',
        duration: 30,
        ...body,
      });
      assert.equal(res.status, 201, res.text);
      return res.body as { id: number; uuid: string; start_url: string; join_url: string; password: string };
    };
    const joinAs = (id: number, body: Record<string, unknown>) =>
      z.control('POST', `/meetings/${id}/participants`, body);

    before(async () => {
      if (typeof pg === 'object') await pg.create();
      z = await startTestZemu(typeof pg === 'object' ? { databaseUrl: pg.url } : {});
      await z.control('POST', '/clock', { set: '2031-03-04T09:00:00Z', frozen: true });
      now = Date.parse('2031-03-04T09:00:00Z');
      token = await z.s2sToken();
    });
    after(async () => {
      await z.close();
      if (typeof pg === 'object') await pg.drop();
    });

    test('the host joining starts the meeting; guests join, leave, and PUT status end closes the instance', async () => {
      const m = await meeting();
      const early = await joinAs(m.id, { name: 'Early Guest' });
      assert.equal(early.status, 409, early.text);
      assert.equal(early.body.code, 1005);

      const host = await joinAs(m.id, { user_id: z.demo.user_id });
      assert.equal(host.status, 201, host.text);
      assert.equal(host.body.is_host, true);
      assert.equal(host.body.meeting_uuid, m.uuid);
      assert.equal(host.body.join_time, iso(now));
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.status, 'started');
      const again = await joinAs(m.id, { user_id: z.demo.user_id });
      assert.equal(again.status, 200, 'a signed-in user already in the meeting is not added twice');
      assert.equal(again.body.id, host.body.id);

      await advance(60);
      const ann = await joinAs(m.id, { name: 'Ann', email: 'ann@example.test' });
      assert.equal(ann.status, 201, ann.text);
      assert.notEqual(ann.body.id, host.body.id);
      await advance(120);
      const bob = await joinAs(m.id, { name: 'Bob' });
      await advance(300);
      assert.equal((await z.control('DELETE', `/meetings/${m.id}/participants/${bob.body.id}`)).status, 204);
      assert.equal((await z.control('DELETE', `/meetings/${m.id}/participants/${bob.body.id}`)).status, 404);
      const live = await z.control('GET', `/meetings/${m.id}/participants`);
      assert.deepEqual(
        live.body.participants.map((p: { name: string }) => p.name),
        [host.body.name, 'Ann'],
      );

      await advance(600);
      const ended = await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      assert.equal(ended.status, 204, ended.text);
      const after = await z.api('GET', `/meetings/${m.id}`, token);
      assert.equal(after.body.status, 'waiting');
      assert.notEqual(after.body.uuid, m.uuid, 'the next instance has a new uuid');

      const again2 = await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      assert.equal(again2.status, 400);
      assert.deepEqual(again2.body, { code: 3000, message: 'Cannot access meeting info.' });

      const start = Date.parse('2031-03-04T09:00:00Z');
      const past = await z.api('GET', `/past_meetings/${m.id}`, token);
      assert.equal(past.status, 200, past.text);
      assert.equal(past.body.uuid, m.uuid);
      assert.equal(past.body.id, m.id);
      assert.equal(past.body.start_time, iso(start));
      assert.equal(past.body.end_time, iso(now));
      assert.equal(past.body.duration, 18, '18 minutes from the host joining to the end');
      assert.equal(past.body.participants_count, 3);
      // host 1080 s + Ann 1020 s + Bob 300 s = 2400 s = 40 minutes
      assert.equal(past.body.total_minutes, 40);
      assert.equal(past.body.user_email, host.body.email);
      assert.equal(past.body.host_id, z.demo.user_id);

      const byUuid = await z.api('GET', `/past_meetings/${pathUuid(m.uuid)}`, token);
      assert.equal(byUuid.status, 200, byUuid.text);
      assert.deepEqual(byUuid.body, past.body);

      const people = await z.api('GET', `/past_meetings/${m.id}/participants?page_size=2`, token);
      assert.equal(people.status, 200, people.text);
      assert.equal(people.body.total_records, 3);
      assert.equal(people.body.page_count, 2);
      assert.deepEqual(
        people.body.participants.map((p: { name: string; duration: number; user_email: string }) => [
          p.name,
          p.duration,
          p.user_email,
        ]),
        [
          [host.body.name, 1080, host.body.email],
          ['Ann', 1020, 'ann@example.test'],
        ],
      );
      assert.equal(people.body.participants[0].id, z.demo.user_id);
      assert.equal(people.body.participants[1].id, '', 'a guest has no user id');
      assert.equal(people.body.participants[1].join_time, iso(start + 60_000));
      assert.equal(people.body.participants[1].leave_time, iso(now));
      const rest = await z.api(
        'GET',
        `/past_meetings/${m.id}/participants?next_page_token=${people.body.next_page_token}`,
        token,
      );
      assert.equal(rest.status, 200, rest.text);
      assert.deepEqual(
        rest.body.participants.map((p: { name: string; duration: number }) => [p.name, p.duration]),
        [['Bob', 300]],
      );
      assert.equal(rest.body.next_page_token, '');

      const instances = await z.api('GET', `/past_meetings/${m.id}/instances`, token);
      assert.equal(instances.status, 200, instances.text);
      assert.deepEqual(instances.body, { meetings: [{ uuid: m.uuid, start_time: iso(start) }] });
    });

    test('webhook events: started, joined, left and ended, in the order they happened', async () => {
      const before = (await recordedEvents(z)).length;
      const m = await meeting({ topic: 'Events' });
      const host = await joinAs(m.id, { user_id: z.demo.user_id });
      await advance(30);
      const guest = await joinAs(m.id, { name: 'Guest', email: 'g@example.test' });
      await advance(30);
      await z.control('DELETE', `/meetings/${m.id}/participants/${guest.body.id}`);
      await advance(30);
      await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      const events = (await recordedEvents(z)).slice(before).filter((e) => e.event !== 'meeting.created');
      assert.deepEqual(
        events.map((e) => e.event),
        [
          'meeting.started',
          'meeting.participant_joined',
          'meeting.participant_joined',
          'meeting.participant_left',
          'meeting.participant_left',
          'meeting.ended',
        ],
      );
      const [started, joined, , left, hostLeft, ended] = events as [
        (typeof events)[0],
        (typeof events)[0],
        (typeof events)[0],
        (typeof events)[0],
        (typeof events)[0],
        (typeof events)[0],
      ];
      assert.deepEqual(started.payload, {
        account_id: z.demo.account_id,
        object: {
          id: String(m.id),
          uuid: m.uuid,
          host_id: z.demo.user_id,
          topic: 'Events',
          type: 2,
          start_time: host.body.join_time,
          timezone: started.payload.object.timezone,
          duration: 30,
        },
      });
      assert.equal(joined.payload.object.participant.user_id, host.body.id);
      assert.equal(joined.payload.object.participant.id, z.demo.user_id);
      assert.equal(joined.payload.object.participant.join_time, host.body.join_time);
      assert.equal(left.payload.object.participant.user_name, 'Guest');
      assert.equal(left.payload.object.participant.email, 'g@example.test');
      assert.equal(left.payload.object.participant.leave_time, iso(now - 30_000));
      assert.match(left.payload.object.participant.leave_reason, /left the meeting/);
      assert.match(hostLeft.payload.object.participant.leave_reason, /Host ended the meeting/);
      assert.equal(ended.payload.object.end_time, iso(now));
      assert.equal(ended.payload.object.uuid, m.uuid);
    });

    test('a meeting past its duration has ended at exactly its scheduled end, read lazily', async () => {
      const m = await meeting({ topic: 'Timed', duration: 15 });
      const startAt = now;
      await joinAs(m.id, { user_id: z.demo.user_id });
      await joinAs(m.id, { name: 'Stayer' });
      await advance(3600);
      const past = await z.api('GET', `/past_meetings/${pathUuid(m.uuid)}`, token);
      assert.equal(past.status, 200, past.text);
      assert.equal(past.body.end_time, iso(startAt + 15 * 60_000));
      assert.equal(past.body.duration, 15);
      assert.equal(past.body.total_minutes, 30);
      const ended = (await recordedEvents(z, 'meeting.ended')).at(-1);
      assert.equal(ended?.payload.object.uuid, m.uuid);
      assert.equal(ended?.payload.object.end_time, iso(startAt + 15 * 60_000));
      const current = await z.api('GET', `/meetings/${m.id}`, token);
      assert.notEqual(current.body.uuid, m.uuid);
      assert.equal((await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' })).status, 400);
    });

    test('the last participant leaving ends the meeting; a new start is a new instance', async () => {
      const m = await meeting({ topic: 'Twice' });
      const first = await joinAs(m.id, { user_id: z.demo.user_id });
      await advance(120);
      await z.control('DELETE', `/meetings/${m.id}/participants/${first.body.id}`);
      const waiting = await z.api('GET', `/meetings/${m.id}`, token);
      assert.equal(waiting.body.status, 'waiting');
      await advance(600);
      const second = await joinAs(m.id, { user_id: z.demo.user_id });
      assert.equal(second.body.meeting_uuid, waiting.body.uuid);
      await advance(60);
      await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      const instances = await z.api('GET', `/past_meetings/${m.id}/instances`, token);
      assert.deepEqual(
        instances.body.meetings.map((i: { uuid: string }) => i.uuid),
        [m.uuid, waiting.body.uuid],
      );
      const latest = await z.api('GET', `/past_meetings/${m.id}`, token);
      assert.equal(latest.body.uuid, waiting.body.uuid, 'the meeting ID names its latest ended instance');
      assert.equal(latest.body.duration, 1);
    });

    test('join before host lets a guest start the meeting', async () => {
      const m = await meeting({ topic: 'JBH', settings: { join_before_host: true } });
      const guest = await joinAs(m.id, { name: 'First' });
      assert.equal(guest.status, 201, guest.text);
      assert.equal(guest.body.is_host, false);
      assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.status, 'started');
    });

    test('uuids starting with / or holding // are double-encoded; bad encodings are a Zoom-shaped 404', async () => {
      const m = await meeting({ topic: 'Slashes' });
      // Give this instance a uuid that needs double encoding.
      const odd = '/ab//cdEFghIJklMNopQR==';
      await z.zemu.built.ctx.store.db
        .updateTable('meetings')
        .set({ uuid: odd })
        .where('id', '=', m.id)
        .execute();
      await joinAs(m.id, { user_id: z.demo.user_id });
      await advance(60);
      await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      const twice = encodeURIComponent(encodeURIComponent(odd));
      const ok = await z.api('GET', `/past_meetings/${twice}`, token);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.uuid, odd);
      const once = await z.api('GET', `/past_meetings/${encodeURIComponent(odd)}`, token);
      assert.equal(once.status, 404, once.text);
      assert.equal(once.body.code, 3001);
      for (const bad of ['%25E0%25A4%25A', '%25ZZ', 'not-a-uuid!', 'x'.repeat(300)]) {
        const res = await z.api('GET', `/past_meetings/${bad}`, token);
        assert.equal(res.status, 404, `${bad}: ${res.text}`);
        assert.deepEqual(res.body, {
          code: 3001,
          message: 'This meeting is not available or the meeting ID is invalid.',
        });
      }
      const unknown = await z.api('GET', '/past_meetings/12345678901/participants', token);
      assert.deepEqual(unknown.body, {
        code: 3001,
        message: 'This meeting is not available or ID is not valid.',
      });
    });

    test('a meeting not ended yet, another account, missing scopes and bad input', async () => {
      const m = await meeting({ topic: 'Refusals' });
      const notEnded = await z.api('GET', `/past_meetings/${m.id}`, token);
      assert.deepEqual(notEnded.body, {
        code: 3001,
        message: 'The meeting ID is invalid or the meeting has not ended.',
      });
      assert.deepEqual((await z.api('GET', `/past_meetings/${m.id}/instances`, token)).body, {
        meetings: [],
      });
      assert.equal(
        (await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' })).body.code,
        3000,
      );
      assert.equal(
        (await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'recover' })).body.code,
        3000,
      );
      const wrong = await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'pause' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.code, 300);
      assert.equal((await z.api('PUT', `/meetings/${m.id}/status`, token, {})).body.code, 300);
      assert.equal((await z.api('PUT', '/meetings/abc/status', token, { action: 'end' })).body.code, 300);
      assert.equal(
        (await z.api('PUT', '/meetings/12345678901/status', token, { action: 'end' })).body.code,
        3001,
      );
      assert.equal((await z.api('GET', '/past_meetings/abc/instances', token)).body.code, 300);
      assert.equal(
        (await z.api('GET', `/past_meetings/${m.id}/participants?page_size=301`, token)).body.code,
        300,
      );
      assert.equal(
        (await z.api('GET', `/past_meetings/${m.id}/participants?next_page_token=forged`, token)).status,
        404,
        'the meeting is checked before a token that cannot name an ended instance',
      );

      await joinAs(m.id, { user_id: z.demo.user_id });
      await advance(60);
      await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      const forged = await z.api('GET', `/past_meetings/${m.id}/participants?next_page_token=forged`, token);
      assert.equal(forged.status, 400);
      assert.equal(forged.body.code, 300);

      const acct = await z.control('POST', '/accounts', {
        name: 'Far',
        plan: 'free',
        owner: { email: 'far@x.test' },
      });
      const far = await s2s(z, ['meeting:read:admin', 'meeting:write:admin'], acct.body.id);
      assert.equal((await z.api('GET', `/past_meetings/${m.id}`, far)).body.code, 3001);
      assert.equal((await z.api('GET', `/past_meetings/${m.id}/instances`, far)).body.code, 3001);
      assert.equal((await z.api('PUT', `/meetings/${m.id}/status`, far, { action: 'end' })).body.code, 3001);
      const theirs = await z.api('POST', `/users/${acct.body.owner.id}/meetings`, far, { topic: 'Free' });
      await joinAs(theirs.body.id, { user_id: acct.body.owner.id });
      await z.api('PUT', `/meetings/${theirs.body.id}/status`, far, { action: 'end' });
      assert.equal((await z.api('GET', `/past_meetings/${theirs.body.id}`, far)).status, 200);
      assert.deepEqual((await z.api('GET', `/past_meetings/${theirs.body.id}/participants`, far)).body, {
        code: 200,
        message: `Only available for paid account: ${acct.body.id}`,
      });

      const none = await s2s(z, ['user:read:admin']);
      for (const [method, path, body] of [
        ['PUT', `/meetings/${m.id}/status`, { action: 'end' }],
        ['GET', `/past_meetings/${m.id}`, undefined],
        ['GET', `/past_meetings/${m.id}/instances`, undefined],
        ['GET', `/past_meetings/${m.id}/participants`, undefined],
      ] as const) {
        const res = await z.api(method, path, none, body);
        assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
        assert.equal(res.body.code, 4711, `${method} ${path}: ${res.text}`);
      }
      const granular = await s2s(z, [
        'meeting:read:past_meeting:admin',
        'meeting:read:list_past_instances:admin',
        'meeting:read:list_past_participants:admin',
        'meeting:update:status:admin',
      ]);
      assert.equal((await z.api('GET', `/past_meetings/${m.id}`, granular)).status, 200);
      assert.equal((await z.api('GET', `/past_meetings/${m.id}/instances`, granular)).status, 200);
      assert.equal((await z.api('GET', `/past_meetings/${m.id}/participants`, granular)).status, 200);
    });

    test('a past meeting of more than a year ago is 12702', async () => {
      const m = await meeting({ topic: 'Old' });
      await joinAs(m.id, { user_id: z.demo.user_id });
      await advance(60);
      await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      await advance(366 * 86_400);
      const old = await z.api('GET', `/past_meetings/${m.id}`, token);
      assert.deepEqual(old.body, { code: 12702, message: 'Can not access a meeting a year ago.' });
    });

    test('the control API refuses bad participants with Zoom-shaped errors', async () => {
      const m = await meeting({ topic: 'Control' });
      for (const body of [
        {},
        { name: '' },
        { name: 7 },
        { name: 'x'.repeat(65) },
        { name: 'A', email: 'no' },
        { user_id: 5 },
      ]) {
        const res = await joinAs(m.id, body);
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.equal(res.body.code, 300);
      }
      assert.equal((await joinAs(m.id, { user_id: 'nobody' })).status, 404);
      assert.equal((await joinAs(99999999999, { name: 'A' })).status, 404);
      assert.equal((await z.control('POST', '/meetings/abc/participants', { name: 'A' })).status, 404);
      assert.equal((await z.control('DELETE', `/meetings/${m.id}/participants/1`)).status, 409);
    });

    test('pages: the start link makes its host join as host; the join form adds a participant after the passcode', async () => {
      const m = await meeting({ topic: 'Pages', password: 'abc123' });
      const form = (body: Record<string, string>) =>
        fetch(`${z.url}/j/${m.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(body).toString(),
        });
      const early = await form({ name: 'Too Early', passcode: 'abc123' });
      assert.equal(early.status, 200);
      assert.match(await early.text(), /the host has not started this meeting yet/);
      assert.equal((await z.control('GET', `/meetings/${m.id}/participants`)).body.live, false);

      const started = await fetch(m.start_url);
      assert.equal(started.status, 200);
      assert.equal(
        (await fetch(m.start_url)).status,
        200,
        'the start link again: the host is not added twice',
      );
      let live = (await z.control('GET', `/meetings/${m.id}/participants`)).body;
      assert.equal(live.live, true);
      assert.deepEqual(
        live.participants.map((p: { user_id: string; is_host: boolean }) => [p.user_id, p.is_host]),
        [[z.demo.user_id, true]],
      );

      assert.equal((await form({ name: 'Wrong', passcode: 'nope' })).status, 401);
      assert.equal((await form({ name: 'Bad Mail', passcode: 'abc123', email: 'not-mail' })).status, 400);
      assert.equal((await form({ name: '', passcode: 'abc123' })).status, 400);
      const pwd = new URL(m.join_url).searchParams.get('pwd') as string;
      const joined = await form({ name: 'Page Guest', email: 'pg@example.test', pwd });
      assert.equal(joined.status, 200);
      const html = await joined.text();
      assert.match(html, /The host has started this meeting/);
      const shownId = /id="participant">(\d+)</.exec(html)?.[1];
      live = (await z.control('GET', `/meetings/${m.id}/participants`)).body;
      const guest = live.participants.find((p: { name: string }) => p.name === 'Page Guest');
      assert.equal(guest?.email, 'pg@example.test');
      assert.equal(guest?.user_id, null);
      assert.equal(guest?.id, shownId);
      assert.equal(live.participants.length, 2, 'refused forms added nobody');
    });

    test("reports: a meeting, its participants, and a user's meetings by date and type, paged", async () => {
      const day = iso(now).slice(0, 10);
      const two = await meeting({ topic: 'Report two' });
      await joinAs(two.id, { user_id: z.demo.user_id });
      await joinAs(two.id, { name: 'Reported Guest' });
      await advance(300);
      await z.api('PUT', `/meetings/${two.id}/status`, token, { action: 'end' });
      const one = await meeting({ topic: 'Report one' });
      await joinAs(one.id, { user_id: z.demo.user_id });
      await advance(60);
      await z.api('PUT', `/meetings/${one.id}/status`, token, { action: 'end' });

      const report = await z.api('GET', `/report/meetings/${two.id}`, token);
      assert.equal(report.status, 200, report.text);
      assert.equal(report.body.uuid, two.uuid);
      assert.equal(report.body.participants_count, 2);
      assert.equal(report.body.duration, 5);
      assert.equal(report.body.total_minutes, 10);
      const people = await z.api(
        'GET',
        `/report/meetings/${pathUuid(two.uuid)}/participants?page_size=1`,
        token,
      );
      assert.equal(people.status, 200, people.text);
      assert.equal(people.body.total_records, 2);
      assert.equal(people.body.participants[0].duration, 300);
      const rest = await z.api(
        'GET',
        `/report/meetings/${two.id}/participants?next_page_token=${people.body.next_page_token}`,
        token,
      );
      assert.equal(rest.body.participants[0].name, 'Reported Guest');

      const listed = async (type: string) => {
        const res = await z.api('GET', `/report/users/me/meetings?from=${day}&to=${day}&type=${type}`, token);
        assert.equal(res.status, 200, res.text);
        return res.body.meetings.map((m: { topic: string }) => m.topic);
      };
      assert.deepEqual(await listed('past'), ['Report two']);
      assert.deepEqual(await listed('pastOne'), ['Report one']);
      assert.deepEqual(await listed('pastJoined'), ['Report two', 'Report one']);
      const paged = await z.api(
        'GET',
        `/report/users/me/meetings?from=${day}&to=${day}&type=pastJoined&page_size=1`,
        token,
      );
      assert.equal(paged.body.total_records, 2);
      assert.equal(paged.body.from, day);
      const next = await z.api(
        'GET',
        `/report/users/me/meetings?from=${day}&to=${day}&type=pastJoined&next_page_token=${paged.body.next_page_token}`,
        token,
      );
      assert.deepEqual(
        next.body.meetings.map((m: { topic: string }) => m.topic),
        ['Report one'],
      );
      const before = await z.api('GET', '/report/users/me/meetings?from=2020-01-01&to=2020-01-31', token);
      assert.deepEqual(before.body.meetings, []);

      const range = `from=${day}&to=${day}`;
      assert.equal(
        (await z.api('GET', '/report/users/me/meetings?from=2031-13-01&to=2031-12-01', token)).body.code,
        300,
      );
      assert.equal((await z.api('GET', '/report/users/me/meetings?to=2031-12-01', token)).body.code, 300);
      assert.equal(
        (await z.api('GET', `/report/users/me/meetings?from=${day}&to=2020-01-01`, token)).body.code,
        300,
      );
      assert.equal(
        (await z.api('GET', `/report/users/me/meetings?${range}&type=future`, token)).body.code,
        300,
      );
      assert.deepEqual((await z.api('GET', `/report/users/nobody/meetings?${range}`, token)).body, {
        code: 1001,
        message: 'User nobody not exist or not belong to this account.',
      });
      assert.deepEqual((await z.api('GET', '/report/meetings/12345678901', token)).body, {
        code: 3001,
        message: 'Meeting 12345678901 not found or has expired.',
      });
      const none = await s2s(z, ['meeting:read:admin']);
      for (const path of [
        `/report/meetings/${two.id}`,
        `/report/meetings/${two.id}/participants`,
        `/report/users/me/meetings?${range}`,
      ]) {
        const res = await z.api('GET', path, none);
        assert.equal(res.body.code, 4711, `${path}: ${res.text}`);
      }
      const granular = await s2s(z, [
        'report:read:meeting:admin',
        'report:read:list_meeting_participants:admin',
        'report:read:list_meetings:admin',
      ]);
      assert.equal((await z.api('GET', `/report/meetings/${two.id}`, granular)).status, 200);
      assert.equal(
        (await z.api('GET', `/report/users/${z.demo.user_id}/meetings?${range}`, granular)).status,
        200,
      );
    });

    test('the new operations are listed as stateful', async () => {
      const ops = (await z.control('GET', '/operations')).body.operations as Array<{
        method: string;
        path: string;
        mode: string;
      }>;
      for (const [method, path] of [
        ['PUT', '/meetings/{meetingId}/status'],
        ['GET', '/past_meetings/{meetingId}'],
        ['GET', '/past_meetings/{meetingId}/instances'],
        ['GET', '/past_meetings/{meetingId}/participants'],
      ]) {
        assert.equal(
          ops.find((o) => o.method === method && o.path === path)?.mode,
          'stateful',
          `${method} ${path}`,
        );
      }
    });
  });
}
