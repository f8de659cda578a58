/** GET /report/meetings/{meetingId}/participants: every join of the ended meeting, paged. */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { decodeCursor, pageAnswer, pageParams, pageSizeOf } from '../paging.js';
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
  const token = typeof query.next_page_token === 'string' ? query.next_page_token : '';
  const sized = query.page_size === undefined && token ? pageSizeOf(token) : undefined;
  const size = query.page_size ?? (sized ? String(sized) : undefined);
  const { pageSize } = pageParams(size === undefined ? {} : { page_size: size }, 300, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const instance = await authorizeReportMeeting(ctx, caller, meetingId);
  const now = ctx.clock.now();
  const scope = `report_participants:${instance.uuid}:${pageSize}`;
  let after = 0;
  let page = 1;
  let total: number;
  if (token) {
    const check = decodeCursor(ctx.keys.pageToken, token, scope, now);
    if (!check.ok) throw zoomErrors.invalidPageToken(check.reason);
    ({ after, page, total } = check.cursor);
  } else {
    total = (await ctx.store.instances.totals(instance.uuid, instance.endTime)).count;
  }
  const rows = await ctx.store.instances.listParticipants(instance.uuid, after, pageSize + 1);
  const shown = rows.slice(0, pageSize);
  const { page_number: _page, ...paging } = pageAnswer(
    ctx.keys.pageToken,
    {
      scope,
      number: page,
      size: pageSize,
      total,
      next: rows.length > pageSize ? shown.at(-1)?.seq : undefined,
    },
    now,
  );
  const withRegistrant = query.include_fields === 'registrant_id';
  return {
    ...paging,
    participants: shown.map((p) => presentReportParticipant(p, instance.endTime, withRegistrant)),
  };
}
