import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSigner, createVerifier } from 'fast-jwt';
import type { Ctx } from '../src/context.js';
import { authenticate } from '../src/guard/bearer.js';
import { createHmacJwtSigner, timeOrderedUuid } from '../src/oauth/tokens.js';
import { startTestZemu, type TestZemu } from './helpers.js';

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
