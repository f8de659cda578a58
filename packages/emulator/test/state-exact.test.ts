/**
 * Reset and restore are exact: after either, every table holds what it held at snapshot time (or
 * after the first reset), row for row and in rowid order, whichever way the load went (a copy of
 * pages on in-memory SQLite once an image has one, rows otherwise).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { rawSqlite } from '../src/store/db.js';
import { bulkUsers, startTestZemu, stateDigest, type TestZemu } from './helpers.js';

/** A world that touches most tables: users, a deleted user, tokens, a meeting, settings, a subscription. */
async function grow(z: TestZemu, tag: string): Promise<string> {
  const token = await z.s2sToken();
  await bulkUsers(z, z.demo.account_id, 5);
  const created = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
    email: `${tag}@exact.test`,
  });
  assert.equal(created.status, 201, created.text);
  const deleted = await z.api('DELETE', `/users/${created.body.id}?action=delete`, token);
  assert.equal(deleted.status, 204, deleted.text);
  const patched = await z.api('PATCH', '/users/me', token, { dept: tag });
  assert.equal(patched.status, 204, patched.text);
  const meeting = await z.api('POST', '/users/me/meetings', token, { topic: tag, type: 2 });
  assert.equal(meeting.status, 201, meeting.text);
  await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
  return token;
}

/** Lets the clock's own write of its row (a moment after each change) land. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function exactness(label: string, start: () => Promise<TestZemu>) {
  describe(`exact reset and restore (${label})`, () => {
    test('a restore brings back every table as it was, row for row, any number of times', async () => {
      const z = await start();
      try {
        // The dispatcher would fan the restored queue out at its own moment: held, the queue is
        // compared as the snapshot has it.
        await z.control('PATCH', '/webhooks/dispatcher', { paused: true });
        const token = await grow(z, 'before');
        const id = (await z.control('POST', '/snapshots', { name: 'exact' })).body.id;
        await settle();
        const atSnapshot = await stateDigest(z);
        for (let round = 0; round < 3; round++) {
          await grow(z, `after-${round}`);
          await z.control('POST', '/clock', { advance: 3600 });
          assert.notEqual(await stateDigest(z), atSnapshot);
          assert.equal((await z.control('POST', `/snapshots/${id}/restore`)).status, 200);
          await settle();
          assert.equal(await stateDigest(z), atSnapshot, `round ${round}`);
          assert.equal((await z.api('GET', '/users/me', token)).body.dept, 'before');
        }
      } finally {
        await z.close();
      }
    });

    test('a reset comes back to the same tables each time', async () => {
      const z = await start();
      try {
        await z.control('POST', '/reset');
        await settle();
        const fresh = await stateDigest(z);
        for (let round = 0; round < 3; round++) {
          await grow(z, `round-${round}`);
          await z.control('POST', '/reset');
          await settle();
          assert.equal(await stateDigest(z), fresh, `round ${round}`);
          const token = await z.s2sToken();
          assert.equal((await z.api('GET', '/users', token)).body.total_records, 1);
        }
      } finally {
        await z.close();
      }
    });

    test('snapshots taken or deleted after a snapshot stay so when it is restored', async () => {
      const z = await start();
      try {
        const a = (await z.control('POST', '/snapshots', { name: 'a' })).body.id;
        const b = (await z.control('POST', '/snapshots', { name: 'b' })).body.id;
        await z.control('POST', `/snapshots/${a}/restore`);
        await z.control('POST', `/snapshots/${b}/restore`);
        const c = (await z.control('POST', '/snapshots', { name: 'c' })).body.id;
        assert.equal((await z.control('DELETE', `/snapshots/${b}`)).status, 204);
        const ids = async () =>
          (await z.control('GET', '/snapshots')).body.snapshots.map((s: { id: string }) => s.id);
        for (const target of [a, c, a]) {
          assert.equal((await z.control('POST', `/snapshots/${target}/restore`)).status, 200);
          assert.deepEqual(await ids(), [a, c]);
          await z.control('POST', '/reset');
          assert.deepEqual(await ids(), [a, c]);
        }
        assert.equal((await z.control('POST', `/snapshots/${b}/restore`)).status, 404);
      } finally {
        await z.close();
      }
    });
  });
}

exactness('SQLite in memory', () => startTestZemu({ clock: { set: '2030-01-01T00:00:00Z', frozen: true } }));

exactness('SQLite file', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-exact-'));
  const z = await startTestZemu({
    memory: false,
    dataDir,
    clock: { set: '2030-01-01T00:00:00Z', frozen: true },
  });
  return {
    ...z,
    async close() {
      await z.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

test('a restore on in-memory SQLite swaps the connection, and the hot path follows it', async () => {
  const z = await startTestZemu();
  try {
    const token = await z.s2sToken();
    const id = (await z.control('POST', '/snapshots')).body.id;
    const { store } = z.zemu.built.ctx;
    const before = rawSqlite(store.db);
    await z.control('POST', `/snapshots/${id}/restore`);
    await z.control('POST', `/snapshots/${id}/restore`);
    const after = rawSqlite(store.db);
    assert.notEqual(after, before, 'the restore opened the kept page image');
    assert.equal(before?.open, false, 'the replaced connection is closed');
    assert.equal(after?.pragma('foreign_keys', { simple: true }), 1);
    // The token lookup (compile-once statements) and a write both run on the new connection.
    assert.equal((await z.api('PATCH', '/users/me', token, { dept: 'Swapped' })).status, 204);
    assert.equal((await z.api('GET', '/users/me', token)).body.dept, 'Swapped');
    assert.equal(
      after?.prepare('select dept from users where id = ?').pluck().get(z.demo.user_id),
      'Swapped',
    );
  } finally {
    await z.close();
  }
});
