/**
 * Retention on the emulated clock: tokens, refresh tokens and codes are pruned ZEMU_RETENTION after
 * they expired or were revoked; finished webhook deliveries, their attempts and their events
 * ZEMU_WEBHOOK_RETENTION after they finished. Tests move the clock and count rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { resolveConfig } from '../src/config.js';
import { startTestZemu, type TestZemu } from './helpers.js';
import { startReceiver } from './webhook-receiver.js';

const HOUR = 3600;

async function count(z: TestZemu, table: string, where = sql`1 = 1`): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(z.zemu.built.ctx.store.db);
  return Number(rows[0]?.n);
}

async function advance(z: TestZemu, seconds: number): Promise<void> {
  const res = await z.control('POST', '/clock', { advance: seconds });
  assert.equal(res.status, 200, res.text);
}

describe('ZEMU_RETENTION and ZEMU_WEBHOOK_RETENTION', () => {
  test('defaults 24h and 7d; durations in s, m, h, d; nonsense refused with what to write', () => {
    const defaults = resolveConfig({}, {});
    assert.equal(defaults.retentionMs, 24 * HOUR * 1000);
    assert.equal(defaults.webhookRetentionMs, 7 * 24 * HOUR * 1000);
    assert.equal(resolveConfig({}, { ZEMU_RETENTION: '90m' }).retentionMs, 90 * 60_000);
    assert.equal(resolveConfig({}, { ZEMU_RETENTION: '3600' }).retentionMs, HOUR * 1000);
    assert.equal(resolveConfig({}, { ZEMU_WEBHOOK_RETENTION: '2d' }).webhookRetentionMs, 2 * 86_400_000);
    for (const bad of ['', 'forever', '-1h', '0', '1e9d', '5w']) {
      if (bad === '') continue;
      assert.throws(
        () => resolveConfig({}, { ZEMU_RETENTION: bad }),
        /ZEMU_RETENTION must be a duration from 1s to 3650d such as 90s, 30m, 24h or 7d/,
      );
    }
  });
});

describe('tokens, refresh tokens and codes are pruned 24 h after expiry or revocation', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
    await z.control('POST', '/clock', { frozen: true });
  });
  after(() => z.close());

  test('expired access tokens go 24 h after their expiry, not before; live ones stay', async () => {
    const { retention } = z.zemu.built.ctx;
    const tokens: string[] = [];
    for (let i = 0; i < 30; i++) tokens.push(await z.s2sToken());
    const issued = await count(z, 'tokens');
    assert.ok(issued >= 30);
    // Expired (1 h) but within the retention: kept, and the guard still says why.
    await advance(z, 2 * HOUR);
    await retention.prune();
    assert.equal(await count(z, 'tokens'), issued);
    const expired = await z.api('GET', '/users/me', tokens[0] as string);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.message, 'Access token is expired.');
    const fresh = await z.s2sToken();
    // Past expiry + 24 h: gone; the fresh one stays.
    await advance(z, 23 * HOUR + 60);
    await retention.prune();
    assert.equal(await count(z, 'tokens'), 1);
    assert.equal((await z.api('GET', '/users/me', fresh)).status, 401, 'the fresh token expired too');
    const pruned = await z.api('GET', '/users/me', tokens[0] as string);
    assert.equal(pruned.status, 401);
    assert.equal(pruned.body.code, 124);
    assert.equal(
      pruned.body.message,
      'Access token is expired.',
      'a pruned expired token still reads expired',
    );
  });

  test('introspection of a pruned token says it was pruned', async () => {
    const { retention } = z.zemu.built.ctx;
    const token = await z.s2sToken();
    const live = await z.control('POST', '/tokens/introspect', { token });
    assert.equal(live.body.active, true);
    await advance(z, 26 * HOUR);
    await retention.prune();
    const res = await z.control('POST', '/tokens/introspect', { token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.active, false);
    assert.match(
      res.body.reason,
      /^expired at .*; its record was pruned \(records are kept 24h after expiry or revocation \(ZEMU_RETENTION\)\)$/,
    );
  });

  test('revoked tokens go 24 h after revocation, with their tolerance rows; a revoked live token introspects as pruned', async () => {
    const { retention, store } = z.zemu.built.ctx;
    const app = await z.control('PATCH', `/apps/${z.demo.client_id}`, {
      settings: { legacy_single_token: true },
    });
    assert.equal(app.status, 200, app.text);
    const first = await z.s2sToken();
    await z.s2sToken(); // revokes `first` (legacy single-token mode)
    assert.equal(await count(z, 'token_tolerance'), 2);
    const record = JSON.parse(Buffer.from(first.split('.')[1] as string, 'base64url').toString()).jti;
    assert.ok((await store.tokens.findById(record))?.revokedAt);
    await advance(z, 30 * 60);
    await retention.prune();
    assert.ok(await store.tokens.findById(record), 'kept during the retention');
    // Revoked half an hour in; the token would expire at 1 h; pruned 24 h after the revocation, while
    // the other token (expiring at 1 h) is still within its retention.
    await advance(z, 24 * HOUR);
    await retention.prune();
    assert.equal(await store.tokens.findById(record), undefined);
    assert.equal(await count(z, 'token_tolerance'), 1);
    await z.control('PATCH', `/apps/${z.demo.client_id}`, { settings: { legacy_single_token: false } });
  });

  test('refresh tokens and codes of the authorization-code grant are pruned too', async () => {
    const { retention } = z.zemu.built.ctx;
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'Retention OAuth',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: ['https://example.test/cb'],
    });
    assert.equal(app.status, 201, app.text);
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const approved = await z.control('POST', '/oauth/approve', {
        client_id: app.body.client_id,
        user: z.demo.user_id,
        redirect_uri: 'https://example.test/cb',
      });
      assert.equal(approved.status, 200, approved.text);
      codes.push(new URL(approved.body.redirect_to).searchParams.get('code') as string);
    }
    const exchange = await z.request(
      'POST',
      `/oauth/token?grant_type=authorization_code&code=${codes[0]}&redirect_uri=${encodeURIComponent('https://example.test/cb')}`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${app.body.client_id}:${app.body.client_secret}`).toString('base64')}`,
        },
      },
    );
    assert.equal(exchange.status, 200, exchange.text);
    assert.equal(await count(z, 'oauth_codes'), 3);
    assert.equal(await count(z, 'tokens', sql`kind = 'refresh'`), 1);
    // Codes live 5 minutes: pruned 24 h after that; the refresh token (its own, longer life) stays.
    await advance(z, 24 * HOUR + 10 * 60);
    await retention.prune();
    assert.equal(await count(z, 'oauth_codes'), 0);
    assert.equal(await count(z, 'tokens', sql`kind = 'refresh'`), 1);
    const refresh = await z.control('POST', '/tokens/introspect', { token: exchange.body.refresh_token });
    assert.equal(refresh.body.kind, 'refresh_token');
    const expiresAt = Date.parse(refresh.body.expires_at);
    const now = (await z.control('GET', '/clock')).body.epoch_ms;
    await advance(z, Math.ceil((expiresAt - now) / 1000) + 24 * HOUR + 1);
    await retention.prune();
    assert.equal(await count(z, 'tokens', sql`kind = 'refresh'`), 0);
    const gone = await z.control('POST', '/tokens/introspect', { token: exchange.body.refresh_token });
    assert.equal(gone.body.active, false);
    assert.match(gone.body.reason, /its record was pruned/);
  });

  test('a clock change triggers pruning by itself, in batches, off the request path', async () => {
    const { store } = z.zemu.built.ctx;
    for (let i = 0; i < 20; i++) await z.s2sToken();
    assert.ok((await count(z, 'tokens')) >= 20);
    await advance(z, 26 * HOUR);
    // No prune() call: the clock's change asked for a pass. Wait for it on the store, not on time.
    for (let i = 0; i < 200 && (await count(z, 'tokens')) > 0; i++) await new Promise((r) => setImmediate(r));
    assert.equal(await count(z, 'tokens'), 0);
    assert.ok(store);
  });
});

describe('a pass does bounded work: batches, a budget, the rest on the next pass', () => {
  test('with batches of 10 and 3 per pass, 70 expired tokens take three passes', async () => {
    const z = await startTestZemu({ retention: '1h' });
    try {
      const { ctx } = z.zemu.built;
      await ctx.retention.stop(); // drive passes by hand
      const { Retention } = await import('../src/store/retention.js');
      const small = new Retention(
        ctx.store,
        ctx.clock,
        {
          retentionMs: HOUR * 1000,
          webhookRetentionMs: HOUR * 1000,
          snapshotRetentionMs: HOUR * 1000,
          batchSize: 10,
          maxBatchesPerPass: 3,
        },
        ctx.log,
      );
      for (let i = 0; i < 70; i++) await z.s2sToken();
      await advance(z, 2 * HOUR + 1);
      assert.equal(await count(z, 'tokens'), 70);
      const first = await small.prune();
      assert.deepEqual([first.tokens, first.complete], [30, false]);
      const second = await small.prune();
      assert.deepEqual([second.tokens, second.complete], [30, false]);
      const third = await small.prune();
      assert.equal(third.tokens, 10);
      assert.equal(await count(z, 'tokens'), 0);
    } finally {
      await z.close();
    }
  });
});

describe('finished webhook deliveries, attempts and events are pruned 7 days after they finished', () => {
  test('delivered and failed deliveries go with their attempts and events, 7 days after they finished', async () => {
    const receiver = await startReceiver('retentionSecretToken000');
    const z = await startTestZemu();
    try {
      const { ctx } = z.zemu.built;
      await z.control('POST', '/clock', { frozen: true });
      const hook = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
        endpoint_url: receiver.url,
        events: ['user.created', 'user.updated'],
        secret_token: 'retentionSecretToken000',
      });
      assert.equal(hook.status, 201, hook.text);
      const token = await z.s2sToken();
      for (let i = 0; i < 4; i++) {
        const res = await z.api('POST', '/users', token, {
          action: 'custCreate',
          user_info: { email: `ret${i}@retention.test`, type: 1 },
        });
        assert.equal(res.status, 201, res.text);
      }
      await z.control('POST', '/webhooks/deliver');
      assert.equal(receiver.events('user.created').length, 4);
      assert.equal(await count(z, 'webhook_deliveries', sql`status = 'delivered'`), 4);
      assert.equal(await count(z, 'webhook_attempts'), 4);
      assert.equal(await count(z, 'webhook_events'), 4);
      // One more event whose receiver fails for good: failed after Zoom's retries.
      receiver.answerEvents = 500;
      const failing = await z.api('POST', '/users', token, {
        action: 'custCreate',
        user_info: { email: 'failing@retention.test', type: 1 },
      });
      assert.equal(failing.status, 201);
      for (const minutes of [0, 5, 20, 60]) {
        await advance(z, minutes * 60 + 1);
        await z.control('POST', '/webhooks/deliver');
      }
      assert.equal(await count(z, 'webhook_deliveries', sql`status = 'failed'`), 1);
      assert.equal(await count(z, 'webhook_attempts'), 8);
      await advance(z, 6 * 24 * HOUR);
      await ctx.retention.prune();
      assert.equal(await count(z, 'webhook_deliveries'), 5, 'kept within 7 days');
      await advance(z, 2 * 24 * HOUR);
      await ctx.retention.prune();
      assert.equal(await count(z, 'webhook_deliveries'), 0);
      assert.equal(await count(z, 'webhook_attempts'), 0);
      assert.equal(await count(z, 'webhook_events'), 0);
    } finally {
      await z.close();
      await receiver.close();
    }
  });
});

describe('snapshots are pruned ZEMU_SNAPSHOT_RETENTION (7 days of real time) after they were taken', () => {
  test('default 7d; ZEMU_SNAPSHOT_RETENTION takes a duration', () => {
    assert.equal(resolveConfig({}, {}).snapshotRetentionMs, 7 * 86_400_000);
    assert.equal(resolveConfig({}, { ZEMU_SNAPSHOT_RETENTION: '1d' }).snapshotRetentionMs, 86_400_000);
    assert.throws(() => resolveConfig({}, { ZEMU_SNAPSHOT_RETENTION: 'never' }), /ZEMU_SNAPSHOT_RETENTION/);
  });

  test('a jump of the emulated clock keeps a fresh snapshot restorable; leftovers taken over 7 days ago go', async () => {
    const z = await startTestZemu();
    try {
      const { ctx } = z.zemu.built;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const taken = await z.control('POST', '/snapshots', { name: `s${i}` });
        assert.equal(taken.status, 201, taken.text);
        ids.push(taken.body.id);
      }
      // Thirty emulated days later: a snapshot's age on the emulated clock means nothing.
      await advance(z, 30 * 24 * HOUR);
      assert.equal((await ctx.retention.prune()).snapshots, 0);
      assert.equal(await count(z, 'zemu_snapshots'), 3);
      assert.equal((await z.control('POST', `/snapshots/${ids[0]}/restore`)).status, 200);
      // Two are leftovers of a session a week ago: their rows say when (real time) they were taken.
      const weekAgo = Date.now() - 8 * 24 * HOUR * 1000;
      await sql`update zemu_snapshots set created_at = ${weekAgo} where id in (${ids[1]}, ${ids[2]})`.execute(
        ctx.store.db,
      );
      await ctx.retention.prune(); // a pass that starts after the update (the restore's clock change may run one too)
      assert.equal(await count(z, 'zemu_snapshots'), 1);
      const listed = await z.control('GET', '/snapshots');
      assert.deepEqual(
        listed.body.snapshots.map((s: { id: string }) => s.id),
        [ids[0]],
      );
      const gone = await z.control('POST', `/snapshots/${ids[1]}/restore`);
      assert.deepEqual([gone.status, gone.body.code], [404, 1001]);
    } finally {
      await z.close();
    }
  });
});
