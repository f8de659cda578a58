/** GET /meetings/{meetingId}: the meeting, or one occurrence of it. */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { booleanQuery } from '../../http/input.js';
import { authorizeMeeting } from './access.js';
import { meetingResponse } from './present.js';
import { findOccurrence } from './recurrence.js';

export interface GetMeetingQuery {
  occurrence_id?: string;
  show_previous_occurrences?: string;
}

export async function getMeeting(ctx: Ctx, caller: Caller, meetingId: string, query: GetMeetingQuery) {
  const errors: FieldError[] = [];
  const withPrevious = booleanQuery(query.show_previous_occurrences, 'show_previous_occurrences', errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  const occurrence =
    typeof query.occurrence_id === 'string' && query.occurrence_id !== ''
      ? findOccurrence(meeting, query.occurrence_id)
      : undefined;
  return meetingResponse(ctx, meeting, host, {
    withPrevious: withPrevious === true,
    ...(occurrence ? { occurrence } : {}),
  });
}
