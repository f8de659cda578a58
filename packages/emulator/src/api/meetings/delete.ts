/** DELETE /meetings/{meetingId}: the meeting, or one occurrence of a type 8 meeting. */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { booleanQuery } from '../../http/input.js';
import { isLive } from '../../live/state.js';
import { authorizeMeeting } from './access.js';
import { meetingErrors } from './errors.js';
import { emit, eventObject } from './events.js';
import { findOccurrence } from './recurrence.js';

export interface DeleteMeetingQuery {
  occurrence_id?: string;
  schedule_for_reminder?: string;
  cancel_meeting_reminder?: string;
}

export async function deleteMeeting(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  query: DeleteMeetingQuery,
): Promise<void> {
  const { principal } = caller;
  const errors: FieldError[] = [];
  for (const flag of ['schedule_for_reminder', 'cancel_meeting_reminder'] as const) {
    booleanQuery(query[flag], flag, errors);
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  if (isLive(meeting, ctx.clock.now())) throw meetingErrors.inProgress();
  if (typeof query.occurrence_id === 'string' && query.occurrence_id !== '') {
    // One occurrence of a type 8 meeting: it stays listed with status `deleted`.
    const occurrence = findOccurrence(meeting, query.occurrence_id);
    if (occurrence.status === 'deleted') throw meetingErrors.invalidOccurrence(query.occurrence_id);
    await ctx.store.transaction(async (trx) => {
      const current = await trx.meetings.lockById(meeting.id);
      if (!current) throw meetingErrors.notFound(meetingId);
      if (current.deletedOccurrences.includes(occurrence.occurrence_id))
        throw meetingErrors.invalidOccurrence(occurrence.occurrence_id);
      await trx.meetings.setDeletedOccurrences(meeting.id, [
        ...current.deletedOccurrences,
        occurrence.occurrence_id,
      ]);
      await emit(trx, ctx, principal, meeting, 'meeting.deleted', {
        object: eventObject(meeting, host, occurrence),
      });
    });
    return;
  }
  if (query.occurrence_id !== undefined && query.occurrence_id !== '')
    throw meetingErrors.invalidOccurrence(String(query.occurrence_id));
  await ctx.store.transaction(async (trx) => {
    // A concurrent delete of the same meeting: the second one finds nothing, like a later call would.
    if (!(await trx.meetings.delete(meeting.id))) throw meetingErrors.notFound(meetingId);
    await emit(trx, ctx, principal, meeting, 'meeting.deleted', { object: eventObject(meeting, host) });
  });
}
