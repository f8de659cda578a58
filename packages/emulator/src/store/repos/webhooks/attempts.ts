import type { Kysely, Selectable } from 'kysely';
import type { Attempt } from '../../models.js';
import type { Database, WebhookAttemptTable } from '../../schema.js';

function toAttempt(row: Selectable<WebhookAttemptTable>): Attempt {
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

/** Every request a delivery made, with what came back. */
export class WebhookAttemptsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(attempt: Attempt): Promise<void> {
    await this.db
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
  }

  async listOf(deliveryId: string): Promise<Attempt[]> {
    const rows = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .orderBy('number')
      .execute();
    return rows.map(toAttempt);
  }

  /** Deletes the deliveries' attempts (retention); returns how many. */
  async deleteOf(deliveryIds: readonly string[]): Promise<number> {
    const result = await this.db
      .deleteFrom('webhook_attempts')
      .where('delivery_id', 'in', deliveryIds)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
