/**
 * Meetings webhook events (meeting.created / updated / deleted): the objects they carry, recorded in
 * the change's transaction.
 */
import type { Ctx } from '../../context.js';
import type { Principal } from '../../guard/principal.js';
import type { Meeting, User } from '../../store/models.js';
import type { Store } from '../../store/store.js';
import { type EventInput, recordEvent } from '../../webhooks/emit.js';
import type { OccurrenceView } from './recurrence.js';
import { gmt } from './time.js';

/** Records `event` about `meeting`, made by `principal`, in the change's transaction `trx`. */
export async function emit(
  trx: Store,
  ctx: Ctx,
  principal: Principal,
  meeting: Meeting,
  event: EventInput['event'],
  payload: EventInput['payload'],
): Promise<void> {
  await recordEvent(trx, ctx.clock, {
    accountId: meeting.accountId,
    event,
    operator: principal.user,
    payload,
  });
}

/** The object of meeting.created and meeting.deleted; with the deleted occurrence when there is one. */
export function eventObject(m: Meeting, host: User, occurrence?: OccurrenceView) {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: host.id,
    topic: m.topic,
    type: m.type,
    ...(m.startTime !== null ? { start_time: gmt(m.startTime) } : {}),
    ...(m.duration !== null ? { duration: m.duration } : {}),
    timezone: m.timezone,
    ...(occurrence
      ? { occurrences: [{ occurrence_id: occurrence.occurrence_id, start_time: occurrence.start_time }] }
      : {}),
  };
}

/**
 * meeting.updated's `object` and `old_object`: the fields that changed, before and after (of
 * `settings`, only the settings that changed); undefined when nothing did.
 */
export function updatedPayload(before: Meeting, after: Meeting) {
  const old = eventFields(before);
  const next = eventFields(after);
  const changed = Object.keys(next).filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k]));
  const removed = Object.keys(old).filter((k) => !(k in next));
  if (changed.length === 0 && removed.length === 0) return undefined;
  const ids = { id: before.id, uuid: before.uuid };
  return {
    object: { ...ids, ...pick(next, changed, old) },
    old_object: { ...ids, ...pick(old, [...changed, ...removed], next) },
  };
}

/** The fields meeting.updated compares, in the event's shape. */
function eventFields(m: Meeting): Record<string, unknown> {
  return {
    topic: m.topic,
    type: m.type,
    ...(m.startTime !== null ? { start_time: gmt(m.startTime) } : {}),
    ...(m.duration !== null ? { duration: m.duration } : {}),
    timezone: m.timezone,
    agenda: m.agenda,
    password: m.password,
    pre_schedule: m.preSchedule,
    settings: m.settings,
    ...(m.recurrence ? { recurrence: m.recurrence } : {}),
    ...(m.trackingFields ? { tracking_fields: m.trackingFields } : {}),
  };
}

/** The `keys` of `source`; of `settings`, only the fields that differ from `other`'s. */
function pick(
  source: Record<string, unknown>,
  keys: string[],
  other: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (!(k in source)) continue;
    if (k === 'settings') {
      const mine = source.settings as Record<string, unknown>;
      const theirs = (other.settings ?? {}) as Record<string, unknown>;
      const diff: Record<string, unknown> = {};
      for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
        if (key in mine && JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])) diff[key] = mine[key];
      }
      out.settings = diff;
    } else out[k] = source[k];
  }
  return out;
}
