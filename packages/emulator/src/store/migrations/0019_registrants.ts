/**
 * Meeting registrants (issue 16): who registered for a meeting that requires registration, with the
 * fields of the registration form, and each meeting's registration questions. Both go with their
 * meeting (a foreign key that cascades), as at Zoom a deleted meeting takes its registration along.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const big = pg ? 'bigint' : 'integer';
  await db.schema
    .createTable('meeting_registrants')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    /** Zoom's registrant id (22 characters of base64url). */
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('meeting_id', big, (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    /** Lower-cased: one registration per address and meeting. */
    .addColumn('email', 'text', (c) => c.notNull())
    /** pending | approved | denied */
    .addColumn('status', 'text', (c) => c.notNull())
    /** JSON object: the registration form's fields as given (first_name, last_name, address, ...). */
    .addColumn('fields', 'text', (c) => c.notNull())
    /** Epoch ms on the emulated clock. */
    .addColumn('create_time', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_registrants_email')
    .on('meeting_registrants')
    .columns(['meeting_id', 'email'])
    .unique()
    .execute();
  await db.schema
    .createIndex('meeting_registrants_status')
    .on('meeting_registrants')
    .columns(['meeting_id', 'status', 'seq'])
    .execute();
  await db.schema
    .createTable('meeting_registration_questions')
    .addColumn('meeting_id', big, (c) => c.primaryKey().references('meetings.id').onDelete('cascade'))
    /** JSON arrays, as PATCH .../registrants/questions set them. */
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('custom_questions', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_registration_questions').execute();
  await db.schema.dropTable('meeting_registrants').execute();
}
