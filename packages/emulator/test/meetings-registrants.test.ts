/**
 * Meeting registrants (issue 16): registration on meetings that require it (approval types 0 and 1 on
 * meeting types 2 and 8), the list by status with paging, one registrant, deletion, status changes and
 * their webhook events, registration questions, and each approved registrant's own join link, which
 * the join page requires on such a meeting. On SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSchema, recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const postgres = await postgresRequirement();

registrantsSuite('SQLite', undefined);
registrantsSuite(
  'PostgreSQL',
  'skip' in postgres && postgres.skip ? postgres.skip : postgresSchema('registrants'),
);

function registrantsSuite(store: string, pg: ReturnType<typeof postgresSchema> | string | undefined) {
  describe(`meeting registrants on ${store}`, { skip: typeof pg === 'string' && pg }, () => {
    let z: TestZemu;
    let token: string;

    const meeting = async (settings: Record<string, unknown> = { approval_type: 0 }, body = {}) => {
      const res = await z.api('POST', '/users/me/meetings', token, {
        topic: 'Workshop',
        type: 2,
        start_time: '2031-03-05T10:00:00Z',
        duration: 60,
        settings,
        ...body,
      });
      assert.equal(res.status, 201, res.text);
      return res.body as { id: number; uuid: string; start_url: string; join_url: string; password: string };
    };
    const register = (id: number, body: Record<string, unknown>) =>
      z.api('POST', `/meetings/${id}/registrants`, token, body);
    const setStatus = (id: number, action: string, registrants: unknown) =>
      z.api('PUT', `/meetings/${id}/registrants/status`, token, { action, registrants });
    const form = (id: number, body: Record<string, string>) =>
      fetch(`${z.url}/j/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const tkOf = (url: string) => new URL(url).searchParams.get('tk') as string;

    before(async () => {
      if (typeof pg === 'object') await pg.create();
      z = await startTestZemu(typeof pg === 'object' ? { databaseUrl: pg.url } : {});
      await z.control('POST', '/clock', { set: '2031-03-04T09:00:00Z', frozen: true });
      token = await z.s2sToken();
    });
    after(async () => {
      await z.close();
      if (typeof pg === 'object') await pg.drop();
    });

    test('approval type 0: registering approves at once; the 201, GET one and the list answer the registration', async () => {
      const m = await meeting({ approval_type: 0 });
      const created = await register(m.id, {
        email: 'Jill@Example.test',
        first_name: 'Jill',
        last_name: 'Chill',
        city: 'Mountain View',
        custom_questions: [{ title: 'Why?', value: 'Recipes' }],
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.id, m.id);
      assert.equal(created.body.topic, 'Workshop');
      assert.equal(created.body.start_time, '2031-03-05T10:00:00Z');
      assert.match(created.body.registrant_id, /^[A-Za-z0-9_-]{22}$/);
      const url = new URL(created.body.join_url);
      assert.equal(url.origin, z.url);
      assert.equal(url.pathname, `/j/${m.id}`);
      assert.match(tkOf(created.body.join_url), new RegExp(`^${created.body.registrant_id}\\.`));
      assert.ok(url.searchParams.get('pwd'), 'the link carries the passcode as join_url does');

      const one = await z.api('GET', `/meetings/${m.id}/registrants/${created.body.registrant_id}`, token);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.id, created.body.registrant_id);
      assert.equal(one.body.email, 'jill@example.test');
      assert.equal(one.body.first_name, 'Jill');
      assert.equal(one.body.city, 'Mountain View');
      assert.equal(one.body.org, '', 'fields not given are empty');
      assert.deepEqual(one.body.custom_questions, [{ title: 'Why?', value: 'Recipes' }]);
      assert.equal(one.body.status, 'approved');
      assert.equal(one.body.create_time, '2031-03-04T09:00:00Z');
      assert.equal(one.body.join_url, created.body.join_url);

      const list = await z.api('GET', `/meetings/${m.id}/registrants`, token);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.total_records, 1);
      assert.deepEqual(list.body.registrants, [one.body]);
      const pending = await z.api('GET', `/meetings/${m.id}/registrants?status=pending`, token);
      assert.equal(pending.body.total_records, 0);

      const [event] = (await recordedEvents(z, 'meeting.registration_created')).filter(
        (e) => e.payload.object.id === m.id,
      );
      assert.ok(event, 'meeting.registration_created was recorded');
      assert.equal(event.payload.account_id, z.demo.account_id);
      assert.equal(event.payload.operator, undefined, 'the registrant registered themselves');
      assert.equal(event.payload.object.uuid, m.uuid);
      assert.equal(event.payload.object.host_id, z.demo.user_id);
      assert.equal(event.payload.object.topic, 'Workshop');
      assert.equal(event.payload.object.registrant.id, created.body.registrant_id);
      assert.equal(event.payload.object.registrant.email, 'jill@example.test');
      assert.equal(event.payload.object.registrant.status, 'approved');
      assert.equal(event.payload.object.registrant.join_url, created.body.join_url);
    });

    test('registering twice with the same email answers the registration it has, with no new event', async () => {
      const m = await meeting({ approval_type: 1 });
      const first = await register(m.id, { email: 'twice@example.test', first_name: 'Two' });
      assert.equal(first.status, 201, first.text);
      const again = await register(m.id, {
        email: 'TWICE@example.test',
        first_name: 'Other',
        last_name: 'X',
      });
      assert.equal(again.status, 201, again.text);
      assert.deepEqual(again.body, first.body);
      const one = await z.api('GET', `/meetings/${m.id}/registrants/${first.body.registrant_id}`, token);
      assert.equal(one.body.first_name, 'Two', 'the second registration changed nothing');
      assert.equal(one.body.status, 'pending');
      const events = (await recordedEvents(z, 'meeting.registration_created')).filter(
        (e) => e.payload.object.id === m.id,
      );
      assert.equal(events.length, 1);
    });

    test('approval type 1: pending until approved; deny, approve, cancel record their events; the list pages by status', async () => {
      const m = await meeting({ approval_type: 1 });
      const ids: string[] = [];
      for (const n of [1, 2, 3, 4, 5]) {
        const r = await register(m.id, { email: `p${n}@example.test`, first_name: `P${n}` });
        assert.equal(r.status, 201, r.text);
        ids.push(r.body.registrant_id);
      }
      const auto = await register(m.id, {
        email: 'auto@example.test',
        first_name: 'Auto',
        auto_approve: true,
      });
      const approvedNow = await z.api(
        'GET',
        `/meetings/${m.id}/registrants/${auto.body.registrant_id}`,
        token,
      );
      assert.equal(approvedNow.body.status, 'approved', 'auto_approve skips the host');

      const page1 = await z.api('GET', `/meetings/${m.id}/registrants?status=pending&page_size=2`, token);
      assert.equal(page1.status, 200, page1.text);
      assert.equal(page1.body.total_records, 5);
      assert.equal(page1.body.page_count, 3);
      assert.equal(page1.body.page_size, 2);
      assert.ok(page1.body.next_page_token);
      const seen = [...page1.body.registrants];
      let next = page1.body.next_page_token;
      while (next) {
        const page = await z.api(
          'GET',
          `/meetings/${m.id}/registrants?status=pending&next_page_token=${next}`,
          token,
        );
        assert.equal(page.status, 200, page.text);
        seen.push(...page.body.registrants);
        next = page.body.next_page_token;
      }
      assert.deepEqual(
        seen.map((r: { id: string }) => r.id),
        ids,
        'every pending registrant once, in registration order',
      );
      const foreign = await z.api(
        'GET',
        `/meetings/${m.id}/registrants?status=approved&next_page_token=${page1.body.next_page_token}`,
        token,
      );
      assert.equal(foreign.status, 400, 'a token of another status is refused');
      assert.equal(foreign.body.code, 300);

      const [a, b, c] = ids as [string, string, string];
      assert.equal((await setStatus(m.id, 'approve', [{ id: a }, { email: 'P2@example.test' }])).status, 204);
      assert.equal((await setStatus(m.id, 'deny', [{ id: c }])).status, 204);
      assert.equal((await setStatus(m.id, 'cancel', [{ id: b }])).status, 204);
      const status = async (id: string) =>
        (await z.api('GET', `/meetings/${m.id}/registrants/${id}`, token)).body.status;
      assert.equal(await status(a), 'approved');
      assert.equal(await status(b), 'denied', 'cancelling withdraws the approval');
      assert.equal(await status(c), 'denied');
      assert.equal((await setStatus(m.id, 'approve', [{ id: c }])).status, 204);
      assert.equal(await status(c), 'approved', 'a denied registrant can be approved');
      assert.equal(
        (await setStatus(m.id, 'approve', [{ id: a }])).status,
        204,
        'already approved: no change',
      );

      const ofMeeting = async (name: string) =>
        (await recordedEvents(z, name)).filter((e) => e.payload.object.id === m.id);
      const approved = await ofMeeting('meeting.registration_approved');
      // One frozen instant: the outbox's order among them is not defined, so compare as sets.
      assert.deepEqual(approved.map((e) => e.payload.object.registrant.id).sort(), [a, b, c].sort());
      const first = approved.find((e) => e.payload.object.registrant.id === a);
      assert.equal(first?.payload.operator_id, z.demo.user_id);
      assert.ok(first?.payload.object.registrant.join_url.includes(`tk=${a}.`));
      assert.equal(first?.payload.object.registrant.first_name, 'P1');
      const denied = await ofMeeting('meeting.registration_denied');
      assert.deepEqual(
        denied.map((e) => e.payload.object.registrant),
        [{ id: c, first_name: 'P3', last_name: '', email: 'p3@example.test' }],
      );
      const cancelled = await ofMeeting('meeting.registration_cancelled');
      assert.deepEqual(
        cancelled.map((e) => e.payload.object.registrant.id),
        [b],
      );

      const list = await z.api('GET', `/meetings/${m.id}/registrants?status=denied`, token);
      assert.deepEqual(
        list.body.registrants.map((r: { id: string }) => r.id),
        [b],
      );
    });

    test('PUT status: an unknown registrant changes nothing; bad bodies are 300', async () => {
      const m = await meeting({ approval_type: 1 });
      const r = await register(m.id, { email: 'st@example.test', first_name: 'St' });
      const unknown = await setStatus(m.id, 'approve', [{ id: r.body.registrant_id }, { id: 'nobody' }]);
      assert.equal(unknown.status, 404, unknown.text);
      assert.deepEqual(unknown.body, { code: 3000, message: 'Registrant nobody was not found.' });
      const one = await z.api('GET', `/meetings/${m.id}/registrants/${r.body.registrant_id}`, token);
      assert.equal(one.body.status, 'pending', 'nothing changed');
      for (const registrants of [undefined, [], [{}], Array.from({ length: 31 }, () => ({ id: 'x' }))]) {
        const bad = await setStatus(m.id, 'approve', registrants);
        assert.equal(bad.status, 400, JSON.stringify(registrants));
        assert.equal(bad.body.code, 300);
      }
      const badAction = await setStatus(m.id, 'promote', [{ id: r.body.registrant_id }]);
      assert.equal(badAction.status, 400);
      assert.equal(badAction.body.errors[0].field, 'action');
    });

    test('meetings without registration: approval type 2, instant and no-fixed-time meetings refuse with the documented errors', async () => {
      const plain = await meeting({ approval_type: 2 });
      const instant = await meeting({ approval_type: 0 }, { type: 1 });
      const floating = await meeting({ approval_type: 0 }, { type: 3 });
      for (const m of [plain, instant, floating]) {
        const post = await register(m.id, { email: 'no@example.test', first_name: 'No' });
        assert.equal(post.status, 404, post.text);
        assert.deepEqual(post.body, {
          code: 404,
          message: `Registration has not been enabled for this meeting: ${m.id}.`,
        });
        const list = await z.api('GET', `/meetings/${m.id}/registrants`, token);
        assert.equal(list.status, 400, list.text);
        assert.deepEqual(list.body, {
          code: 300,
          message: `This meeting has not set registration as required: ${m.id}.`,
        });
        assert.equal((await z.api('GET', `/meetings/${m.id}/registrants/abc`, token)).body.code, 300);
        assert.equal((await setStatus(m.id, 'approve', [{ id: 'abc' }])).body.code, 300);
        assert.equal((await z.api('DELETE', `/meetings/${m.id}/registrants/abc`, token)).body.code, 404);
      }
      assert.deepEqual(
        await recordedEvents(z, 'meeting.registration_created').then((e) =>
          e.filter((x) => [plain.id, instant.id, floating.id].includes(x.payload.object.id)),
        ),
        [],
      );
    });

    test('a recurring meeting with a fixed time takes registrants; the 201 lists its occurrences', async () => {
      const m = await meeting(
        { approval_type: 0 },
        { type: 8, recurrence: { type: 1, repeat_interval: 1, end_times: 3 } },
      );
      const r = await register(m.id, { email: 'rec@example.test', first_name: 'Rec' });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.occurrences.length, 3);
      assert.equal(r.body.occurrences[0].status, 'available');
    });

    test('DELETE: the registration goes, its link stops working, and the address may register again', async () => {
      const m = await meeting({ approval_type: 0 });
      const r = await register(m.id, { email: 'del@example.test', first_name: 'Del' });
      const path = `/meetings/${m.id}/registrants/${r.body.registrant_id}`;
      assert.equal((await z.api('DELETE', path, token)).status, 204);
      const gone = await z.api('GET', path, token);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.code, 3000);
      assert.equal((await z.api('DELETE', path, token)).status, 404);
      const page = await fetch(r.body.join_url);
      assert.equal(page.status, 403);
      assert.match(await page.text(), /This registration link is invalid/);
      const again = await register(m.id, { email: 'del@example.test', first_name: 'Del' });
      assert.equal(again.status, 201);
      assert.notEqual(again.body.registrant_id, r.body.registrant_id);
    });

    test('questions: defaults, PATCH, and required questions asked of registrants', async () => {
      const m = await meeting({ approval_type: 0 });
      const path = `/meetings/${m.id}/registrants/questions`;
      const initial = await z.api('GET', path, token);
      assert.equal(initial.status, 200, initial.text);
      assert.deepEqual(initial.body, { questions: [], custom_questions: [] });
      const patched = await z.api('PATCH', path, token, {
        questions: [
          { field_name: 'last_name', required: true },
          { field_name: 'city', required: false },
        ],
        custom_questions: [
          { title: 'Level?', type: 'single', required: true, answers: ['Beginner', 'Expert'] },
        ],
      });
      assert.equal(patched.status, 204, patched.text);
      const got = await z.api('GET', path, token);
      assert.deepEqual(got.body, {
        questions: [
          { field_name: 'last_name', required: true },
          { field_name: 'city', required: false },
        ],
        custom_questions: [
          { title: 'Level?', type: 'single', required: true, answers: ['Beginner', 'Expert'] },
        ],
      });
      const missing = await register(m.id, { email: 'q@example.test', first_name: 'Q' });
      assert.equal(missing.status, 400, missing.text);
      assert.equal(missing.body.code, 300);
      assert.deepEqual(
        missing.body.errors.map((e: { field: string }) => e.field),
        ['last_name', 'custom_questions'],
      );
      const ok = await register(m.id, {
        email: 'q@example.test',
        first_name: 'Q',
        last_name: 'R',
        custom_questions: [{ title: 'Level?', value: 'Expert' }],
      });
      assert.equal(ok.status, 201, ok.text);
      // Only custom_questions given: the standard questions stay.
      assert.equal((await z.api('PATCH', path, token, { custom_questions: [] })).status, 204);
      assert.equal((await z.api('GET', path, token)).body.questions.length, 2);
      const noAnswers = await z.api('PATCH', path, token, {
        custom_questions: [{ title: 'Pick', type: 'single', answers: [] }],
      });
      assert.equal(noAnswers.status, 400);
      assert.equal(noAnswers.body.errors[0].field, 'custom_questions[0].answers');
      const badField = await z.api('PATCH', path, token, { questions: [{ field_name: 'shoe_size' }] });
      assert.equal(badField.status, 400);
      assert.equal(badField.body.code, 300);
    });

    test('join page: a meeting with registration takes only the own links of approved registrants', async () => {
      const m = await meeting({ approval_type: 1 });
      const r = await register(m.id, { email: 'Ann@Example.test', first_name: 'Ann', last_name: 'Lee' });
      const plain = await fetch(m.join_url);
      assert.equal(plain.status, 403);
      assert.match(await plain.text(), /This meeting requires registration/);
      const pendingPage = await fetch(r.body.join_url);
      assert.equal(pendingPage.status, 403);
      assert.match(await pendingPage.text(), /Your registration is pending/);
      const tk = tkOf(r.body.join_url);
      const forged = `${tk.slice(0, tk.indexOf('.'))}.${'A'.repeat(43)}`;
      for (const bad of [forged, 'garbage', `${tk}x`, '.', `x.${tk}`]) {
        const page = await fetch(`${z.url}/j/${m.id}?tk=${encodeURIComponent(bad)}`);
        assert.equal(page.status, 403, bad);
        assert.match(await page.text(), /This registration link is invalid/);
      }
      const other = await meeting({ approval_type: 0 });
      const foreign = await fetch(`${z.url}/j/${other.id}?tk=${encodeURIComponent(tk)}`);
      assert.equal(foreign.status, 403, "one meeting's link does not open another");

      assert.equal((await setStatus(m.id, 'approve', [{ id: r.body.registrant_id }])).status, 204);
      const page = await fetch(r.body.join_url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /value="Ann Lee"/);
      assert.match(html, /Registered as ann@example\.test/);
      assert.match(html, new RegExp(`name="tk" value="${tk.replace('.', '\\.')}"`));

      const noTk = await form(m.id, { name: 'Sneaky', passcode: m.password });
      assert.equal(noTk.status, 403);
      assert.equal(
        (await z.control('POST', `/meetings/${m.id}/participants`, { user_id: z.demo.user_id })).status,
        201,
      );
      const pwd = new URL(r.body.join_url).searchParams.get('pwd') as string;
      const joined = await form(m.id, { name: 'Ann Lee', tk, pwd, email: 'spoof@example.test' });
      assert.equal(joined.status, 200);
      assert.match(await joined.text(), /Ann Lee joined Workshop/);
      const live = await z.control('GET', `/meetings/${m.id}/participants`);
      const ann = live.body.participants.find((p: { name: string }) => p.name === 'Ann Lee');
      assert.equal(ann.email, 'ann@example.test', 'a registrant joins under the registered address');

      assert.equal((await setStatus(m.id, 'cancel', [{ id: r.body.registrant_id }])).status, 204);
      const cancelled = await fetch(r.body.join_url);
      assert.equal(cancelled.status, 403);
      assert.match(await cancelled.text(), /not approved/);
      const late = await form(m.id, { name: 'Ann Lee', tk, pwd });
      assert.equal(late.status, 403);
    });

    test('a meeting without registration ignores tk; bad input, other accounts and missing scopes', async () => {
      const m = await meeting({ approval_type: 2 });
      assert.equal((await fetch(`${m.join_url}&tk=whatever`)).status, 200);

      const reg = await meeting({ approval_type: 0 });
      const noEmail = await register(reg.id, { first_name: 'X' });
      assert.equal(noEmail.status, 400);
      assert.equal(noEmail.body.code, 300);
      const badEmail = await register(reg.id, { email: 'not-an-email', first_name: 'X' });
      assert.equal(badEmail.status, 400);
      assert.equal(badEmail.body.errors[0].field, 'email');
      const blankName = await register(reg.id, { email: 'b@example.test', first_name: '  ' });
      assert.equal(blankName.status, 400);
      assert.equal(blankName.body.errors[0].field, 'first_name');
      const longName = await register(reg.id, { email: 'l@example.test', first_name: 'x'.repeat(65) });
      assert.equal(longName.status, 400);
      const notJson = await z.api('POST', `/meetings/${reg.id}/registrants`, token, [1]);
      assert.equal(notJson.status, 400);
      const badStatus = await z.api('GET', `/meetings/${reg.id}/registrants?status=gone`, token);
      assert.equal(badStatus.status, 400);
      const bigPage = await z.api('GET', `/meetings/${reg.id}/registrants?page_size=301`, token);
      assert.equal(bigPage.status, 400);
      const badId = await z.api('GET', '/meetings/abc/registrants', token);
      assert.equal(badId.status, 400);
      const unknown = await z.api('GET', '/meetings/12345678901/registrants', token);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.code, 3001);

      const acct = await z.control('POST', '/accounts', {
        name: 'Else',
        plan: 'pro',
        owner: { email: 'o@else.test' },
      });
      const otherToken = await s2s(z, ['meeting:write:admin', 'meeting:read:admin'], acct.body.id);
      const foreign = await z.api('POST', `/meetings/${reg.id}/registrants`, otherToken, {
        email: 'f@example.test',
        first_name: 'F',
      });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.code, 3001);

      const readOnly = await s2s(z, ['meeting:read:list_registrants:admin']);
      const refused = await z.api('POST', `/meetings/${reg.id}/registrants`, readOnly, {
        email: 'f@example.test',
        first_name: 'F',
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, 4711);
      assert.match(refused.body.message, /meeting:write:registrant:admin/);
      const listed = await z.api('GET', `/meetings/${reg.id}/registrants`, readOnly);
      assert.equal(listed.status, 200, 'the granular scope of the list is enough for the list');
      const classic = await s2s(z, ['meeting:read:admin']);
      assert.equal((await z.api('GET', `/meetings/${reg.id}/registrants/questions`, classic)).status, 200);
      assert.equal(
        (await z.api('PATCH', `/meetings/${reg.id}/registrants/questions`, classic, {})).body.code,
        4711,
      );
    });

    test('a meeting holds at most 4,999 registrants (3043); deleting the meeting takes its registration along', async () => {
      const m = await meeting({ approval_type: 0 });
      const store = z.zemu.built.ctx.store;
      await store.transaction(async (trx) => {
        for (let i = 0; i < 4998; i++)
          await trx.registrants.insert({
            id: `bulk${i}`,
            meetingId: m.id,
            accountId: z.demo.account_id,
            email: `bulk${i}@example.test`,
            status: 'approved',
            fields: { first_name: 'Bulk' },
            createTime: 0,
          });
      });
      assert.equal((await register(m.id, { email: 'last@example.test', first_name: 'Last' })).status, 201);
      const full = await register(m.id, { email: 'over@example.test', first_name: 'Over' });
      assert.equal(full.status, 400, full.text);
      assert.deepEqual(full.body, { code: 3043, message: 'Meeting has reached maximum attendee capacity.' });
      await z.api('PATCH', `/meetings/${m.id}/registrants/questions`, token, { questions: [] });
      assert.equal((await z.api('DELETE', `/meetings/${m.id}`, token)).status, 204);
      assert.equal(await store.registrants.count(m.id), 0);
      assert.equal(await store.registrants.questions(m.id), undefined);
    });
  });
}
