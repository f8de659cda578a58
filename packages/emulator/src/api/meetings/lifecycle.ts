/**
 * When a meeting's ID stops working, on the emulated clock (Zoom's "Meeting ID expiration"): a
 * non-recurring meeting 30 days after its start time (or after it was last started, if later); a
 * recurring one 365 days after it was last started, its last occurrence, or its creation. An expired
 * meeting is "not found or has expired" (3001) everywhere and is no longer listed.
 */
import type { Meeting } from '../../store/models.js';
import { meetingStarts } from './recurrence.js';

const DAY = 86_400_000;
export const NON_RECURRING_TTL_MS = 30 * DAY;
export const RECURRING_TTL_MS = 365 * DAY;

export function expiresAt(m: Meeting): number {
  const started = m.startedAt ?? 0;
  if (m.type === 1 || m.type === 2) {
    return Math.max(m.startTime ?? m.createdAt, started) + NON_RECURRING_TTL_MS;
  }
  const last = m.type === 8 ? (meetingStarts(m).at(-1) ?? 0) : 0;
  return Math.max(m.createdAt, started, last) + RECURRING_TTL_MS;
}

export function isExpired(m: Meeting, now: number): boolean {
  return now >= expiresAt(m);
}

/** When a meeting ends, for listing: a meeting without a fixed time never ends. */
export function endsAt(m: Meeting): number {
  if (m.startTime === null) return Number.POSITIVE_INFINITY;
  if (m.type === 8) {
    const last = meetingStarts(m)
      .filter((t) => !m.deletedOccurrences.includes(String(t)))
      .at(-1);
    return (last ?? m.startTime) + (m.duration ?? 0) * 60_000;
  }
  if (m.recurrence && typeof m.recurrence.end_date_time === 'string')
    return Date.parse(m.recurrence.end_date_time);
  return m.startTime + (m.duration ?? 0) * 60_000;
}
