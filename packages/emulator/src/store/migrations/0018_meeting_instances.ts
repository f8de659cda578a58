/**
 * The meeting lifecycle (issue 16): each started instance of a meeting, keyed by the uuid the meeting
 * had while it ran, and who was in it, with join and leave times on the emulated clock. Neither table
 * refers to `meetings` by a foreign key: a past instance outlives its meeting's deletion, as at Zoom.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const big = pg ? 'bigint' : 'integer';
  await db.schema
    .createTable('meeting_instances')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('meeting_id', big, (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    /** What the meeting was while this instance ran. */
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('duration', 'integer')
    /** Epoch ms on the emulated clock; `end_time` null while the instance is live. */
    .addColumn('start_time', big, (c) => c.notNull())
    .addColumn('end_time', big)
    .execute();
  await db.schema
    .createIndex('meeting_instances_meeting')
    .on('meeting_instances')
    .columns(['meeting_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('meeting_instances_host')
    .on('meeting_instances')
    .columns(['host_id', 'start_time'])
    .execute();
  await db.schema
    .createTable('meeting_participants')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('instance_uuid', 'text', (c) => c.notNull())
    .addColumn('meeting_id', big, (c) => c.notNull())
    /** Zoom's per-meeting participant id (`user_id` in its answers): unique within the instance. */
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('participant_uuid', 'text', (c) => c.notNull().unique())
    /** The Zoom user's id when the participant is a signed-in user, else null. */
    .addColumn('user_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('is_host', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('join_time', big, (c) => c.notNull())
    .addColumn('leave_time', big)
    .addColumn('leave_reason', 'text')
    .execute();
  await db.schema
    .createIndex('meeting_participants_instance')
    .on('meeting_participants')
    .columns(['instance_uuid', 'seq'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_participants').execute();
  await db.schema.dropTable('meeting_instances').execute();
}
