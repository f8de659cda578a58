/**
 * The webhook tables of migration 0011 and the queries over them. Kept in this module (typed locally)
 * so the shared schema stays untouched. Claims are conditional updates or deletes: of several Zemu
 * processes on one PostgreSQL, exactly one wins each piece of work.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { ZoomEventName } from './emit.js';

interface AppSecretTable {
  client_id: string;
  secret_token: string;
  created_at: number;
}
interface SubscriptionTable {
  id: string;
  client_id: string;
  endpoint_url: string;
  events: string;
  validated: number;
  validated_at: number | null;
  next_validation_at: number | null;
  last_validation_error: string | null;
  validation_claimed_until: number | null;
  created_at: number;
}
interface FanoutQueueTable {
  event_id: string;
  created_at: number;
}
interface DeliveryTable {
  id: string;
  event_id: string;
  event: string;
  account_id: string;
  subscription_id: string;
  client_id: string;
  endpoint_url: string;
  status: string;
  attempt_count: number;
  next_attempt_at: number | null;
  last_error: string | null;
  claimed_by: string | null;
  claim_expires_at: number | null;
  created_at: number;
  completed_at: number | null;
}
interface AttemptTable {
  id: string;
  delivery_id: string;
  number: number;
  at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
  ok: number;
  request_timestamp: number;
  tracking_id: string;
}
type WebhooksDb = Database & {
  webhook_app_secrets: AppSecretTable;
  webhook_subscriptions: SubscriptionTable;
  webhook_fanout_queue: FanoutQueueTable;
  webhook_deliveries: DeliveryTable;
  webhook_attempts: AttemptTable;
};

const db = (store: Store) => store.db as unknown as Kysely<WebhooksDb>;

export interface Subscription {
  id: string;
  clientId: string;
  endpointUrl: string;
  events: ZoomEventName[];
  validated: boolean;
  validatedAt: number | null;
  nextValidationAt: number | null;
  lastValidationError: string | null;
  createdAt: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped' | 'cancelled';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'delivered',
  'failed',
  'skipped',
  'cancelled',
];

export interface Delivery {
  id: string;
  eventId: string;
  event: string;
  accountId: string;
  subscriptionId: string;
  clientId: string;
  endpointUrl: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface Attempt {
  id: string;
  deliveryId: string;
  number: number;
  at: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
  ok: boolean;
  requestTimestamp: number;
  trackingId: string;
}

export interface OutboxEvent {
  id: string;
  accountId: string;
  event: string;
  eventTs: number;
  payload: string;
  createdAt: number;
}

function toSubscription(row: Selectable<SubscriptionTable>): Subscription {
  return {
    id: row.id,
    clientId: row.client_id,
    endpointUrl: row.endpoint_url,
    events: JSON.parse(row.events) as ZoomEventName[],
    validated: row.validated === 1,
    validatedAt: row.validated_at,
    nextValidationAt: row.next_validation_at,
    lastValidationError: row.last_validation_error,
    createdAt: row.created_at,
  };
}

function toDelivery(row: Selectable<DeliveryTable>): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    event: row.event,
    accountId: row.account_id,
    subscriptionId: row.subscription_id,
    clientId: row.client_id,
    endpointUrl: row.endpoint_url,
    status: row.status as DeliveryStatus,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

function toAttempt(row: Selectable<AttemptTable>): Attempt {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    number: row.number,
    at: row.at,
    durationMs: row.duration_ms,
    statusCode: row.status_code,
    error: row.error,
    responseSnippet: row.response_snippet,
    ok: row.ok === 1,
    requestTimestamp: row.request_timestamp,
    trackingId: row.tracking_id,
  };
}

// --- Secret Token ---------------------------------------------------------------------------------

export async function getSecret(store: Store, clientId: string): Promise<string | undefined> {
  const row = await db(store)
    .selectFrom('webhook_app_secrets')
    .select('secret_token')
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row?.secret_token;
}

/** Sets the app's Secret Token (insert or replace). */
export async function setSecret(store: Store, clientId: string, secret: string, at: number): Promise<void> {
  await db(store)
    .insertInto('webhook_app_secrets')
    .values({ client_id: clientId, secret_token: secret, created_at: at })
    .onConflict((oc) => oc.column('client_id').doUpdateSet({ secret_token: secret, created_at: at }))
    .execute();
}

/** The app's Secret Token, created with `generate()` if it has none; concurrent callers agree on one. */
export async function ensureSecret(
  store: Store,
  clientId: string,
  at: number,
  generate: () => string,
): Promise<string> {
  const existing = await getSecret(store, clientId);
  if (existing) return existing;
  await db(store)
    .insertInto('webhook_app_secrets')
    .values({ client_id: clientId, secret_token: generate(), created_at: at })
    .onConflict((oc) => oc.column('client_id').doNothing())
    .execute();
  return (await getSecret(store, clientId)) as string;
}

// --- Subscriptions --------------------------------------------------------------------------------

