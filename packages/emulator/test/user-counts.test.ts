/**
 * The per-(account, status, role) user counts behind GET /users' total_records are kept by database
 * triggers: after any mix of inserts, status and role changes, moves and deletes they equal a real count,
 * on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UserStatus } from '../src/store/models.js';
import { bulkUsers, postgresSchema, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const postgres = await postgresRequirement();

async function exercise(z: TestZemu): Promise<void> {
  const { store } = z.zemu.built.ctx;
  const other = await z.control('POST', '/accounts', { owner: { email: `counts-${Date.now()}@other.test` } });
  await bulkUsers(z, z.demo.account_id, 40);
  await bulkUsers(z, z.demo.account_id, 5, 'pending');
  const users = await store.db
    .selectFrom('users')
    .select(['id'])
    .where('account_id', '=', z.demo.account_id)
    .execute();
  const ids = users.map((u) => u.id).filter((id) => id !== z.demo.user_id);
  // Status changes, a role change, a move to another account, deletes, and a no-op update.
  for (const id of ids.slice(0, 6)) await store.users.setStatus(id, 'inactive');
  await store.db.updateTable('users').set({ role_id: '1' }).where('id', '=', ids[7]!).execute();
  await store.db.updateTable('users').set({ account_id: other.body.id }).where('id', '=', ids[8]!).execute();
  await store.db.deleteFrom('users').where('id', 'in', ids.slice(9, 12)).execute();
  await store.db.updateTable('users').set({ first_name: 'Renamed' }).where('id', '=', ids[13]!).execute();
  // A transaction that fails leaves the counts as they were.
  await assert.rejects(
    store.transaction(async (trx) => {
      await trx.users.setStatus(ids[14]!, 'inactive');
      throw new Error('rolled back');
    }),
  );

  for (const accountId of [z.demo.account_id, other.body.id as string]) {
    for (const status of ['active', 'inactive', 'pending'] as UserStatus[]) {
      for (const roleId of [undefined, '0', '1', '2']) {
        let query = store.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', '=', accountId)
          .where('status', '=', status);
        if (roleId !== undefined) query = query.where('role_id', '=', roleId);
        const real = Number((await query.executeTakeFirstOrThrow()).n);
        assert.equal(
          await store.users.count({ accountId, status, roleId }),
          real,
          `${accountId} ${status} role ${roleId ?? 'any'}`,
        );
      }
    }
  }
  assert.equal(await store.users.count({ accountId: z.demo.account_id, status: 'inactive' }), 6);
}

describe('user counts kept by triggers', () => {
  test('SQLite: equal to a real count after inserts, changes, moves, deletes and a rollback', async () => {
    const z = await startTestZemu();
    try {
      await exercise(z);
    } finally {
      await z.close();
    }
  });

  describe('PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
    const pgSchema = postgresSchema('counts');
    before(async () => {
      await pgSchema.create();
    });
    after(async () => {
      await pgSchema.drop();
    });
    test('equal to a real count after inserts, changes, moves, deletes and a rollback', async () => {
      const z = await startTestZemu({
        databaseUrl: pgSchema.url,
      });
      try {
        await exercise(z);
      } finally {
        await z.close();
      }
    });
  });
});
