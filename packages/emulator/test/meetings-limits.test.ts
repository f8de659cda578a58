/** The meetings limits: 100 creates/updates per host per day, and the rate-limit label of each operation. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s2s, startTestZemu, type TestZemu } from './helpers.js';
import { createMeeting, meetingsWorld } from './meetings-world.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token } = await meetingsWorld());
  });
  after(() => z.close());

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
