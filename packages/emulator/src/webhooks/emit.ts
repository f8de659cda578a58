/**
 * Recording the events Zoom would send. A change and its event are written in one transaction (pass the
 * transaction's store), so an event exists exactly when its change does; delivery reads them later.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';

/** The events Zemu emits, by Zoom's names (also what a subscription may list). */
export const ZOOM_EVENTS = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.activated',
  'user.deactivated',
  'user.disassociated',
  'user.invitation_accepted',
  'user.settings_updated',
  'meeting.created',
  'meeting.updated',
  'meeting.deleted',
  'meeting.started',
  'meeting.ended',
  'meeting.participant_joined',
  'meeting.participant_left',
  'meeting.registration_created',
  'meeting.registration_approved',
  'meeting.registration_denied',
  'meeting.registration_cancelled',
  'recording.completed',
  'recording.trashed',
  'recording.deleted',
  'recording.recovered',
  'app_deauthorized',
] as const;
export type ZoomEventName = (typeof ZOOM_EVENTS)[number];

/**
 * The events whose payload carries `time_stamp`, the change's moment in epoch ms, after `object` and
 * `old_object` (contract §7). recordEvent stamps it with the event's own `event_ts`, from the one
 * reading of the clock: two readings can fall a millisecond apart.
 */
const STAMPED: ReadonlySet<ZoomEventName> = new Set([
  'user.updated',
  'user.settings_updated',
  'meeting.updated',
]);

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
  if (STAMPED.has(input.event)) payload.time_stamp = now;
  const recorded: RecordedEvent = {
    id: randomUUID(),
    accountId: input.accountId,
    event: input.event,
    eventTs: now,
    payload,
  };
  await store.webhooks.outbox.insert({
    id: recorded.id,
    accountId: recorded.accountId,
    event: recorded.event,
    eventTs: recorded.eventTs,
    payload: JSON.stringify(payload),
    createdAt: now,
  });
  // The dispatcher claims the event by taking it off the fan-out queue.
  await store.webhooks.fanout.enqueue(recorded.id, now);
  notifyRecorded(clock);
  return recorded;
}

// The dispatcher of a Zemu registers under that Zemu's clock (recordEvent's only link to it). The
// event may still be inside an uncommitted transaction when this fires: the listener looks a little
// later, and its poll finds anything it missed.
const listeners = new WeakMap<Clock, Set<() => void>>();

/** Calls `listener` after every recordEvent made with `clock`; returns the unsubscribe function. */
export function onEventRecorded(clock: Clock, listener: () => void): () => void {
  let set = listeners.get(clock);
  if (!set) {
    set = new Set();
    listeners.set(clock, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

function notifyRecorded(clock: Clock): void {
  const set = listeners.get(clock);
  if (set) for (const listener of set) listener();
}
