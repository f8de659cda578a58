/**
 * GET /report/users/{userId}/meetings: the user's ended meetings that started between `from` and
 * `to` (dates, UTC, both included; the document requires both), by `type`:
 * `past` (default) those with two or more unique participants, `pastOne` with one, `pastJoined` the
 * meetings the user joined. Paged by a signed keyset token bound to the query.
 */
import type { Ctx } from '../../context.js';
import { type FieldError, ZoomRefusal, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope } from '../../guard/scopes.js';
import { authorizeUser } from '../../guard/target.js';
import { dateQuery } from '../../http/input.js';
import type { User } from '../../store/models.js';
import { keysetPage, keysetPageOf } from '../paging.js';
import { reportErrors } from './errors.js';
import { presentReportListed } from './present.js';

export interface ReportMeetingsQuery {
  from?: string;
  to?: string;
  page_size?: string;
  next_page_token?: string;
  type?: string;
}

const DAY = 86_400_000;
const TYPES = ['past', 'pastOne', 'pastJoined'] as const;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function reportUserMeetings(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  query: ReportMeetingsQuery,
) {
  const errors: FieldError[] = [];
  const now = ctx.clock.now();
  const to = dateQuery(query.to, 'to', errors) ?? Date.parse(day(now));
  const from = dateQuery(query.from, 'from', errors) ?? to - 30 * DAY;
  if (from > to) errors.push({ field: 'from', message: 'Invalid field. from must not be after to.' });
  const type = query.type ?? 'past';
  if (!TYPES.includes(type as (typeof TYPES)[number]))
    errors.push({
      field: 'type',
      message: "Invalid field. Allowed values: 'past', 'pastOne', 'pastJoined'.",
    });
  const { token, pageSize } = keysetPage(query, 300, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  requireAnyScope(caller.principal.scopes, caller.rule);
  let user: User;
  try {
    ({ user } = await authorizeUser(ctx.store, caller, userId, now));
  } catch (e) {
    if (e instanceof ZoomRefusal && e.code === 1001) throw reportErrors.userNotFound(userId);
    throw e;
  }
  const account = await ctx.store.accounts.findById(user.accountId);
  if (account?.plan === 'free') throw reportErrors.paidOnly(user.accountId);
  const scope = `report_meetings:${user.id}:${from}:${to}:${type}:${pageSize}`;
  const { shown, paging } = await keysetPageOf(
    ctx.keys.pageToken,
    { token, scope, pageSize, now },
    (after, limit) =>
      ctx.store.instances.listForReport(
        user.id,
        { from, to: to + DAY },
        type as (typeof TYPES)[number],
        after,
        limit,
      ),
  );
  const meetings = [];
  for (const i of shown) {
    const host = i.hostId === user.id ? user : await ctx.store.users.findById(i.hostId);
    const ended = i as typeof i & { endTime: number };
    meetings.push(presentReportListed(ended, host, await ctx.store.instances.totals(i.uuid, ended.endTime)));
  }
  return {
    from: day(from),
    to: day(to),
    ...paging,
    meetings,
  };
}
