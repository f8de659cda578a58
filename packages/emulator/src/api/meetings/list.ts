/**
 * GET /users/{userId}/meetings: a host's meetings by start time (meetings without a fixed time last),
 * filtered by `type` and the optional `from`/`to` dates; paged by a signed, expiring offset token.
 */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { dateQuery } from '../../http/input.js';
import { settle } from '../../live/engine.js';
import { isLive, isOverdue } from '../../live/state.js';
import type { Meeting } from '../../store/models.js';
import { decodeCursor, pageAnswer, pageParams } from '../paging.js';
import { authorizeHost, requireMeetingCapability } from './access.js';
import { endsAt, isExpired } from './lifecycle.js';
import { joinUrl, presentListedMeeting } from './present.js';

export interface ListMeetingsQuery {
  type?: string;
  page_size?: string;
  next_page_token?: string;
  page_number?: string;
  from?: string;
  to?: string;
}

const LIST_TYPES = ['scheduled', 'live', 'upcoming', 'upcoming_meetings', 'previous_meetings'] as const;
type ListType = (typeof LIST_TYPES)[number];
const LIST_MEETINGS_MAX_PAGE_SIZE = 300;

function matches(m: Meeting, type: ListType, now: number): boolean {
  // Zoom lists scheduled meetings only: instant meetings (type 1) never appear.
  if (m.type === 1) return false;
  const live = isLive(m, now);
  switch (type) {
    case 'scheduled':
      return true;
    case 'live':
      return live;
    case 'upcoming':
    case 'upcoming_meetings':
      return live || endsAt(m) > now;
    case 'previous_meetings':
      return !live && endsAt(m) <= now;
  }
}

export async function listMeetings(ctx: Ctx, caller: Caller, userId: string, query: ListMeetingsQuery) {
  const errors: FieldError[] = [];
  const type = (query.type ?? 'scheduled') as ListType;
  if (typeof type !== 'string' || !LIST_TYPES.includes(type))
    errors.push({
      field: 'type',
      message: `Invalid field. Allowed values: ${LIST_TYPES.map((t) => `'${t}'`).join(', ')}.`,
    });
  const { pageSize, pageNumber } = pageParams(query, LIST_MEETINGS_MAX_PAGE_SIZE, errors);
  if (query.next_page_token !== undefined && typeof query.next_page_token !== 'string')
    errors.push({ field: 'next_page_token', message: 'Invalid field.' });
  const fromDay = dateQuery(query.from, 'from', errors);
  const toDay = dateQuery(query.to, 'to', errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user: host } = await authorizeHost(ctx, caller, userId);
  requireMeetingCapability(host);

  const now = ctx.clock.now();
  const from = fromDay;
  const to = toDay === undefined ? undefined : toDay + 86_400_000;
  // Meetings past their scheduled end are closed first, so each shows the uuid of its next instance.
  const listed: Meeting[] = [];
  for (const m of await ctx.store.meetings.listByHost(host.id)) {
    const current = isOverdue(m, now) ? await settle(ctx, m) : m;
    if (current) listed.push(current);
  }
  const all = listed
    .filter((m) => !isExpired(m, now) && matches(m, type, now))
    .filter(
      (m) =>
        (from === undefined || (m.startTime !== null && m.startTime >= from)) &&
        (to === undefined || (m.startTime !== null && m.startTime < to)),
    )
    .sort(
      (a, b) =>
        (a.startTime ?? Number.MAX_SAFE_INTEGER) - (b.startTime ?? Number.MAX_SAFE_INTEGER) || a.seq - b.seq,
    );
  const scope = `meetings:${host.id}:${type}:${query.from ?? ''}:${query.to ?? ''}:${pageSize}`;
  let page: number;
  let offset: number;
  if (query.next_page_token) {
    const check = decodeCursor(ctx.keys.pageToken, query.next_page_token, scope, now);
    if (!check.ok) throw zoomErrors.invalidPageToken(check.reason);
    page = check.cursor.page;
    offset = check.cursor.after;
  } else {
    page = pageNumber ?? 1;
    offset = (page - 1) * pageSize;
  }
  const total = all.length;
  return {
    ...pageAnswer(
      ctx.keys.pageToken,
      {
        scope,
        number: page,
        size: pageSize,
        total,
        next: offset + pageSize < total ? offset + pageSize : undefined,
      },
      now,
    ),
    meetings: all.slice(offset, offset + pageSize).map((m) => presentListedMeeting(m, joinUrl(ctx, m))),
  };
}
