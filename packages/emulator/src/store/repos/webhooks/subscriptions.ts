import type { Kysely, Selectable } from 'kysely';
import type { Subscription } from '../../models.js';
import type { Database, WebhookSubscriptionTable } from '../../schema.js';

function toSubscription(row: Selectable<WebhookSubscriptionTable>): Subscription {
  return {
    id: row.id,
    clientId: row.client_id,
    endpointUrl: row.endpoint_url,
    events: JSON.parse(row.events) as string[],
    validated: row.validated === 1,
    validatedAt: row.validated_at,
    nextValidationAt: row.next_validation_at,
    lastValidationError: row.last_validation_error,
    createdAt: row.created_at,
  };
}

/** Event subscriptions and their endpoint validation; a due re-validation is claimed by one process. */
export class WebhookSubscriptionsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(sub: Subscription): Promise<void> {
    await this.db
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

  async list(clientId?: string): Promise<Subscription[]> {
    let query = this.db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id');
    if (clientId !== undefined) query = query.where('client_id', '=', clientId);
    return (await query.execute()).map(toSubscription);
  }

  async count(clientId: string): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findById(id: string): Promise<Subscription | undefined> {
    const row = await this.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSubscription(row);
  }

  async delete(id: string): Promise<number> {
    const result = await this.db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async setValidation(
    id: string,
    outcome: { validated: true; at: number; nextAt: number } | { validated: false; error: string },
  ): Promise<void> {
    await this.db
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
  async dueRevalidations(now: number, realNow: number): Promise<Subscription[]> {
    const rows = await this.db
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
  async claimRevalidation(id: string, now: number, realNow: number, until: number): Promise<boolean> {
    const result = await this.db
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
}
