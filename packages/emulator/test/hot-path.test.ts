import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSigner, createVerifier } from 'fast-jwt';
import type { Ctx } from '../src/context.js';
import { createHmacJwtSigner, hashPassword, hashPasswordAhead, verifyPassword } from '../src/crypto.js';
import { authenticate } from '../src/guard/bearer.js';
import { timeOrderedUuid } from '../src/oauth/tokens.js';
import { mayChangePrincipals, principalEpoch, rawSqlite } from '../src/store/db.js';
import { NOT_NOW } from '../src/store/prepared.js';
import { PrincipalsRepo } from '../src/store/repos/principals.js';
import { basic, postgresSchema, startTestZemu, type TestZemu, userToken } from './helpers.js';
import { postgresRequirement } from './requirements.js';

function jtiOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti;
}

/** A gate a test opens by hand: holds a transaction open across other work. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('hot path: the synchronous SQLite guard', () => {
  let z: TestZemu;
  let ctx: Ctx;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
  });
  after(() => z.close());

  test('answers synchronously when no transaction is open', async () => {
    const token = await z.s2sToken();
    const principal = authenticate(ctx, `Bearer ${token}`, undefined);
    assert.ok(!(principal instanceof Promise), 'SQLite, no transaction: no promise');
    assert.equal(principal.token.id, jtiOf(token));
    assert.equal(principal.user?.id, z.demo.user_id);
    // And the same answer over HTTP.
    const res = await z.api('GET', '/users/me/token?type=zak', token);
    assert.equal(res.status, 200);
  });

  test('remembers verified tokens by their whole text: an altered token is refused after the real one', async () => {
    const token = await z.s2sToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    assert.equal((await z.api('GET', '/users/me/token?type=zak', token)).status, 200);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, scope: 'user:write:admin' })).toString('base64url')}.${signature}`;
    const refused = await z.api('GET', '/users/me/token?type=zak', forged);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 124);
    assert.throws(() => authenticate(ctx, `Bearer ${forged}`, undefined), /Invalid access token/);
    // The real token still works (its cache entry was not replaced by the forgery).
    assert.equal((await z.api('GET', '/users/me/token?type=zak', token)).status, 200);
  });

  test('waits for an open transaction and sees its committed revocation', async () => {
    const token = await z.s2sToken();
    const g = gate();
    let during: ReturnType<typeof authenticate> | undefined;
    const tx = ctx.store.transaction(async (store) => {
      await store.tokens.revoke(jtiOf(token), ctx.clock.now(), 'revoked inside a test transaction');
      during = authenticate(ctx, `Bearer ${token}`, undefined);
      await g.opened;
    });
    // Let the transaction reach its gate, then look again from outside it.
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(during instanceof Promise, 'inside an open transaction the guard does not read synchronously');
    g.open();
    await tx;
    await assert.rejects(Promise.resolve(during), (error: { code: number; reason?: string }) => {
      assert.equal(error.code, 124);
      assert.match(error.reason ?? '', /revoked inside a test transaction/);
      return true;
    });
    // After the commit the synchronous path sees the revocation too.
    assert.throws(() => authenticate(ctx, `Bearer ${token}`, undefined), /Invalid access token/);
  });

  test('never sees the writes of a transaction that rolls back', async () => {
    const token = await z.s2sToken();
    const g = gate();
    let during: ReturnType<typeof authenticate> | undefined;
    const tx = ctx.store.transaction(async (store) => {
      await store.tokens.revoke(jtiOf(token), ctx.clock.now(), 'rolled back');
      during = authenticate(ctx, `Bearer ${token}`, undefined);
      await g.opened;
      throw new Error('roll back');
    });
    await new Promise((resolve) => setImmediate(resolve));
    g.open();
    await assert.rejects(tx, /roll back/);
    const principal = await during;
    assert.equal(principal?.token.id, jtiOf(token), 'the revocation was never committed');
    assert.equal(principal?.token.revokedAt, null);
  });

  test('a grant while another transaction is open waits for it, and its token works', async () => {
    const g = gate();
    const tx = ctx.store.transaction(async () => {
      await g.opened;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const pending = z.s2sToken();
    await new Promise((resolve) => setTimeout(resolve, 20));
    g.open();
    await tx;
    const token = await pending;
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
    assert.equal(res.status, 200);
  });
});

describe('hot path: the HMAC JWT signer', () => {
  const key = Buffer.alloc(32, 7);
  const payload = {
    ver: 10,
    typ: 'access',
    aid: 'a',
    uid: null,
    scope: 'x y',
    iat: 1700000000,
    exp: 1700003600,
  };

  test('writes the bytes fast-jwt writes, for HS512 and HS256', () => {
    const ours512 = createHmacJwtSigner(key, 'HS512', { typ: 'JWT', kid: 'k1', v: '2.0' });
    const theirs512 = createSigner({
      key,
      algorithm: 'HS512',
      header: { alg: 'HS512', v: '2.0', kid: 'k1' },
    });
    assert.equal(ours512(payload), theirs512(payload));
    const header = { typ: 'JWT', sv: '000001', zm_skm: 'zm_o2m' };
    const ours256 = createHmacJwtSigner(key, 'HS256', header);
    const theirs256 = createSigner({ key, algorithm: 'HS256', header: { ...header, alg: 'HS256' } });
    assert.equal(ours256(payload), theirs256(payload));
  });

  test('is verified by fast-jwt with the same key and refused with another', () => {
    const token = createHmacJwtSigner(key, 'HS512', { typ: 'JWT' })(payload);
    const verify = createVerifier({ key, algorithms: ['HS512'], ignoreExpiration: true });
    assert.equal(verify(token).aid, 'a');
    const other = createVerifier({ key: Buffer.alloc(32, 8), algorithms: ['HS512'], ignoreExpiration: true });
    assert.throws(() => other(token), /signature/i);
  });
});

describe('hot path: token ids', () => {
  test('are RFC 9562 version 7 UUIDs, ordered by time, random within a millisecond', () => {
    const format = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const early = timeOrderedUuid(Date.UTC(2026, 0, 1));
    const late = timeOrderedUuid(Date.UTC(2026, 0, 1) + 1);
    assert.match(early, format);
    assert.match(late, format);
    assert.ok(early < late, 'a later millisecond sorts after');
    assert.equal(
      early.slice(0, 13),
      `${Date.UTC(2026, 0, 1).toString(16).padStart(12, '0').slice(0, 8)}-${Date.UTC(2026, 0, 1).toString(16).padStart(12, '0').slice(8)}`,
    );
    const sameMs = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(1_800_000_000_000)));
    assert.equal(sameMs.size, 1000, 'no collisions within one millisecond');
  });

  test('issued tokens carry one as jti and record id', async () => {
    const z = await startTestZemu();
    try {
      const token = await z.s2sToken();
      assert.match(jtiOf(token), /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    } finally {
      await z.close();
    }
  });
});

/**
 * The principal cache (store/repos/principals.ts over the write epoch of store/db.ts): every write that
 * can change a principal is seen by the very next request. The oracle for "exact" is the same lookup
 * through a Kysely without the cache (`db.withoutPlugins()` is another instance: no epoch, no raw handle).
 */
