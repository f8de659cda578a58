import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const big = pg ? 'bigint' : 'integer';
  // Meetings (api/meetings). `id` is Zoom's meeting number: 11 digits, beyond 32 bits, so bigint on
  // PostgreSQL (parsed back to a JS number by store/db.ts). `seq` keeps creation order for tie-breaks.
  await db.schema
    .createTable('meetings')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', big, (c) => c.notNull().unique())
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    /** Epoch ms (UTC) or null for type 3 (recurring, no fixed time). */
    .addColumn('start_time', big)
    .addColumn('duration', 'integer')
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('agenda', 'text', (c) => c.notNull())
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('h323_password', 'text', (c) => c.notNull())
    .addColumn('pre_schedule', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON objects. */
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('recurrence', 'text')
    .addColumn('tracking_fields', 'text')
    /** JSON array of the occurrence ids (type 8) deleted one by one. */
    .addColumn('deleted_occurrences', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('started_at', big)
    .execute();
  await db.schema.createIndex('meetings_host').on('meetings').columns(['host_id', 'seq']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meetings').execute();
}
