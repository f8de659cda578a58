/** Reset and snapshots (/_zemu/reset, /_zemu/snapshots) on SQLite in memory. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StartOptions } from '../src/server.js';
import { bulkUsers, postgresSchema, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';
import { startReceiver } from './webhook-receiver.js';

const postgres = await postgresRequirement();

async function countUsers(z: TestZemu, token: string): Promise<number> {
  const res = await z.api('GET', '/users?page_size=300', token);
  assert.equal(res.status, 200, res.text);
  return res.body.total_records;
}

describe('POST /_zemu/reset', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
  });
  after(() => z.close());

  test('returns the demo world with the same ids and credentials, and empties everything else', async () => {
    const demo = { ...z.demo };
    const token = await z.s2sToken();
    await bulkUsers(z, demo.account_id, 5);
    const other = await z.control('POST', '/accounts', { owner: { email: 'reset-owner@reset.test' } });
    assert.equal(other.status, 201);
    await z.control('POST', '/faults', { path: '/v2/nothing', action: 'error', status: 500 });
    assert.equal(await countUsers(z, token), 6);
    await z.control('POST', '/clock', { advance: 600, frozen: true });
    assert.ok((await z.control('GET', '/requests')).body.total_records > 0);

    const res = await z.control('POST', '/reset');
    assert.equal(res.status, 204, res.text);

    assert.deepEqual(z.zemu.demo, demo, 'same ids and credentials');
    assert.deepEqual((await z.control('GET', '/demo')).body, demo);
    assert.equal(
      (await z.api('GET', '/users/me', token)).status,
      401,
      'tokens issued before the reset are gone',
    );
    const fresh = await z.s2sToken();
    assert.equal(await countUsers(z, fresh), 1, 'only the demo owner');
    assert.equal((await z.control('GET', `/accounts/${other.body.id}`)).status, 404);
    assert.equal((await z.control('GET', '/faults')).body.total_records, 0);
    const clock = (await z.control('GET', '/clock')).body;
    assert.equal(clock.frozen, false);
    assert.equal(clock.offset_seconds, 0, 'real time again');
    const log = (await z.control('GET', '/requests')).body;
    assert.ok(
      log.requests.every((r: { path: string }) => !r.path.startsWith('/v2/users?page_size=300')),
      'the log holds nothing from before the reset',
    );
  });

  test('resets the rate-limit windows and forgets the cached account switches', async () => {
    const token = await z.s2sToken();
    const zak = () => z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
    await z.control('POST', '/clock', { frozen: true });
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) status = (await zak()).status;
    assert.equal(status, 429, 'the per-second window is full');
    await z.control('POST', '/reset');
    await z.control('POST', '/clock', { frozen: true });
    const again = await z.s2sToken();
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, again);
    assert.equal(res.status, 200, 'a new window after the reset, on the same frozen second');
  });
});

describe('reset with a seed', () => {
  test("returns the seed's world and its clock, and its fault rules", async () => {
    const z = await startTestZemu({
      demo: false,
      seed: {
        accounts: [
          {
            id: 'seedacct1',
            owner: { id: 'seedowner1', email: 'owner@seed.test' },
            users: [{ id: 'seeduser1', email: 'one@seed.test' }],
            apps: [
              {
                name: 'Seed S2S',
                type: 'server_to_server',
                client_id: 'seedclient1',
                client_secret: 'seed-secret-0123456789abcdef0123',
                scopes: ['user:read:list_users:admin'],
              },
            ],
          },
        ],
        faults: [{ id: 'seedfault', path: '/v2/never', action: 'error', status: 503 }],
      },
      clock: { set: '2030-01-01T00:00:00Z', frozen: true },
    });
    try {
      const creds = {
        account_id: 'seedacct1',
        client_id: 'seedclient1',
        client_secret: 'seed-secret-0123456789abcdef0123',
      };
      const token = await z.s2sToken(creds);
      await z.control('POST', '/accounts/seedacct1/users', { email: 'extra@seed.test' });
      await z.control('DELETE', '/faults/seedfault');
      assert.equal((await z.api('GET', '/users', token)).body.total_records, 3);
      await z.control('POST', '/clock', { advance: 86400 });

      assert.equal((await z.control('POST', '/reset')).status, 204);
      const after = await z.s2sToken(creds);
      const list = await z.api('GET', '/users', after);
      assert.deepEqual(list.body.users.map((u: { id: string }) => u.id).sort(), ['seedowner1', 'seeduser1']);
      const clock = (await z.control('GET', '/clock')).body;
      assert.equal(clock.now, '2030-01-01T00:00:00.000Z');
      assert.equal(clock.frozen, true);
      assert.deepEqual(
        (await z.control('GET', '/faults')).body.faults.map((f: { id: string }) => f.id),
        ['seedfault'],
      );
    } finally {
      await z.close();
    }
  });
});

describe('/_zemu/snapshots', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
  });
  after(() => z.close());

  test('tokens and ZAKs issued before a snapshot work again after restoring it', async () => {
    const token = await z.s2sToken();
    const zak = (await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=3600`, token)).body.token;
    const snap = await z.control('POST', '/snapshots', { name: 'before' });
    assert.equal(snap.status, 201, snap.text);
    assert.match(snap.body.id, /^snap_[0-9a-f]{16}$/);

    await z.control('POST', '/reset');
    assert.equal((await z.api('GET', '/users/me', token)).status, 401);
    const later = await z.s2sToken();

    const restored = await z.control('POST', `/snapshots/${snap.body.id}/restore`);
    assert.equal(restored.status, 200, restored.text);
    assert.equal(restored.body.name, 'before');
    assert.equal((await z.api('GET', '/users/me', token)).status, 200, 'the token from before works');
    assert.equal(
      (await z.api('GET', '/users/me', later)).status,
      401,
      'a token minted after the snapshot is gone',
    );
    const { ctx } = z.zemu.built;
    const host = await ctx.store.users.findById(z.demo.user_id);
    assert.ok(host);
    assert.equal((await ctx.zaks.check(zak, host)).ok, true, 'the ZAK from before checks');
  });

  test('captures the clock, fault rules and the account switches, with no stale cache after restore', async () => {
    await z.control('POST', '/clock', { set: '2031-05-05T05:05:05Z', frozen: true });
    await z.control('POST', '/faults', {
      id: 'kept',
      path: '/v2/kept',
      action: 'error',
      status: 502,
      count: 2,
    });
    const snap = (await z.control('POST', '/snapshots')).body;

    await z.control('POST', '/clock', { frozen: false, advance: 999 });
    await z.control('DELETE', '/faults/kept');
    await z.control('POST', '/faults', { id: 'later', path: '/v2/later', action: 'error', status: 500 });
    // A tiny Light limit, which the limiter now caches for a second.
    await z.control('PATCH', `/accounts/${z.demo.account_id}/limits`, { overrides: { Light: { rate: 1 } } });
    const token = await z.s2sToken();
    const zak = () => z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
    await zak();
    assert.equal((await zak()).status, 429, 'the override is in force');

    assert.equal((await z.control('POST', `/snapshots/${snap.id}/restore`)).status, 200);
    const clock = (await z.control('GET', '/clock')).body;
    assert.equal(clock.now, '2031-05-05T05:05:05.000Z');
    assert.equal(clock.frozen, true);
    const faults = (await z.control('GET', '/faults')).body.faults;
    assert.deepEqual(
      faults.map((f: { id: string; remaining: number }) => [f.id, f.remaining]),
      [['kept', 2]],
    );
    const fresh = await z.s2sToken();
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, fresh);
    const again = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, fresh);
    assert.equal(res.status, 200);
    assert.equal(
      again.status,
      200,
      "the restored account's limits apply at once, not after the cache's second",
    );
  });

  test('captures subscriptions and pending deliveries', async () => {
    await z.control('POST', '/reset');
    const r = await startReceiver('snapshot-secret');
    try {
      const sub = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
        endpoint_url: r.url,
        events: ['user.updated'],
        secret_token: r.secret,
      });
      assert.equal(sub.status, 201, sub.text);
      await z.control('PATCH', '/webhooks/dispatcher', { paused: true });
      const token = await z.s2sToken();
      assert.equal((await z.api('PATCH', '/users/me', token, { dept: 'Snapshot' })).status, 204);
      const status = (await z.control('GET', '/webhooks/dispatcher')).body;
      const pending = status.queued_events + status.pending_deliveries;
      const snap = (await z.control('POST', '/snapshots')).body;

      await z.control('DELETE', `/apps/${z.demo.client_id}/webhooks/${sub.body.id}`);
      assert.equal(
        (await z.control('GET', `/apps/${z.demo.client_id}/webhooks`)).body.subscriptions.length,
        0,
      );

      await z.control('POST', `/snapshots/${snap.id}/restore`);
      const subs = (await z.control('GET', `/apps/${z.demo.client_id}/webhooks`)).body.subscriptions;
      assert.deepEqual(
        subs.map((s: { id: string }) => s.id),
        [sub.body.id],
      );
      const restored = (await z.control('GET', '/webhooks/dispatcher')).body;
      assert.equal(restored.queued_events + restored.pending_deliveries, pending);
      assert.ok(pending >= 1, 'an event was waiting for delivery when captured');
      await z.control('PATCH', '/webhooks/dispatcher', { paused: false });
      await z.control('POST', '/webhooks/deliver');
      assert.equal(r.events('user.updated').length, 1, 'the restored delivery is made');
    } finally {
      await r.close();
    }
  });

  test('lists and deletes snapshots; unknown ids get 404 code 1001', async () => {
    const a = (await z.control('POST', '/snapshots', { name: 'a' })).body;
    const list = (await z.control('GET', '/snapshots')).body;
    assert.ok(list.snapshots.some((s: { id: string; name: string }) => s.id === a.id && s.name === 'a'));
    assert.equal(list.total_records, list.snapshots.length);
    assert.equal((await z.control('DELETE', `/snapshots/${a.id}`)).status, 204);
    const gone = await z.control('POST', `/snapshots/${a.id}/restore`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { code: 1001, message: `Snapshot does not exist: ${a.id}.` });
    const again = await z.control('DELETE', `/snapshots/${a.id}`);
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 1001);
    const bad = await z.control('POST', '/snapshots', { name: 42 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
    const notObject = await z.request('POST', '/_zemu/snapshots', {
      headers: { 'content-type': 'application/json' },
      body: '[1]',
    });
    assert.equal(notObject.status, 400);
    assert.equal(notObject.body.code, 300);
  });
});

function duringReset(store: string, options: () => StartOptions) {
  describe(`requests during a reset or a restore (${store})`, () => {
    test('see the old world or the new one, never a mix', async () => {
      const z = await startTestZemu(options());
      try {
        const token = await z.s2sToken();
        const small = (await z.control('POST', '/snapshots')).body.id;
        await bulkUsers(z, z.demo.account_id, 60);
        const large = (await z.control('POST', '/snapshots')).body.id;
        const seen = new Set<string>();
        let stop = false;
        const reader = async () => {
          while (!stop) {
            const res = await z.api('GET', '/users?page_size=300', token);
            if (res.status === 401) {
              seen.add('new world without the token');
              continue;
            }
            assert.equal(res.status, 200, res.text);
            // total_records comes from user_counts, the page from users: two reads of one world.
            assert.equal(res.body.total_records, res.body.users.length, 'count and page from one world');
            seen.add(String(res.body.total_records));
          }
        };
        const readers = Array.from({ length: 8 }, reader);
        for (let i = 0; i < 10; i++) {
          assert.equal((await z.control('POST', `/snapshots/${i % 2 ? large : small}/restore`)).status, 200);
        }
        assert.equal((await z.control('POST', '/reset')).status, 204);
        while (!seen.has('new world without the token'))
          await new Promise((resolve) => setImmediate(resolve));
        stop = true;
        await Promise.all(readers);
        assert.ok(seen.has('1') && seen.has('61'), `both worlds were seen: ${[...seen]}`);
        for (const value of seen)
          assert.ok(['1', '61', 'new world without the token'].includes(value), value);
      } finally {
        await z.close();
      }
    });

    test('a write authorized in the old world never lands in the new one', async () => {
      const z = await startTestZemu(options());
      try {
        const token = await z.s2sToken();
        const withToken = (await z.control('POST', '/snapshots')).body.id;
        const { ctx } = z.zemu.built;
        const dept = async () => (await ctx.store.users.findById(z.demo.user_id))?.dept;
        let stop = false;
        let done = 0;
        const writer = async (n: number) => {
          while (!stop) {
            const res = await z.api('PATCH', '/users/me', token, { dept: `writer ${n}` });
            assert.ok([204, 401].includes(res.status), res.text);
            done++;
          }
        };
        const writers = Array.from({ length: 6 }, (_, n) => writer(n));
        for (let round = 0; round < 15; round++) {
          await z.control('POST', `/snapshots/${withToken}/restore`);
          const before = done;
          while (done < before + 6) await new Promise((resolve) => setImmediate(resolve));
          await z.control('POST', '/reset');
          // Every request in flight during the reset has answered by now.
          const settled = done;
          while (done < settled + 12) await new Promise((resolve) => setImmediate(resolve));
          assert.equal(
            await dept(),
            '',
            `round ${round}: the reset world holds no write made with the old token`,
          );
        }
        stop = true;
        await Promise.all(writers);
      } finally {
        await z.close();
      }
    });
  });
}

duringReset('SQLite', () => ({}));

describe('PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pg = postgresSchema('state_gate');
  before(() => pg.create());
  after(() => pg.drop());
  duringReset('PostgreSQL', () => ({ databaseUrl: pg.url }));
});
