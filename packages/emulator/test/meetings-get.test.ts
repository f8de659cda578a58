/** GET /v2/meetings/{meetingId}: the meeting, its start link, and who reaches it. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s2s, type TestZemu, userToken } from './helpers.js';
import { createMeeting, type MeetingsWorld, meetingsWorld, ONE, zakOf } from './meetings-world.js';
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
});
