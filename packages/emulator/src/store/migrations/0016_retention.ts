/**
 * Retention (issue 13): the indexes the pruner walks, so that each of its small batches finds the
 * oldest expired, revoked or finished rows without scanning a table that grew under load.
 */
import type { Kysely } from 'kysely';

const INDEXES: [name: string, table: string, columns: string[]][] = [
  ['tokens_expires', 'tokens', ['expires_at']],
  ['tokens_revoked', 'tokens', ['revoked_at']],
  ['oauth_codes_expires', 'oauth_codes', ['expires_at']],
  ['webhook_deliveries_completed', 'webhook_deliveries', ['completed_at']],
  ['webhook_deliveries_event', 'webhook_deliveries', ['event_id']],
  ['webhook_events_created', 'webhook_events', ['created_at']],
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
