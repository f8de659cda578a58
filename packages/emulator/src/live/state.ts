/**
 * Whether a meeting is in progress on the emulated clock. A meeting is live from a start (its host
 * joining, or a participant when join-before-host is on) until it is ended through the API, its last
 * participant leaves, or its duration (60 minutes without one) of emulated time has passed since the
 * start: as before participants existed, a started meeting ends on its own then.
 */
import type { Meeting } from '../store/models.js';

/** When a started meeting ends on its own: its duration after its last start. */
export function scheduledEnd(m: Pick<Meeting, 'startedAt' | 'duration'>): number {
  return (m.startedAt ?? 0) + (m.duration || 60) * 60_000;
}

export function isLive(m: Meeting, now: number): boolean {
  if (m.status !== 'started' || m.startedAt === null) return false;
  return now < scheduledEnd(m);
}

/** Started, and past its scheduled end: its instance is still to be closed (lazily, at that end). */
export function isOverdue(m: Meeting, now: number): boolean {
  return m.status === 'started' && !isLive(m, now);
}