describe('hot path: the principal cache is exact', () => {
  let z: TestZemu;
  let ctx: Ctx;
  let uncached: PrincipalsRepo;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
    uncached = new PrincipalsRepo(ctx.store.db.withoutPlugins());
  });
  after(() => z.close());

  const zak = (token: string) => z.api('GET', '/users/me/token?type=zak', token);
  const userZak = (token: string, userId: string) => z.api('GET', `/users/${userId}/token?type=zak`, token);

  /** Warms the cache for the token, then checks that a cached lookup equals the uncached one. */
  async function assertExact(token: string): Promise<void> {
    const jti = jtiOf(token);
    const cached = ctx.store.principals.loadByTokenIdNow(jti);
    assert.deepEqual(cached, await uncached.loadByTokenId(jti));
  }

  async function newUser(): Promise<{ id: string; email: string; token: string }> {
    const email = `cache-${timeOrderedUuid().slice(-12)}@example.test`;
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email,
      first_name: 'Cache',
      last_name: 'Test',
      password: 'cache-test-password-1',
    });
    assert.equal(res.status, 201, res.text);
    const token = await userToken(z, { email, scopes: ['user:read:token', 'user:read:user'] });
    return { id: res.body.id as string, email, token };
  }

  test('a second lookup is answered from the cache: the same frozen context, no new read', async () => {
    const token = await z.s2sToken();
    const first = ctx.store.principals.loadByTokenIdNow(jtiOf(token));
    const second = ctx.store.principals.loadByTokenIdNow(jtiOf(token));
    assert.ok(first && first !== NOT_NOW);
    assert.equal(second, first, 'the cached context itself');
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.token) && Object.isFrozen(first.token.scopes));
    await assertExact(token);
  });

  test('revocation through /oauth/revoke: the next request is refused', async () => {
    const token = await z.s2sToken();
    assert.equal((await zak(token)).status, 200);
    assert.equal((await zak(token)).status, 200);
    const revoked = await z.request('POST', `/oauth/revoke?token=${token}`, {
      headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) },
    });
    assert.equal(revoked.status, 200, revoked.text);
    const next = await zak(token);
    assert.equal(next.status, 401);
    assert.equal(next.body.code, 124);
    await assertExact(token);
  });

  test('tolerance: a newer token of a legacy single-token app invalidates the cached older one', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'cache legacy',
      type: 'server_to_server',
      scopes: ['user:read:token:admin', 'user:read:token'],
      settings: { legacy_single_token: true },
    });
    assert.equal(app.status, 201, app.text);
    const credentials = { ...z.demo, client_id: app.body.client_id, client_secret: app.body.client_secret };
    const older = await z.s2sToken(credentials);
    const first = await userZak(older, z.demo.user_id);
    assert.equal(first.status, 200, first.text);
    assert.equal((await userZak(older, z.demo.user_id)).status, 200);
    const newer = await z.s2sToken(credentials);
    assert.equal((await userZak(older, z.demo.user_id)).status, 401);
    assert.equal((await userZak(newer, z.demo.user_id)).status, 200);
    await assertExact(older);
  });

  test('app disable, enable, scope change and delete: each seen by the next request', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'cache app',
      type: 'server_to_server',
      scopes: ['user:read:token:admin'],
    });
    const credentials = { ...z.demo, client_id: app.body.client_id, client_secret: app.body.client_secret };
    const token = await z.s2sToken(credentials);
    const path = `/apps/${credentials.client_id}`;
    assert.equal((await userZak(token, z.demo.user_id)).status, 200);
    assert.equal((await z.control('PATCH', path, { enabled: false })).status, 200);
    assert.equal((await userZak(token, z.demo.user_id)).status, 401);
    await assertExact(token);
    assert.equal((await z.control('PATCH', path, { enabled: true })).status, 200);
    assert.equal((await userZak(token, z.demo.user_id)).status, 200);
    assert.equal((await z.control('PATCH', path, { scopes: ['user:read:user:admin'] })).status, 200);
    const principal = authenticate(ctx, `Bearer ${token}`, undefined);
    assert.ok(!(principal instanceof Promise));
    assert.deepEqual(principal.app.scopes, ['user:read:user:admin']);
    await assertExact(token);
    assert.equal((await z.control('DELETE', path)).status, 204);
    assert.equal((await userZak(token, z.demo.user_id)).status, 401);
    await assertExact(token);
  });

  test("a user's status, type, role, email and deletion: each seen by the next request", async () => {
    const user = await newUser();
    const admin = await z.s2sToken();
    const first = await zak(user.token);
    assert.equal(first.status, 200, first.text);
    const status = (action: string) => z.api('PUT', `/users/${user.id}/status`, admin, { action });
    assert.equal((await status('deactivate')).status, 204);
    const refused = await zak(user.token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 124);
    assert.equal((await status('activate')).status, 204);
    assert.equal((await zak(user.token)).status, 200);
    const patched = await z.api('PATCH', `/users/${user.id}`, admin, { type: 2 });
    assert.equal(patched.status, 204, patched.text);
    const principal = authenticate(ctx, `Bearer ${user.token}`, undefined);
    assert.ok(!(principal instanceof Promise));
    assert.equal(principal.user?.type, 2);
    await assertExact(user.token);
    // Role and email: whatever the route changes, the next lookup is the database's.
    await z.api('PATCH', `/users/${user.id}`, admin, { role_id: '2' });
    await assertExact(user.token);
    const email = `moved-${user.email}`;
    await ctx.store.users.update(user.id, { email });
    const moved = authenticate(ctx, `Bearer ${user.token}`, undefined);
    assert.ok(!(moved instanceof Promise));
    assert.equal(moved.user?.email, email);
    assert.equal((await z.api('DELETE', `/users/${user.id}?action=delete`, admin)).status, 204);
    const gone = await zak(user.token);
    assert.equal(gone.status, 401);
    await assertExact(user.token);
  });

  test('refresh rotation: the rotated grant is judged from the database on the next request', async () => {
    const user = await newUser();
    assert.equal((await zak(user.token)).status, 200);
    // Revoking the grant the way rotation and reuse detection do (tokens.revokeGrant).
    const record = ctx.store.principals.loadByTokenIdNow(jtiOf(user.token));
    assert.ok(record && record !== NOT_NOW);
    await ctx.store.tokens.revokeGrant(record.token.grantId, ctx.clock.now(), 'rotated in a test');
    assert.equal((await zak(user.token)).status, 401);
    await assertExact(user.token);
  });

  test('expiry is read from the emulated clock on every request, cached or not', async () => {
    const token = await z.s2sToken();
    assert.equal((await zak(token)).status, 200);
    z.zemu.clock.advance(3601);
    try {
      const expired = await zak(token);
      assert.equal(expired.status, 401);
      assert.match(expired.body.message, /expired/i);
    } finally {
      z.zemu.clock.set(new Date());
    }
  });

  test('reset and restore replace every cached principal', async () => {
    const snapshot = await z.zemu.snapshot('before the token');
    const token = await z.s2sToken();
    assert.equal((await zak(token)).status, 200);
    await z.zemu.restore(snapshot);
    assert.equal((await zak(token)).status, 401, 'restored to a state without the token');
    const again = await z.s2sToken();
    const kept = await z.zemu.snapshot('with the token');
    assert.equal((await zak(again)).status, 200);
    await z.zemu.reset();
    assert.equal((await zak(again)).status, 401, 'reset forgets it');
    await z.zemu.restore(kept);
    assert.equal((await zak(again)).status, 200, 'restored with it');
  });

  test('under concurrent load, every request sent after a revocation answered is refused', async () => {
    const token = await z.s2sToken();
    assert.equal((await zak(token)).status, 200);
    let revokedAt = Number.POSITIVE_INFINITY;
    const late: number[] = [];
    let early = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const sentAt = performance.now();
        const res = await zak(token);
        if (sentAt > revokedAt) late.push(res.status);
        else if (res.status === 200) early++;
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const revoked = await z.request('POST', `/oauth/revoke?token=${token}`, {
      headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) },
    });
    assert.equal(revoked.status, 200);
    revokedAt = performance.now();
    while (late.length < 64) await new Promise((resolve) => setImmediate(resolve));
    stop = true;
    await Promise.all(workers);
    assert.ok(early > 0, 'requests before the revocation were answered');
    assert.deepEqual(new Set(late), new Set([401]), 'every request after it is refused');
  });

  test('the schema keeps the cache exact: no cascade into, and no trigger writing, a principal table', () => {
    const raw = rawSqlite(ctx.store.db);
    assert.ok(raw);
    for (const table of ['tokens', 'apps', 'users', 'accounts']) {
      const keys = raw.prepare(`pragma foreign_key_list(${table})`).all() as {
        on_update: string;
        on_delete: string;
      }[];
      for (const key of keys) {
        assert.ok(['NO ACTION', 'RESTRICT'].includes(key.on_delete), `${table}: on delete ${key.on_delete}`);
        assert.ok(['NO ACTION', 'RESTRICT'].includes(key.on_update), `${table}: on update ${key.on_update}`);
      }
    }
    const triggers = raw.prepare("select name, sql from sqlite_master where type = 'trigger'").all() as {
      name: string;
      sql: string;
    }[];
    for (const trigger of triggers) {
      assert.doesNotMatch(
        trigger.sql.replace(/^[\s\S]*?\bbegin\b/i, ''),
        /\b(update|delete\s+from|insert\s+or\s+replace\s+into|replace\s+into)\s+"?(tokens|apps|users|accounts)\b/i,
        `trigger ${trigger.name} writes a principal table: the epoch would not see it`,
      );
    }
  });

  test('which statements move the epoch', () => {
    assert.equal(mayChangePrincipals('insert into "tokens" ("id") values (?)'), false);
    assert.equal(
      mayChangePrincipals('insert into "users" ("id") values (?) on conflict do update set x = 1'),
      true,
    );
    assert.equal(mayChangePrincipals('update "tokens" set "revoked_at" = ?'), true);
    assert.equal(mayChangePrincipals('delete from "users" where "id" = ?'), true);
    assert.equal(mayChangePrincipals('update "accounts" set "plan" = ?'), true);
    assert.equal(mayChangePrincipals('update "webhook_deliveries" set "claimed_at" = ?'), false);
    assert.equal(mayChangePrincipals('delete from "oauth_codes" where "code_hash" = ?'), false);
    assert.equal(mayChangePrincipals('replace into "apps" values (?)'), true);
    assert.equal(mayChangePrincipals('with x as (select 1) update "apps" set "enabled" = 0'), true);
    assert.equal(mayChangePrincipals('drop table "apps"'), true);
  });
});

