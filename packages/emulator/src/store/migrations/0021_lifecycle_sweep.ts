/**
 * The meeting lifecycle's sweeper (issue 16): the indexes its passes walk, so that finding the
 * meetings past their scheduled end, and the instances past their retention, costs the same however
 * many meetings and past instances there are.
 */
import type { Kysely } from 'kysely';

const INDEXES: [name: string, table: string, columns: string[]][] = [
  ['meetings_status_started', 'meetings', ['status', 'started_at']],
  ['meeting_instances_ended', 'meeting_instances', ['end_time']],
];

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
