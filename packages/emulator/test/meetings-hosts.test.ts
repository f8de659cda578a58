/** Hosts: schedule_for, user types without meetings, and meetings in progress. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestZemu } from './helpers.js';
import { createMeeting, type MeetingsWorld, meetingsWorld, zakOf } from './meetings-world.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;
  let member: MeetingsWorld['member'];

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token, member } = await meetingsWorld());
  });
  after(() => z.close());

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
});
