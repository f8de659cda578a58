import type { Kysely, Selectable } from 'kysely';
import type { Attempt, Delivery, DeliveryStatus } from '../../models.js';
import type { Database, WebhookDeliveryTable } from '../../schema.js';

function toDelivery(row: Selectable<WebhookDeliveryTable>): Delivery {
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

export interface DeliveryFilter {
  event?: string;
  status?: DeliveryStatus;
  clientId?: string;
  limit: number;
}

/** A delivery's state after an attempt. */
export interface DeliveryOutcome {
  status: DeliveryStatus;
  nextAttemptAt: number | null;
  lastError: string | null;
  completedAt: number | null;
}

/**
 * One delivery per event and subscription. A process claims a due delivery (a conditional update)
 * before it sends, and records the outcome only while it still holds the claim.
 */
export class WebhookDeliveriesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(delivery: Delivery): Promise<void> {
    await this.db
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

  /** Cancels the subscription's pending deliveries (it is being deleted). */
  async cancelPendingOf(subscriptionId: string, at: number): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'cancelled',
        next_attempt_at: null,
        completed_at: at,
        last_error: 'the subscription was deleted',
      })
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * Pending deliveries due at emulated `now` whose subscription is validated (an unvalidated one holds
   * its deliveries until it validates again) and that no live claim holds.
   */
  async due(now: number, realNow: number, exclude: readonly string[], limit: number): Promise<Delivery[]> {
    let query = this.db
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

  async claim(id: string, owner: string, now: number, realNow: number, until: number): Promise<boolean> {
    const result = await this.db
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
  async releaseClaim(id: string, owner: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ claimed_by: null, claim_expires_at: null })
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .execute();
  }

  /**
   * Writes the outcome of `attempt` and releases the claim, if `owner` still holds it on a pending
   * delivery; a delivery cancelled while the attempt was in flight keeps its status but counts the
   * attempt. False when `owner` holds no claim on the delivery.
   */
  async settleAttempt(owner: string, attempt: Attempt, next: DeliveryOutcome): Promise<boolean> {
    const result = await this.db
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
    if (Number(result.numUpdatedRows) === 1) return true;
    const cancelled = await this.db
      .updateTable('webhook_deliveries')
      .set({ attempt_count: attempt.number, claimed_by: null, claim_expires_at: null })
      .where('id', '=', attempt.deliveryId)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'cancelled')
      .executeTakeFirst();
    return Number(cancelled.numUpdatedRows) === 1;
  }

  /** Newest first, with the count of all matches. */
  async list(filter: DeliveryFilter): Promise<{ total: number; deliveries: Delivery[] }> {
    let query = this.db.selectFrom('webhook_deliveries');
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

  async findById(id: string): Promise<Delivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async countPending(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Up to `limit` ids of deliveries in `statuses` completed before `cutoff`, oldest first (retention). */
  async idsCompletedBefore(
    cutoff: number,
    statuses: readonly DeliveryStatus[],
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('completed_at', '<', cutoff)
      .where('status', 'in', statuses)
      .orderBy('completed_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async delete(ids: readonly string[]): Promise<number> {
    const result = await this.db.deleteFrom('webhook_deliveries').where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
