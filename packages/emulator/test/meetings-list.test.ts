/** GET /v2/users/{userId}/meetings: the list types, pages, filters and refusals. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Meeting } from '../src/store/models.js';
import { MeetingsRepo } from '../src/store/repos/meetings.js';
import { s2s, type TestZemu } from './helpers.js';
import { CREATE, createMeeting, meetingsWorld } from './meetings-world.js';
import { assertMatchesSpec } from './spec.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token } = await meetingsWorld());
  });
  after(() => z.close());

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

    // docs/compatibility.md, "Listing cost".
    test("each listing reads all of the host's meetings in one query and filters, sorts and pages them in memory", async (t) => {
      const read = t.mock.method(MeetingsRepo.prototype, 'listByHost');
      const first = await list('?type=scheduled&page_size=1&from=2000-01-01');
      assert.equal(first.status, 200, first.text);
      assert.equal(read.mock.callCount(), 1, 'one read for the call');
      const [call] = read.mock.calls;
      assert.deepEqual(call?.arguments, [host]);
      // The query had no part in the read: every meeting of the host came back, instant and past ones too.
      const rows = (await call?.result) as Meeting[];
      assert.deepEqual(rows.map((m) => m.topic).sort(), [
        'future1',
        'future2',
        'instant',
        'live',
        'open',
        'past',
      ]);
      assert.deepEqual(topics(first), ['live']);
      // scheduled leaves out the instant meeting; from leaves out the one without a start time (open).
      assert.equal(first.body.total_records, 4);
      // The next page is another call: the host's meetings are read again, and the page cut from them.
      const second = await list(
        `?type=scheduled&page_size=1&from=2000-01-01&next_page_token=${encodeURIComponent(first.body.next_page_token)}`,
      );
      assert.deepEqual(topics(second), ['past']);
      assert.equal(read.mock.callCount(), 2);
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
});
