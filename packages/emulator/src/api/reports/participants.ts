/** GET /report/meetings/{meetingId}/participants: every join of the ended meeting, paged. */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { keysetPage } from '../paging.js';
import { participantsPage } from '../participants.js';
import { authorizeReportMeeting } from './access.js';
import { presentReportParticipant } from './present.js';

export interface ReportParticipantsQuery {
  page_size?: string;
  next_page_token?: string;
  include_fields?: string;
}

export async function reportParticipants(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  query: ReportParticipantsQuery,
) {
  const errors: FieldError[] = [];
  const { token, pageSize } = keysetPage(query, 300, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const instance = await authorizeReportMeeting(ctx, caller, meetingId);
  const { paging, shown } = await participantsPage(ctx, instance, 'report_participants', token, pageSize);
  const withRegistrant = query.include_fields === 'registrant_id';
  return {
    ...paging,
    participants: shown.map((p) => presentReportParticipant(p, instance.endTime, withRegistrant)),
  };
}
