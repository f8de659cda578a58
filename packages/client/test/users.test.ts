/**
 * The Users resource: every method's method, path, query and body, and list pagination over 1,000
 * users. Zemu's list/create/update endpoints had not landed on main, so a contract fake answers; the
 * endpoints Zemu has (get, token, ZAK) are covered in zemu-server-to-server.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ZoomClient } from '@zemu/client';
import { type FakeZoom, fakeZoom, json, tokenBody } from './helpers.js';

const USERS = Array.from({ length: 1000 }, (_, i) => ({
  id: `user-${i}`,
  email: `user${i}@example.com`,
  type: 1,
  status: 'active',
}));

describe('zoom.users', () => {
  let s: FakeZoom;
  before(async () => {
    s = await fakeZoom((req, res) => {
      if (req.url.startsWith('/oauth/token')) return json(res, 200, tokenBody('t'));
      const url = new URL(req.url, 'http://x');
      if (req.method === 'GET' && url.pathname === '/v2/users') {
        // Zoom's shape: page_size records per page, an opaque next_page_token, '' on the last page.
        const size = Number(url.searchParams.get('page_size') ?? 30);
        const start = Number(url.searchParams.get('next_page_token')?.replace('tok', '') || 0);
        const users = USERS.slice(start, start + size);
        const next = start + size < USERS.length ? `tok${start + size}` : '';
        return json(res, 200, {
          next_page_token: next,
          page_count: Math.ceil(USERS.length / size),
          page_size: size,
          total_records: USERS.length,
          users,
        });
      }
      if (req.method === 'POST' && url.pathname === '/v2/users') {
        const body = JSON.parse(req.body);
        return json(res, 201, { id: 'new', email: body.user_info.email, type: body.user_info.type });
      }
      if (url.pathname === '/v2/users/email') return json(res, 200, { existed_email: true });
      if (req.method === 'GET' && url.pathname.endsWith('/settings'))
        return json(res, 200, { feature: { meeting_capacity: 100 } });
      if (req.method === 'GET') return json(res, 200, { id: 'u', token: 'z' });
      res.writeHead(req.url.endsWith('/status') ? 200 : 204).end();
    });
  });
  after(() => s.close());

  const zoom = () =>
    new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'server_to_server', accountId: 'a', clientId: 'c', clientSecret: 's' },
    });
  const last = () => {
    const r = s.requests.at(-1)!;
    return { method: r.method, url: r.url, body: r.body ? JSON.parse(r.body) : undefined };
  };

  test('list() iterates 1,000 users across pages by next_page_token, in order, once each', async () => {
    const before = s.requests.length;
    const seen: string[] = [];
    for await (const user of zoom().users.list({ page_size: 300, status: 'active' }))
      seen.push(user.id as string);
    assert.equal(seen.length, 1000);
    assert.deepEqual(
      seen,
      USERS.map((u) => u.id),
    );
    const pages = s.requests.slice(before).filter((r) => r.url.startsWith('/v2/users'));
    assert.deepEqual(
      pages.map((r) => r.url),
      [
        '/v2/users?page_size=300&status=active',
        '/v2/users?page_size=300&status=active&next_page_token=tok300',
        '/v2/users?page_size=300&status=active&next_page_token=tok600',
        '/v2/users?page_size=300&status=active&next_page_token=tok900',
      ],
    );
  });

  test('list().pages() yields whole pages; toArray() collects', async () => {
    const sizes: number[] = [];
    for await (const page of zoom().users.list({ page_size: 400 }).pages())
      sizes.push(page.users?.length ?? 0);
    assert.deepEqual(sizes, [400, 400, 200]);
    assert.equal((await zoom().users.list({ page_size: 1000 }).toArray()).length, 1000);
  });

  test('every method sends the method, path, query and body of the spec', async () => {
    const users = zoom().users;
    const created = await users.create({
      action: 'create',
      user_info: { email: 'j@x.com', type: 1, first_name: 'J' },
    });
    assert.equal(created.id, 'new');
    assert.deepEqual(last(), {
      method: 'POST',
      url: '/v2/users',
      body: { action: 'create', user_info: { email: 'j@x.com', type: 1, first_name: 'J' } },
    });
    await users.update('u 1', { first_name: 'Jill' }, { remove_tsp_credentials: true });
    assert.deepEqual(last(), {
      method: 'PATCH',
      url: '/v2/users/u%201?remove_tsp_credentials=true',
      body: { first_name: 'Jill' },
    });
    await users.delete('u1', { action: 'delete', transfer_email: 'b@x.com', transfer_meeting: true });
    assert.deepEqual(last(), {
      method: 'DELETE',
      url: '/v2/users/u1?action=delete&transfer_email=b%40x.com&transfer_meeting=true',
      body: undefined,
    });
    await users.getToken('u1', { type: 'zak', ttl: 3600 });
    assert.deepEqual(last(), { method: 'GET', url: '/v2/users/u1/token?type=zak&ttl=3600', body: undefined });
    await users.getToken({ type: 'token' });
    assert.equal(last().url, '/v2/users/me/token?type=token');
    await users.getZak();
    assert.equal(last().url, '/v2/users/me/zak');
    await users.updateStatus('u1', 'deactivate');
    assert.deepEqual(last(), { method: 'PUT', url: '/v2/users/u1/status', body: { action: 'deactivate' } });
    await users.updatePassword('u1', { password: 'Secr3t-pass' });
    assert.deepEqual(last(), {
      method: 'PUT',
      url: '/v2/users/u1/password',
      body: { password: 'Secr3t-pass' },
    });
    await users.updateEmail('u1', { email: 'new@x.com' });
    assert.deepEqual(last(), { method: 'PUT', url: '/v2/users/u1/email', body: { email: 'new@x.com' } });
    assert.deepEqual(await users.checkEmail('a+b@x.com'), { existed_email: true });
    assert.equal(last().url, '/v2/users/email?email=a%2Bb%40x.com');
    const settings = await users.getSettings('u1', { option: 'meeting_authentication' });
    assert.ok(settings);
    assert.equal(last().url, '/v2/users/u1/settings?option=meeting_authentication');
    await users.updateSettings('u1', { feature: { meeting_capacity: 300 } });
    assert.deepEqual(last(), {
      method: 'PATCH',
      url: '/v2/users/u1/settings',
      body: { feature: { meeting_capacity: 300 } },
    });
    await users.get('me', { login_type: 100 });
    assert.equal(last().url, '/v2/users/me?login_type=100');
  });

  test('a server that repeats a next_page_token does not make list() loop', async () => {
    const loop = await fakeZoom((req, res) => {
      if (req.url.startsWith('/oauth/token')) return json(res, 200, tokenBody('t'));
      json(res, 200, { next_page_token: 'same', users: [{ id: 'x', email: 'x@x', type: 1 }] });
    });
    try {
      const client = new ZoomClient({
        baseUrl: loop.url,
        auth: { type: 'server_to_server', accountId: 'a', clientId: 'c', clientSecret: 's' },
      });
      assert.equal((await client.users.list().toArray()).length, 2);
    } finally {
      await loop.close();
    }
  });
});
