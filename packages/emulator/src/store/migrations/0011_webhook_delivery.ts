/**
 * Webhook delivery (issue 5): each app's Secret Token and event subscriptions, the queue of outbox
 * events not yet fanned out, one delivery per (event, subscription) and every attempt made.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const big = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';

  // Kept in clear: Zemu signs with it, so a hash would not do (the data dir holds it, like Zoom's app config).
  await db.schema
    .createTable('webhook_app_secrets')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('secret_token', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_url', 'text', (c) => c.notNull())
    /** JSON array of event names. */
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('validated', 'integer', (c) => c.notNull())
    .addColumn('validated_at', big)
    .addColumn('next_validation_at', big)
    .addColumn('last_validation_error', 'text')
    /** Real-time ms until which one process owns a re-validation in flight. */
    .addColumn('validation_claimed_until', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_client')
    .on('webhook_subscriptions')
    .column('client_id')
    .execute();

  // Outbox events waiting for fan-out; recordEvent adds the row in the change's transaction, the
  // dispatcher deletes it (the delete is the claim) in the transaction that writes the deliveries.
  await db.schema
    .createTable('webhook_fanout_queue')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_url', 'text', (c) => c.notNull())
    /** pending | delivered | failed | skipped | cancelled */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempt_count', 'integer', (c) => c.notNull())
    /** Emulated ms at which the next attempt is due; null once settled. */
    .addColumn('next_attempt_at', big)
    .addColumn('last_error', 'text')
    .addColumn('claimed_by', 'text')
    /** Real-time ms: a claim outlives no attempt (3 s), so an expired one belongs to a dead process. */
    .addColumn('claim_expires_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('completed_at', big)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_created')
    .on('webhook_deliveries')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    /** Emulated ms. */
    .addColumn('at', big, (c) => c.notNull())
    /** Real ms the request took. */
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_snippet', 'text')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('request_timestamp', big, (c) => c.notNull())
    .addColumn('tracking_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'number'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'webhook_attempts',
    'webhook_deliveries',
    'webhook_fanout_queue',
    'webhook_subscriptions',
    'webhook_app_secrets',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
