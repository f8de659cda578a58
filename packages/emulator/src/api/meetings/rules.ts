/**
 * Zoom's rules for a meeting's writable fields, beyond what the spec's schema says (the /v2 hook in
 * api/spec/validate.ts has checked that): timezone IDs, passcode characters, durations, recurrence.
 */
import { randomInt } from 'node:crypto';
import type { FieldError } from '../../errors/zoom.js';
import { MAX_INTERVAL } from './recurrence.js';
import { isTimezone } from './time.js';

const PASSWORD = /^[A-Za-z0-9@_*-]{1,10}$/;

/** The body of POST /users/{userId}/meetings and PATCH /meetings/{meetingId}. */
export interface Writable {
  topic?: string;
  type?: number;
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  password?: string;
  default_password?: boolean;
  pre_schedule?: boolean;
  settings?: Record<string, unknown>;
  recurrence?: Record<string, unknown>;
  tracking_fields?: Array<Record<string, unknown>>;
  schedule_for?: string;
  template_id?: string;
}

/** The field errors of a write that makes a meeting of `type`; type 8 needs a recurrence. */
export function ruleErrors(b: Writable, type: number, hasRecurrence: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (b.timezone !== undefined && b.timezone !== '' && !isTimezone(b.timezone))
    errors.push({ field: 'timezone', message: 'Invalid field. Use a timezone ID such as America/New_York.' });
  if (b.password !== undefined && b.password !== '' && !PASSWORD.test(b.password)) {
    errors.push({
      field: 'password',
      message: 'Invalid field. A passcode has at most 10 characters: letters, digits and @ - _ * only.',
    });
  }
  if (b.duration !== undefined && (b.duration < 0 || b.duration > 1440))
    errors.push({ field: 'duration', message: 'Invalid field. The duration is in minutes, 0 to 1440.' });
  if (type === 8 && !hasRecurrence)
    errors.push({ field: 'recurrence', message: 'Invalid field. A type 8 meeting needs a recurrence.' });
  if (b.recurrence !== undefined) errors.push(...recurrenceErrors(b.recurrence));
  return errors;
}

function recurrenceErrors(r: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (r.type === undefined)
    errors.push({ field: 'recurrence.type', message: 'Invalid field. Allowed values: 1, 2, 3.' });
  const max = MAX_INTERVAL[(r.type as 1 | 2 | 3) ?? 1] ?? 90;
  if (
    r.repeat_interval !== undefined &&
    (typeof r.repeat_interval !== 'number' || r.repeat_interval < 1 || r.repeat_interval > max)
  ) {
    errors.push({
      field: 'recurrence.repeat_interval',
      message: `Invalid field. The interval must be from 1 to ${max}.`,
    });
  }
  if (r.weekly_days !== undefined && !/^[1-7](,[1-7]){0,6}$/.test(String(r.weekly_days)))
    errors.push({
      field: 'recurrence.weekly_days',
      message: 'Invalid field. Days 1 (Sunday) to 7 (Saturday), comma-separated, e.g. "2,4".',
    });
  if (
    r.monthly_day !== undefined &&
    (typeof r.monthly_day !== 'number' || r.monthly_day < 1 || r.monthly_day > 31)
  )
    errors.push({ field: 'recurrence.monthly_day', message: 'Invalid field. The day must be from 1 to 31.' });
  if (r.end_times !== undefined && r.end_date_time !== undefined)
    errors.push({
      field: 'recurrence.end_times',
      message: 'Invalid field. Use end_times or end_date_time, not both.',
    });
  if (typeof r.end_times === 'number' && r.end_times < 1)
    errors.push({ field: 'recurrence.end_times', message: 'Invalid field. The value must be at least 1.' });
  return errors;
}

/** Digits for dialling in (h323/pstn): the passcode itself when numeric, else six digits. */
export function numericPassword(password: string): string {
  if (password === '') return '';
  if (/^\d+$/.test(password)) return password;
  return String(randomInt(100_000, 1_000_000));
}
