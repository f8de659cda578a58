/**
 * GET /meetings/{meetingId}/registrants: the meeting's registrants in one status (`approved` unless
 * `status` says otherwise), in registration order, paged by a signed, expiring keyset token bound to
 * the meeting, the status and the page size.
 */
import type { Ctx } from '../../../context.js';
import { type FieldError, zoomErrors } from '../../../errors/zoom.js';
import type { Caller } from '../../../guard/caller.js';
import { REGISTRANT_STATUSES, type RegistrantStatus } from '../../../store/models.js';
import { keysetPage, keysetPageOf } from '../../paging.js';
import { authorizeRegistration } from './access.js';
import { presentRegistrant } from './present.js';

export interface ListRegistrantsQuery {
  status?: string;
  page_size?: string;
  page_number?: string;
  next_page_token?: string;
  occurrence_id?: string;
}

const MAX_PAGE_SIZE = 300;

export async function listRegistrants(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  query: ListRegistrantsQuery,
) {
  const errors: FieldError[] = [];
  const { token, pageSize } = keysetPage(query, MAX_PAGE_SIZE, errors, true);
  const status = (query.status ?? 'approved') as RegistrantStatus;
  if (!REGISTRANT_STATUSES.includes(status))
    errors.push({
      field: 'status',
      message: "Invalid field. Allowed values: 'pending', 'approved', 'denied'.",
    });
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { meeting } = await authorizeRegistration(ctx, caller, meetingId, 'notRequired');

  const now = ctx.clock.now();
  const scope = `registrants:${meeting.id}:${status}:${pageSize}`;
  const { shown, paging } = await keysetPageOf(
    ctx.keys.pageToken,
    { token, scope, pageSize, now },
    async (after, limit) => ({ rows: await ctx.store.registrants.list(meeting.id, status, after, limit) }),
    () => ctx.store.registrants.count(meeting.id, status),
  );
  return { ...paging, registrants: shown.map((r) => presentRegistrant(ctx, meeting, r)) };
}
