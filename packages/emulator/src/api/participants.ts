/**
 * One page of an ended meeting instance's participants (one entry per join, in join order), paged by a
 * signed, expiring keyset token: shared by past meetings and reports, which present the entries their
 * own way.
 */
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import type { Participant } from '../store/models.js';
import { decodeCursor, pageAnswer } from './paging.js';

export async function participantsPage(
  ctx: Ctx,
  instance: { uuid: string; endTime: number },
  /** Names the list in the token, so that a token of one list is refused by another. */
  list: string,
  token: string,
  pageSize: number,
) {
  const now = ctx.clock.now();
  const scope = `${list}:${instance.uuid}:${pageSize}`;
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
  const shown: Participant[] = rows.slice(0, pageSize);
  // These lists carry no page_number.
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
  return { paging, shown };
}