describe("hot path: the token endpoint's client cache is exact", () => {
  let z: TestZemu;
  let ctx: Ctx;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
  });
  after(() => z.close());

  const grant = (clientId: string, secret: string) =>
    z.request('POST', `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`, {
      headers: { authorization: basic(clientId, secret) },
    });

  async function newApp(): Promise<{ clientId: string; secret: string }> {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: `client cache ${timeOrderedUuid().slice(-8)}`,
      type: 'server_to_server',
      scopes: ['user:read:token:admin'],
    });
    assert.equal(app.status, 201, app.text);
    return { clientId: app.body.client_id as string, secret: app.body.client_secret as string };
  }

  test('a second lookup is the same frozen app; a write to any app gives a new one', async () => {
    const { clientId, secret } = await newApp();
    assert.equal((await grant(clientId, secret)).status, 200);
    const first = await ctx.store.apps.findForClientAuth(clientId);
    assert.ok(first && Object.isFrozen(first) && Object.isFrozen(first.scopes));
    assert.equal(await ctx.store.apps.findForClientAuth(clientId), first);
    assert.equal((await z.control('PATCH', `/apps/${z.demo.client_id}`, { enabled: true })).status, 200);
    const after = await ctx.store.apps.findForClientAuth(clientId);
    assert.notEqual(after, first, 'read again after the write');
    assert.deepEqual(after, first);
  });

  test('a wrong secret after the right one is still refused, and the right one still works', async () => {
    const { clientId, secret } = await newApp();
    assert.equal((await grant(clientId, secret)).status, 200);
    for (const wrong of [`${secret.slice(0, -1)}x`, `${secret}x`, '', secret.slice(1)]) {
      const refused = await grant(clientId, wrong);
      assert.equal(refused.status, 400, wrong);
      assert.equal(refused.body.reason, 'Invalid client_id or client_secret');
    }
    assert.equal((await grant(clientId, secret)).status, 200);
  });

  test('a secret rotated in the database: the old one fails on the next grant, the new one works', async () => {
    const { clientId, secret } = await newApp();
    assert.equal((await grant(clientId, secret)).status, 200);
    assert.equal((await grant(clientId, secret)).status, 200);
    const rotated = `rotated-${timeOrderedUuid()}`;
    await ctx.store.db
      .updateTable('apps')
      .set({ client_secret_hash: ctx.keys.hashSecret(rotated) })
      .where('client_id', '=', clientId)
      .execute();
    const old = await grant(clientId, secret);
    assert.equal(old.status, 400);
    assert.equal(old.body.reason, 'Invalid client_id or client_secret');
    assert.equal((await grant(clientId, rotated)).status, 200);
  });

  test('app disable, enable, scope change and delete: each seen by the next grant', async () => {
    const { clientId, secret } = await newApp();
    const path = `/apps/${clientId}`;
    assert.equal((await grant(clientId, secret)).status, 200);
    assert.equal((await z.control('PATCH', path, { enabled: false })).status, 200);
    const disabled = await grant(clientId, secret);
    assert.equal(disabled.status, 400, disabled.text);
    assert.equal(disabled.body.reason, 'The app has been disabled');
    assert.equal((await z.control('PATCH', path, { enabled: true })).status, 200);
    assert.equal((await grant(clientId, secret)).status, 200);
    assert.equal((await z.control('PATCH', path, { scopes: ['user:read:user:admin'] })).status, 200);
    const rescoped = await grant(clientId, secret);
    assert.equal(rescoped.status, 200);
    assert.equal(rescoped.body.scope, 'user:read:user:admin');
    assert.equal((await z.control('DELETE', path)).status, 204);
    const deleted = await grant(clientId, secret);
    assert.equal(deleted.status, 400);
    assert.equal(deleted.body.reason, 'Invalid client_id or client_secret');
  });

  test('under concurrent grants, every grant sent after a disable answered is refused', async () => {
    const { clientId, secret } = await newApp();
    const load = () => Promise.all(Array.from({ length: 16 }, () => grant(clientId, secret)));
    assert.deepEqual(new Set((await load()).map((r) => r.status)), new Set([200]));
    const running = load();
    assert.equal((await z.control('PATCH', `/apps/${clientId}`, { enabled: false })).status, 200);
    await running;
    assert.deepEqual(new Set((await load()).map((r) => r.status)), new Set([400]));
  });

  test('reset replaces the cached apps: an app created since is unknown on the next grant', async () => {
    const { clientId, secret } = await newApp();
    assert.equal((await grant(clientId, secret)).status, 200);
    assert.equal((await z.control('POST', '/reset')).status, 204);
    const unknown = await grant(clientId, secret);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.reason, 'Invalid client_id or client_secret');
  });
});

