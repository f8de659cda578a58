/**
 * GET and DELETE /meetings/{meetingId}/registrants/{registrantId}. A deleted registration's join link
 * stops working at once; the address may register again (a new registrant id, a new link).
 */
import type { Ctx } from '../../../context.js';
import type { Caller } from '../../../guard/caller.js';
import { registrantErrors } from '../errors.js';
import { authorizeRegistration } from './access.js';
import { presentRegistrant } from './present.js';

export async function getRegistrant(ctx: Ctx, caller: Caller, meetingId: string, registrantId: string) {
  const { meeting } = await authorizeRegistration(ctx, caller, meetingId, 'notRequired');
  const registrant = await ctx.store.registrants.findById(meeting.id, registrantId);
  if (!registrant) throw registrantErrors.notFound(registrantId);
  return presentRegistrant(ctx, meeting, registrant);
}

export async function deleteRegistrant(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  registrantId: string,
): Promise<void> {
  const { meeting } = await authorizeRegistration(ctx, caller, meetingId, 'notEnabled');
  await ctx.store.transaction(async (trx) => {
    const registrant = await trx.registrants.findById(meeting.id, registrantId);
    if (!registrant || !(await trx.registrants.delete(registrant.seq)))
      throw registrantErrors.notFound(registrantId);
  });
}
