/** Resources only build paths, bodies and queries; checked against a recording fetch. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ZoomClient } from '@zemu/client';

function recording() {
  const calls: Array<{ method: string; url: string; body: unknown }> = [];
  const zoom = new ZoomClient({
    baseUrl: 'http://zemu.test',
    auth: { type: 'static', token: 't' },
    fetch: async (url, init) => {
      calls.push({
        method: init?.method ?? 'GET',
        url: String(url),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return new Response(JSON.stringify({ id: 1 }), { status: 201 });
    },
  });
  return { zoom, calls };
}

describe('meetings.create', () => {
  test('(userId, body) like users.update, the user id first', async () => {
    const { zoom, calls } = recording();
    assert.deepEqual(await zoom.meetings.create('u@x.test', { topic: 'Sync' }), { id: 1 });
    assert.deepEqual(calls, [
      { method: 'POST', url: 'http://zemu.test/v2/users/u%40x.test/meetings', body: { topic: 'Sync' } },
    ]);
  });

  test('the deprecated (body, userId) order still works, userId defaulting to me', async () => {
    const { zoom, calls } = recording();
    await zoom.meetings.create({ topic: 'old' }, 'u1');
    await zoom.meetings.create({ topic: 'older' });
    assert.deepEqual(
      calls.map((c) => [c.url, c.body]),
      [
        ['http://zemu.test/v2/users/u1/meetings', { topic: 'old' }],
        ['http://zemu.test/v2/users/me/meetings', { topic: 'older' }],
      ],
    );
  });
});

describe('call options', () => {
  test('users.getToken sends its query fields and keeps the call options out of the query', async () => {
    const { zoom, calls } = recording();
    await zoom.users.getToken('me', { type: 'zak', ttl: 60, maxRetries: 0, timeoutMs: 1000 });
    assert.equal(calls[0]?.url, 'http://zemu.test/v2/users/me/token?type=zak&ttl=60');
  });
});