describe('start-up: the demo password hashed ahead', () => {
  test('a public password is hashed once per process and verifies; any other gets its own salt', async () => {
    const password = `ahead-${timeOrderedUuid()}`;
    hashPasswordAhead(password);
    hashPasswordAhead(password); // one hash, however often it is asked for
    const first = await hashPassword(password);
    const second = await hashPassword(password);
    assert.equal(first, second, 'every start in the process takes the same hash');
    assert.ok(await verifyPassword(password, first));
    assert.equal(await verifyPassword(`${password}x`, first), false);
    const secret = `secret-${timeOrderedUuid()}`;
    const [a, b] = [await hashPassword(secret), await hashPassword(secret)];
    assert.notEqual(
      a.split('$')[1],
      b.split('$')[1],
      'a fresh salt for each hash of a password not made public',
    );
  });
});

const postgres = await postgresRequirement();

describe('hot path: two instances on one PostgreSQL database (no principal cache)', {
  skip: 'skip' in postgres && postgres.skip,
}, () => {
  const pgSchema = postgresSchema('hotpath');
  let a: TestZemu;
  let b: TestZemu;
  before(async () => {
    await pgSchema.create();
    a = await startTestZemu({ databaseUrl: pgSchema.url });
    b = await startTestZemu({ databaseUrl: pgSchema.url });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await pgSchema.drop();
  });

  test('PostgreSQL has no write epoch, so nothing is cached', () => {
    assert.equal(principalEpoch(a.zemu.built.ctx.store.db), undefined);
  });

  test("a revocation and an app disable on one instance are seen by the other's very next request", async () => {
    const created = await b.control('POST', `/accounts/${a.demo.account_id}/apps`, {
      name: 'pg hot path',
      type: 'server_to_server',
      scopes: ['user:read:token:admin'],
    });
    assert.equal(created.status, 201, created.text);
    const credentials = {
      ...a.demo,
      client_id: created.body.client_id,
      client_secret: created.body.client_secret,
    };
    const zakOn = (z: TestZemu, token: string) =>
      z.api('GET', `/users/${a.demo.user_id}/token?type=zak`, token);
    const token = await a.s2sToken(credentials);
    // Concurrent load on A while B writes.
    const load = () => Promise.all(Array.from({ length: 8 }, () => zakOn(a, token)));
    assert.deepEqual(new Set((await load()).map((r) => r.status)), new Set([200]));
    assert.equal(
      (await b.control('PATCH', `/apps/${credentials.client_id}`, { enabled: false })).status,
      200,
    );
    assert.deepEqual(new Set((await load()).map((r) => r.status)), new Set([401]));
    assert.equal((await b.control('PATCH', `/apps/${credentials.client_id}`, { enabled: true })).status, 200);
    assert.deepEqual(new Set((await load()).map((r) => r.status)), new Set([200]));
    const revoked = await b.request('POST', `/oauth/revoke?token=${token}`, {
      headers: { authorization: basic(credentials.client_id, credentials.client_secret) },
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.deepEqual(new Set((await load()).map((r) => r.status)), new Set([401]));
  });
});
