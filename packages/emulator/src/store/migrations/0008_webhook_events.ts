import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const big = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
  // The outbox: every event Zoom would send, written in the same transaction as the change behind it.
  // Delivery (webhooks/) reads from here, so an event survives a crash or restart between the change
  // and its delivery.
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('event_ts', big, (c) => c.notNull())
    /** JSON: the envelope's `payload` object. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_events_account_ts')
    .on('webhook_events')
    .columns(['account_id', 'event_ts'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_events').execute();
}
