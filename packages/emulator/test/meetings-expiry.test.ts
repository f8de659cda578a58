/** Meeting IDs expire on the emulated clock: 30 days after a scheduled start, a year after a recurring one. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestZemu, type TestZemu } from './helpers.js';

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
