/**
 * One page of an ended meeting instance's participants (one entry per join, in join order), paged by a
 * signed, expiring keyset token: shared by past meetings and reports, which present the entries their
 * own way.
 */
import type { Ctx } from '../context.js';
import { keysetPageOf } from './paging.js';

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
  const { shown, paging: fields } = await keysetPageOf(
    ctx.keys.pageToken,
    { token, scope, pageSize, now },
    async (after, limit) => ({
      rows: await ctx.store.instances.listParticipants(instance.uuid, after, limit),
    }),
    async () => (await ctx.store.instances.totals(instance.uuid, instance.endTime)).count,
  );
  // These lists carry no page_number.
  const { page_number: _page, ...paging } = fields;
  return { paging, shown };
}
