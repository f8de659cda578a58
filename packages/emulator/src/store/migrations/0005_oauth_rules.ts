/**
 * OAuth rules (issue 3, app rules and token validity): the tolerance index of each legacy-mode
 * Server-to-Server token, user privileges (e.g. scheduling) and the shared access users grant apps.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const big = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('token_tolerance')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    // -1: issued without an `index` parameter.
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('issued_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('token_tolerance_client')
    .on('token_tolerance')
    .columns(['client_id', 'idx'])
    .execute();

  await db.schema
    .createTable('user_privileges')
    .addColumn('grantor_user_id', 'text', (c) => c.notNull())
    .addColumn('grantee_user_id', 'text', (c) => c.notNull())
    .addColumn('privilege', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_privileges_pk', ['grantor_user_id', 'grantee_user_id', 'privilege'])
    .execute();

  await db.schema
    .createTable('shared_access')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('shared_access_pk', ['user_id', 'client_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shared_access').execute();
  await db.schema.dropTable('user_privileges').execute();
  await db.schema.dropTable('token_tolerance').execute();
}
