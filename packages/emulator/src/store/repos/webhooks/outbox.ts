import type { Kysely, Selectable } from 'kysely';
import type { OutboxEvent } from '../../models.js';
import type { Database, WebhookEventTable } from '../../schema.js';

export function toEvent(row: Selectable<WebhookEventTable>): OutboxEvent {
  return {
    id: row.id,
    accountId: row.account_id,
    event: row.event,
    eventTs: row.event_ts,
    payload: row.payload,
    createdAt: row.created_at,
  };
}

/** The events Zemu recorded, written in the transaction of the change they describe. */
export class WebhookOutboxRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(event: OutboxEvent): Promise<void> {
    await this.db
      .insertInto('webhook_events')
      .values({
        id: event.id,
        account_id: event.accountId,
        event: event.event,
        event_ts: event.eventTs,
        payload: event.payload,
        created_at: event.createdAt,
      })
      .execute();
  }

  async findById(id: string): Promise<OutboxEvent | undefined> {
    const row = await this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toEvent(row);
  }

  /**
   * Deletes up to `limit` events created before `cutoff` that no delivery refers to and no fan-out
   * waits for, oldest first (retention).
   */
  async pruneSettled(cutoff: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('webhook_events')
      .where(
        'id',
        'in',
        this.db
          .selectFrom('webhook_events as e')
          .select('e.id')
          .where('e.created_at', '<', cutoff)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id'),
              ),
            ),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('webhook_fanout_queue as q')
                  .select('q.event_id')
                  .whereRef('q.event_id', '=', 'e.id'),
              ),
            ),
          )
          .orderBy('e.created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
