/** Registrants as Zoom answers them (2023 Meeting API document, `meetingRegistrantGet` 200). */
import type { Ctx } from '../../../context.js';
import type { Meeting, Registrant } from '../../../store/models.js';
import { occurrencesOf } from '../recurrence.js';
import { gmt } from '../time.js';
import { registrantJoinUrl } from './token.js';

/** The registration form's text fields, in Zoom's order; each answered `""` when not given. */
export const FORM_FIELDS = [
  'first_name',
  'last_name',
  'address',
  'city',
  'country',
  'zip',
  'state',
  'phone',
  'industry',
  'org',
  'job_title',
  'purchasing_time_frame',
  'role_in_purchase_process',
  'no_of_employees',
  'comments',
] as const;

function text(r: Registrant, field: string): string {
  const v = r.fields[field];
  return typeof v === 'string' ? v : '';
}

/** The registrant's display name: first and last name. */
export function registrantName(r: Registrant): string {
  return [text(r, 'first_name'), text(r, 'last_name')].filter(Boolean).join(' ');
}

/** One registrant as GET one and the list answer it. */
export function presentRegistrant(ctx: Ctx, meeting: Meeting, r: Registrant): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, email: r.email };
  for (const field of FORM_FIELDS) out[field] = text(r, field);
  out.custom_questions = Array.isArray(r.fields.custom_questions) ? r.fields.custom_questions : [];
  out.status = r.status;
  out.create_time = gmt(r.createTime);
  out.join_url = registrantJoinUrl(ctx, meeting, r);
  return out;
}

/** POST's 201: the meeting, the registrant's id and own join link (and a type 8's occurrences). */
export function presentCreated(ctx: Ctx, meeting: Meeting, r: Registrant): Record<string, unknown> {
  return {
    id: meeting.id,
    join_url: registrantJoinUrl(ctx, meeting, r),
    registrant_id: r.id,
    ...(meeting.startTime !== null ? { start_time: gmt(meeting.startTime) } : {}),
    topic: meeting.topic,
    ...(meeting.type === 8 ? { occurrences: occurrencesOf(meeting, ctx.clock.now(), false) } : {}),
  };
}
