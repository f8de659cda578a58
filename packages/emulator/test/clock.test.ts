import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Clock } from '../src/clock.js';
import { constantTimeEqual, hashPassword, Keys, verifyPassword } from '../src/crypto.js';

describe('Clock', () => {
  test('runs with real time plus an offset, and advances', () => {
    let real = 1_000_000;
    const clock = new Clock(undefined, () => real);
    assert.equal(clock.now(), 1_000_000);
    real += 500;
    assert.equal(clock.now(), 1_000_500);
    clock.advance(10);
    assert.equal(clock.now(), 1_010_500);
  });

  test('a frozen clock stands still until advanced or set', () => {
    let real = 0;
    const clock = new Clock(undefined, () => real);
    clock.freeze(true);
    real += 99_999;
    assert.equal(clock.now(), 0);
    clock.advance(1.5);
    assert.equal(clock.now(), 1500);
    clock.set(42_000);
    assert.equal(clock.now(), 42_000);
    clock.freeze(false);
    real += 1000;
    assert.equal(clock.now(), 43_000, 'unfreezing resumes from the frozen time');
  });

  test('reports every change so it can be persisted', () => {
    const clock = new Clock(undefined, () => 0);
    const seen: unknown[] = [];
    clock.onChange((s) => seen.push(s));
    clock.advance(1);
    clock.freeze(true);
    assert.deepEqual(seen, [
      { offsetMs: 1000, frozenAt: null },
      { offsetMs: 1000, frozenAt: 1000 },
    ]);
  });
});

describe('secrets', () => {
  const keys = new Keys(Buffer.alloc(64, 7));
  test('client secrets: keyed hash, verified in constant time', () => {
    const hash = keys.hashSecret('s3cret');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.notEqual(hash, new Keys(Buffer.alloc(64, 8)).hashSecret('s3cret'), 'the hash is keyed');
    assert.equal(keys.verifySecret('s3cret', hash), true);
    assert.equal(keys.verifySecret('s3cret!', hash), false);
    assert.equal(constantTimeEqual('abc', 'abcd'), false);
  });

  test('passwords: scrypt with a salt', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    assert.notEqual(a, b, 'salted');
    assert.match(a, /^scrypt\$/);
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('wrong horse', a), false);
    assert.equal(await verifyPassword('x', null), false);
  });
});
