/**
 * Cloud recordings (issue 16): one recording per ended meeting instance whose meeting asked for cloud
 * recording, keyed by that instance's uuid, and its files. Zemu's files are the small assets shipped
 * in assets/recordings/ (`asset` names one); the rows say what Zoom's API says about them. A recording,
 * or one file, may be in the trash (`trashed_at`), from where it is recovered or deleted for good.
 * Like the instances, nothing refers to `meetings` by a foreign key: recordings outlive their meeting.
 *
 * Numbered 0022, after 0021 (the lifecycle sweep), which landed first: Kysely refuses a database
 * whose applied migrations are not a prefix of the list, so a new one never takes an earlier number.
 * The `trashed_at` indexes let the sweeper find what the trash has kept for 30 days without a scan;
 * they are partial (only what is in the trash), so that no list of what is out of it picks them.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const big = pg ? 'bigint' : 'integer';
  const serial = pg ? 'bigserial' : 'integer';
  await db.schema
    .createTable('recordings')
    .addColumn('seq', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    /** The instance's uuid (meeting_instances.uuid). */
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('meeting_id', big, (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    /** Epoch ms on the emulated clock: the instance's start and end. */
    .addColumn('start_time', big, (c) => c.notNull())
    .addColumn('end_time', big, (c) => c.notNull())
    /** The recording's sharing settings (GET/PATCH .../recordings/settings), a JSON object. */
    .addColumn('settings', 'text', (c) => c.notNull())
    /** When the whole recording went to the trash; null when it is not there. */
    .addColumn('trashed_at', big)
    .execute();
  await db.schema
    .createIndex('recordings_host')
    .on('recordings')
    .columns(['host_id', 'start_time', 'seq'])
    .execute();
  await db.schema.createIndex('recordings_meeting').on('recordings').columns(['meeting_id', 'seq']).execute();
  await db.schema
    .createIndex('recordings_trashed')
    .on('recordings')
    .columns(['trashed_at'])
    .where(sql.ref('trashed_at'), 'is not', null)
    .execute();
  await db.schema
    .createTable('recording_files')
    .addColumn('seq', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('recording_uuid', 'text', (c) => c.notNull().references('recordings.uuid'))
    .addColumn('file_type', 'text', (c) => c.notNull())
    .addColumn('file_extension', 'text', (c) => c.notNull())
    .addColumn('recording_type', 'text', (c) => c.notNull())
    /** Which asset of assets/recordings/ the file serves. */
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('file_size', big, (c) => c.notNull())
    .addColumn('recording_start', big, (c) => c.notNull())
    .addColumn('recording_end', big, (c) => c.notNull())
    /** When this file alone went to the trash; null when it is not there. */
    .addColumn('trashed_at', big)
    .execute();
  await db.schema
    .createIndex('recording_files_recording')
    .on('recording_files')
    .columns(['recording_uuid', 'seq'])
    .execute();
  await db.schema
    .createIndex('recording_files_trashed')
    .on('recording_files')
    .columns(['trashed_at'])
    .where(sql.ref('trashed_at'), 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recording_files').execute();
  await db.schema.dropTable('recordings').execute();
}
