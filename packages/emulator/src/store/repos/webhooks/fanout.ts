import type { Kysely } from 'kysely';
import type { OutboxEvent } from '../../models.js';
import type { Database } from '../../schema.js';
import { toEvent } from './outbox.js';

/**
 * Recorded events not yet turned into deliveries. Taking an event off the queue is the claim: of
 * several processes, the one whose delete removed the row fans it out.
 */
export class WebhookFanoutRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(eventId: string, at: number): Promise<void> {
    await this.db.insertInto('webhook_fanout_queue').values({ event_id: eventId, created_at: at }).execute();
  }

  /** Queued events, oldest first. */
  async queued(limit: number): Promise<OutboxEvent[]> {
    const rows = await this.db
      .selectFrom('webhook_fanout_queue as q')
      .innerJoin('webhook_events as e', 'e.id', 'q.event_id')
      .select(['e.id', 'e.account_id', 'e.event', 'e.event_ts', 'e.payload', 'e.created_at'])
      .orderBy('q.created_at')
      .orderBy('q.event_id')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_fanout_queue')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** True when this call took the event off the queue (the claim: only one process fans it out). */
  async dequeue(eventId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('webhook_fanout_queue')
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Takes events no subscription wants off the queue in one statement. */
  async drop(eventIds: readonly string[]): Promise<number> {
    if (eventIds.length === 0) return 0;
    const result = await this.db
      .deleteFrom('webhook_fanout_queue')
      .where('event_id', 'in', eventIds)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
