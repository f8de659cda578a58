/** PATCH /meetings/{meetingId}: the whole meeting (updating one occurrence is not emulated). */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireObject } from '../../http/input.js';
import type { Meeting } from '../../store/models.js';
import { authorizeMeeting } from './access.js';
import { meetingErrors } from './errors.js';
import { emit, updatedPayload } from './events.js';
import { mergeSettings } from './present.js';
import { alignToOccurrences, normalizeRecurrence } from './recurrence.js';
import { numericPassword, ruleErrors, type Writable } from './rules.js';
import { parseStartTime } from './time.js';

export interface UpdateMeetingQuery {
  occurrence_id?: string;
}

export async function updateMeeting(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  body: unknown,
  query: UpdateMeetingQuery = {},
): Promise<void> {
  const { principal } = caller;
  const b = requireObject(body) as Writable;
  const errors: FieldError[] = [];
  if (query.occurrence_id !== undefined) {
    errors.push({
      field: 'occurrence_id',
      message: 'Zemu does not emulate updating a single occurrence: update the whole meeting.',
    });
  }
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  const type = b.type ?? meeting.type;
  if (errors.length === 0)
    errors.push(...ruleErrors(b, type, b.recurrence !== undefined || meeting.recurrence !== null));
  if (errors.length > 0) throw zoomErrors.validation(errors);

  const next = applyWrite(ctx, meeting, b, type);
  alignToOccurrences(next);
  await ctx.quotas.requireMeetingWrite(host.id);

  const payload = updatedPayload(meeting, next);
  await ctx.store.transaction(async (trx) => {
    // A DELETE that committed first leaves nothing to update: 3001, and no event.
    if (!(await trx.meetings.saveFields(next))) throw meetingErrors.notFound(meetingId);
    if (payload) await emit(trx, ctx, principal, meeting, 'meeting.updated', payload);
  });
}

/** The meeting after the write `b`, which makes it a meeting of `type`. */
function applyWrite(ctx: Ctx, meeting: Meeting, b: Writable, type: number): Meeting {
  const next: Meeting = { ...meeting };
  if (b.topic !== undefined) next.topic = b.topic;
  if (b.agenda !== undefined) next.agenda = b.agenda;
  if (b.timezone !== undefined && b.timezone !== '') next.timezone = b.timezone;
  if (b.pre_schedule !== undefined) next.preSchedule = b.pre_schedule;
  if (b.tracking_fields !== undefined) next.trackingFields = b.tracking_fields;
  if (b.password !== undefined && b.password !== '' && b.password !== meeting.password) {
    next.password = b.password;
    next.h323Password = numericPassword(b.password);
  }
  if (b.settings !== undefined) next.settings = mergeSettings(meeting.settings, b.settings);
  next.type = type;
  if (type === 3) {
    next.startTime = null;
    next.duration = null;
  } else {
    if (b.start_time !== undefined) {
      const t = parseStartTime(b.start_time, next.timezone);
      if (Number.isNaN(t)) throw zoomErrors.validation([{ field: 'start_time', message: 'Invalid field.' }]);
      next.startTime = t;
    } else if (next.startTime === null) next.startTime = ctx.clock.now();
    if (b.duration !== undefined) next.duration = b.duration;
    else if (next.duration === null) next.duration = 60;
  }
  if (type === 3 || type === 8) {
    if (b.recurrence !== undefined) next.recurrence = normalizeRecurrence(b.recurrence);
  } else next.recurrence = null;
  return next;
}
