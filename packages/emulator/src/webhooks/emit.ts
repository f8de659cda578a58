/**
 * Recording the events Zoom would send. A change and its event are written in one transaction (pass the
 * transaction's store), so an event exists exactly when its change does; delivery reads them later.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';

/** The events Zemu emits, by Zoom's names. */
export type ZoomEventName =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.activated'
  | 'user.deactivated'
  | 'user.disassociated'
  | 'user.invitation_accepted'
  | 'meeting.created'
  | 'meeting.updated'
  | 'meeting.deleted'
  | 'app_deauthorized';

export interface EventInput {
  accountId: string;
  event: ZoomEventName;
  /** Who made the change (the token's user); omitted from the payload when null. */
  operator?: Pick<User, 'id' | 'email'> | null;
  /**
   * The rest of the envelope's payload: `object`, and per event `old_object`, `creation_type`,
   * `time_stamp`, ... For app_deauthorized this is the whole payload besides `account_id`.
   */
  payload: Record<string, unknown>;
}

export interface RecordedEvent {
  id: string;
  accountId: string;
  event: ZoomEventName;
  eventTs: number;
  payload: Record<string, unknown>;
}

/** Writes the event into the outbox through `store` (a transaction's store joins that transaction). */
export async function recordEvent(store: Store, clock: Clock, input: EventInput): Promise<RecordedEvent> {
  const now = clock.now();
  const payload: Record<string, unknown> = { account_id: input.accountId };
  if (input.operator) {
    payload.operator = input.operator.email;
    payload.operator_id = input.operator.id;
  }
  Object.assign(payload, input.payload);
  const recorded: RecordedEvent = {
    id: randomUUID(),
    accountId: input.accountId,
    event: input.event,
    eventTs: now,
    payload,
  };
  await store.db
    .insertInto('webhook_events')
    .values({
      id: recorded.id,
      account_id: recorded.accountId,
      event: recorded.event,
      event_ts: recorded.eventTs,
      payload: JSON.stringify(payload),
      created_at: now,
    })
    .execute();
  return recorded;
}
