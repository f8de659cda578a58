/**
 * Occurrences of a recurring meeting with a fixed time (type 8), computed from its `recurrence` on the
 * wall clock of its timezone (a 09:00 weekly meeting stays at 09:00 across DST changes). Occurrence ids
 * are the occurrence's start in epoch ms, as Zoom's are ("1648194360000").
 */
import { zoomErrors } from '../../errors/zoom.js';
import type { Meeting } from '../../store/models.js';
import { meetingErrors } from './errors.js';
import { gmt, localParts, parseStartTime } from './time.js';

export interface Recurrence {
  type: 1 | 2 | 3;
  repeat_interval: number;
  weekly_days?: string;
  monthly_day?: number;
  monthly_week?: -1 | 1 | 2 | 3 | 4;
  monthly_week_day?: number;
  end_times?: number;
  end_date_time?: string;
}

/** Zoom's limits: every 90 days, 12 weeks or 3 months at most; 365 occurrences at most. */
export const MAX_INTERVAL = { 1: 90, 2: 12, 3: 3 } as const;
export const MAX_OCCURRENCES = 365;
const DAY = 86_400_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const wall = (d: Date) =>
  `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The `week`th (1..4, or -1 for last) `weekday` (1 Sunday..7 Saturday) of a month, as a day of month. */
function nthWeekday(year: number, month: number, week: number, weekday: number): number {
  const target = weekday - 1;
  if (week === -1) {
    const last = daysInMonth(year, month);
    const lastDow = new Date(Date.UTC(year, month, last)).getUTCDay();
    return last - ((lastDow - target + 7) % 7);
  }
  const firstDow = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((target - firstDow + 7) % 7) + (week - 1) * 7;
}

/** Start times (epoch ms) of every occurrence, first at or after `start`. */
export function occurrenceStarts(start: number, timezone: string, r: Recurrence): number[] {
  const p = localParts(start, timezone);
  // The local wall-clock time of the start, held in a UTC Date for calendar arithmetic.
  const local0 = new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
  const until = r.end_date_time ? Date.parse(r.end_date_time) : Number.POSITIVE_INFINITY;
  const count = r.end_date_time ? MAX_OCCURRENCES : Math.min(r.end_times ?? 1, MAX_OCCURRENCES);
  const interval = Math.max(1, r.repeat_interval);
  const out: number[] = [];
  const push = (localDate: Date): boolean => {
    const t = parseStartTime(wall(localDate), timezone);
    if (t > until) return false;
    if (t >= start - 1000) out.push(t);
    return out.length < count;
  };
  if (r.type === 1) {
    for (let k = 0; k < 10_000; k++) {
      if (!push(new Date(local0.getTime() + k * interval * DAY))) break;
    }
  } else if (r.type === 2) {
    const days = new Set((r.weekly_days ?? '1').split(',').map((d) => Number(d) - 1));
    // The Sunday of the start's week, at the start's time of day.
    const weekStart = local0.getTime() - local0.getUTCDay() * DAY;
    for (let i = 0; i < 70_000; i++) {
      if (Math.floor(i / 7) % interval !== 0 || !days.has(i % 7)) continue;
      const day = new Date(weekStart + i * DAY);
      if (day < local0) continue;
      if (!push(day)) break;
    }
  } else {
    for (let k = 0; k < 10_000; k++) {
      const month = local0.getUTCMonth() + k * interval;
      const year = local0.getUTCFullYear() + Math.floor(month / 12);
      const m = ((month % 12) + 12) % 12;
      const dom =
        r.monthly_week !== undefined
          ? nthWeekday(year, m, r.monthly_week, r.monthly_week_day ?? 1)
          : Math.min(r.monthly_day ?? 1, daysInMonth(year, m));
      const day = new Date(
        Date.UTC(year, m, dom, local0.getUTCHours(), local0.getUTCMinutes(), local0.getUTCSeconds()),
      );
      if (day < local0) continue;
      if (!push(day)) break;
    }
  }
  return out;
}

/** Start times of a type 8 meeting's occurrences, deleted ones included. */
export function meetingStarts(m: Pick<Meeting, 'type' | 'startTime' | 'timezone' | 'recurrence'>): number[] {
  if (m.type !== 8 || m.startTime === null || !m.recurrence) return [];
  return occurrenceStarts(m.startTime, m.timezone, m.recurrence as unknown as Recurrence);
}

/** A request's `recurrence` as stored: the fields its type uses, with Zoom's defaults filled in. */
export function normalizeRecurrence(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: r.type, repeat_interval: r.repeat_interval ?? 1 };
  if (r.type === 2) out.weekly_days = r.weekly_days ?? '1';
  if (r.type === 3) {
    if (r.monthly_week !== undefined) {
      out.monthly_week = r.monthly_week;
      out.monthly_week_day = r.monthly_week_day ?? 1;
    } else out.monthly_day = r.monthly_day ?? 1;
  }
  if (typeof r.end_date_time === 'string') out.end_date_time = r.end_date_time;
  else out.end_times = r.end_times ?? 1;
  return out;
}

/** A type 8 meeting starts at its first occurrence; none at all is a bad recurrence. */
export function alignToOccurrences(m: Meeting): void {
  if (m.type !== 8) return;
  const first = meetingStarts(m)[0];
  if (first === undefined) {
    throw zoomErrors.validation([
      { field: 'recurrence.end_date_time', message: 'Invalid field. The recurrence has no occurrence.' },
    ]);
  }
  m.startTime = first;
}

export interface OccurrenceView {
  occurrence_id: string;
  start_time: string;
  duration: number;
  status: 'available' | 'deleted';
}

/** The occurrences as Zoom lists them; past ones only when asked for. */
export function occurrencesOf(m: Meeting, now: number, withPrevious: boolean): OccurrenceView[] {
  const duration = m.duration ?? 60;
  return meetingStarts(m)
    .filter((t) => withPrevious || t + duration * 60_000 > now)
    .map((t) => ({
      occurrence_id: String(t),
      start_time: gmt(t),
      duration,
      status: m.deletedOccurrences.includes(String(t)) ? 'deleted' : 'available',
    }));
}

/** `occurrence_id` of a type 8 meeting, or Zoom's 400 3000. */
export function findOccurrence(meeting: Meeting, occurrenceId: string): OccurrenceView {
  const found = occurrencesOf(meeting, 0, true).find((o) => o.occurrence_id === occurrenceId);
  if (!found) throw meetingErrors.invalidOccurrence(occurrenceId);
  return found;
}
