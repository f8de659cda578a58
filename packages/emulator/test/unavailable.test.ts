/**
 * Which failures of a dependency answer 503 (the store or Redis is away, or full) rather than a 500
 * that names a bug (http/unavailable.ts); the HTTP side of each is in serial/dependency-faults.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unavailableDependency } from '../src/http/unavailable.js';

test('a full store (SQLITE_FULL: a full disk, or an in-memory database at its 1 GiB) is a dependency away', () => {
  const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  assert.equal(unavailableDependency(full), 'database or disk is full (SQLITE_FULL)');
  assert.equal(
    unavailableDependency(new Error('wrapped', { cause: full })),
    'database or disk is full (SQLITE_FULL)',
  );
  const bug = Object.assign(new Error('UNIQUE constraint failed: users.email'), {
    code: 'SQLITE_CONSTRAINT_UNIQUE',
  });
  assert.equal(unavailableDependency(bug), undefined, 'a constraint is a bug of ours, not a dependency away');
});