export async function insertSubscription(store: Store, sub: Subscription): Promise<void> {
  await db(store)
    .insertInto('webhook_subscriptions')
    .values({
      id: sub.id,
      client_id: sub.clientId,
      endpoint_url: sub.endpointUrl,
      events: JSON.stringify(sub.events),
      validated: sub.validated ? 1 : 0,
      validated_at: sub.validatedAt,
      next_validation_at: sub.nextValidationAt,
      last_validation_error: sub.lastValidationError,
      validation_claimed_until: null,
      created_at: sub.createdAt,
    })
    .execute();
}

export async function listSubscriptions(store: Store, clientId?: string): Promise<Subscription[]> {
  let query = db(store).selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id');
  if (clientId !== undefined) query = query.where('client_id', '=', clientId);
  return (await query.execute()).map(toSubscription);
}

export async function countSubscriptions(store: Store, clientId: string): Promise<number> {
  const row = await db(store)
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSubscription(store: Store, id: string): Promise<Subscription | undefined> {
  const row = await db(store)
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toSubscription(row);
}

/** Deletes the subscription and cancels its pending deliveries. */
export async function deleteSubscription(store: Store, id: string, at: number): Promise<number> {
  await db(store)
    .updateTable('webhook_deliveries')
    .set({
      status: 'cancelled',
      next_attempt_at: null,
      completed_at: at,
      last_error: 'the subscription was deleted',
    })
    .where('subscription_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  const result = await db(store).deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function setValidation(
  store: Store,
  id: string,
  outcome: { validated: true; at: number; nextAt: number } | { validated: false; error: string },
): Promise<void> {
  await db(store)
    .updateTable('webhook_subscriptions')
    .set(
      outcome.validated
        ? {
            validated: 1,
            validated_at: outcome.at,
            next_validation_at: outcome.nextAt,
            last_validation_error: null,
            validation_claimed_until: null,
          }
        : {
            validated: 0,
            next_validation_at: null,
            last_validation_error: outcome.error,
            validation_claimed_until: null,
          },
    )
    .where('id', '=', id)
    .execute();
}

/** Validated subscriptions whose re-validation is due at emulated `now`. */
export async function dueRevalidations(store: Store, now: number, realNow: number): Promise<Subscription[]> {
  const rows = await db(store)
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('validated', '=', 1)
    .where('next_validation_at', '<=', now)
    .where((eb) =>
      eb.or([eb('validation_claimed_until', 'is', null), eb('validation_claimed_until', '<', realNow)]),
    )
    .limit(50)
    .execute();
  return rows.map(toSubscription);
}

/** True when this process now owns the subscription's due re-validation. */
export async function claimRevalidation(
  store: Store,
  id: string,
  now: number,
  realNow: number,
  until: number,
): Promise<boolean> {
  const result = await db(store)
    .updateTable('webhook_subscriptions')
    .set({ validation_claimed_until: until })
    .where('id', '=', id)
    .where('validated', '=', 1)
    .where('next_validation_at', '<=', now)
    .where((eb) =>
      eb.or([eb('validation_claimed_until', 'is', null), eb('validation_claimed_until', '<', realNow)]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- Fan-out --------------------------------------------------------------------------------------

/** Queued events, oldest first. */
export async function queuedEvents(store: Store, limit: number): Promise<OutboxEvent[]> {
  const rows = await db(store)
    .selectFrom('webhook_fanout_queue as q')
    .innerJoin('webhook_events as e', 'e.id', 'q.event_id')
    .select(['e.id', 'e.account_id', 'e.event', 'e.event_ts', 'e.payload', 'e.created_at'])
    .orderBy('q.created_at')
    .orderBy('q.event_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    event: r.event,
    eventTs: r.event_ts,
    payload: r.payload,
    createdAt: r.created_at,
  }));
}

export async function countQueued(store: Store): Promise<number> {
  const row = await db(store)
    .selectFrom('webhook_fanout_queue')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** True when this call took the event off the queue (the claim: only one process fans it out). */
export async function dequeueEvent(store: Store, eventId: string): Promise<boolean> {
  const result = await db(store)
    .deleteFrom('webhook_fanout_queue')
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Takes events no subscription wants off the queue in one statement. */
export async function dropQueuedEvents(store: Store, eventIds: readonly string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const result = await db(store)
    .deleteFrom('webhook_fanout_queue')
    .where('event_id', 'in', eventIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findEvent(store: Store, id: string): Promise<OutboxEvent | undefined> {
  const r = await db(store).selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    r && {
      id: r.id,
      accountId: r.account_id,
      event: r.event,
      eventTs: r.event_ts,
      payload: r.payload,
      createdAt: r.created_at,
    }
  );
}

/** Does the OAuth app hold a live grant (an unrevoked, unexpired refresh token) in the account? */
export async function holdsGrantIn(
  store: Store,
  clientId: string,
  accountId: string,
  now: number,
): Promise<boolean> {
  const row = await store.db
    .selectFrom('tokens')
    .select('id')
    .where('client_id', '=', clientId)
    .where('account_id', '=', accountId)
    .where('kind', '=', 'refresh')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// --- Deliveries -----------------------------------------------------------------------------------

export async function insertDelivery(store: Store, delivery: Delivery): Promise<void> {
  await db(store)
    .insertInto('webhook_deliveries')
    .values({
      id: delivery.id,
      event_id: delivery.eventId,
      event: delivery.event,
      account_id: delivery.accountId,
      subscription_id: delivery.subscriptionId,
      client_id: delivery.clientId,
      endpoint_url: delivery.endpointUrl,
      status: delivery.status,
      attempt_count: delivery.attemptCount,
      next_attempt_at: delivery.nextAttemptAt,
      last_error: delivery.lastError,
      claimed_by: null,
      claim_expires_at: null,
      created_at: delivery.createdAt,
      completed_at: delivery.completedAt,
    })
    .execute();
}

/**
 * Pending deliveries due at emulated `now` whose subscription is validated (an unvalidated one holds
 * its deliveries until it validates again) and that no live claim holds.
 */
export async function dueDeliveries(
  store: Store,
  now: number,
  realNow: number,
  exclude: readonly string[],
  limit: number,
): Promise<Delivery[]> {
  let query = db(store)
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .selectAll('d')
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('s.validated', '=', 1)
    .where((eb) => eb.or([eb('d.claim_expires_at', 'is', null), eb('d.claim_expires_at', '<', realNow)]))
    .orderBy('d.next_attempt_at')
    .orderBy('d.created_at')
    .limit(limit);
  if (exclude.length > 0) query = query.where('d.id', 'not in', exclude);
  return (await query.execute()).map(toDelivery);
}

export async function claimDelivery(
  store: Store,
  id: string,
  owner: string,
  now: number,
  realNow: number,
  until: number,
): Promise<boolean> {
  const result = await db(store)
    .updateTable('webhook_deliveries')
    .set({ claimed_by: owner, claim_expires_at: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claim_expires_at', 'is', null), eb('claim_expires_at', '<', realNow)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a claimed delivery back untried (Zemu is stopping), so another process may take it at once. */
export async function releaseClaim(store: Store, id: string, owner: string): Promise<void> {
  await db(store)
    .updateTable('webhook_deliveries')
    .set({ claimed_by: null, claim_expires_at: null })
    .where('id', '=', id)
    .where('claimed_by', '=', owner)
    .execute();
}

/** Records an attempt and the delivery's new state, if this process still holds the claim. */
export async function recordAttempt(
  store: Store,
  owner: string,
  attempt: Attempt,
  next: {
    status: DeliveryStatus;
    nextAttemptAt: number | null;
    lastError: string | null;
    completedAt: number | null;
  },
): Promise<boolean> {
  return store.transaction(async (trx) => {
    const result = await db(trx)
      .updateTable('webhook_deliveries')
      .set({
        status: next.status,
        attempt_count: attempt.number,
        next_attempt_at: next.nextAttemptAt,
        last_error: next.lastError,
        completed_at: next.completedAt,
        claimed_by: null,
        claim_expires_at: null,
      })
      .where('id', '=', attempt.deliveryId)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      // The subscription was deleted while the attempt was in flight: the attempt happened and is
      // recorded, the delivery stays cancelled.
      const cancelled = await db(trx)
        .updateTable('webhook_deliveries')
        .set({ attempt_count: attempt.number, claimed_by: null, claim_expires_at: null })
        .where('id', '=', attempt.deliveryId)
        .where('claimed_by', '=', owner)
        .where('status', '=', 'cancelled')
        .executeTakeFirst();
      if (Number(cancelled.numUpdatedRows) !== 1) return false;
    }
    await db(trx)
      .insertInto('webhook_attempts')
      .values({
        id: attempt.id,
        delivery_id: attempt.deliveryId,
        number: attempt.number,
        at: attempt.at,
        duration_ms: attempt.durationMs,
        status_code: attempt.statusCode,
        error: attempt.error,
        response_snippet: attempt.responseSnippet,
        ok: attempt.ok ? 1 : 0,
        request_timestamp: attempt.requestTimestamp,
        tracking_id: attempt.trackingId,
      })
      .execute();
    return true;
  });
}

export interface DeliveryFilter {
  event?: string;
  status?: DeliveryStatus;
  clientId?: string;
  limit: number;
}

/** Newest first, with the count of all matches. */
export async function listDeliveries(
  store: Store,
  filter: DeliveryFilter,
): Promise<{ total: number; deliveries: Delivery[] }> {
  let query = db(store).selectFrom('webhook_deliveries');
  if (filter.event) query = query.where('event', '=', filter.event);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.clientId) query = query.where('client_id', '=', filter.clientId);
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  const count = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { total: Number(count.n), deliveries: rows.map(toDelivery) };
}

export async function findDelivery(store: Store, id: string): Promise<Delivery | undefined> {
  const row = await db(store)
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toDelivery(row);
}

export async function listAttempts(store: Store, deliveryId: string): Promise<Attempt[]> {
  const rows = await db(store)
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('number')
    .execute();
  return rows.map(toAttempt);
}

export async function countPendingDeliveries(store: Store): Promise<number> {
  const row = await db(store)
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
