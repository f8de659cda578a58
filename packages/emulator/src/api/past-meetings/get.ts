/** GET /past_meetings/{meetingId}: one ended instance, its figures from what happened in it. */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { authorizePastMeeting } from './access.js';
import { DETAILS_TEXTS } from './errors.js';
import { presentPastMeeting } from './present.js';

export async function getPastMeeting(ctx: Ctx, caller: Caller, meetingId: string) {
  const instance = await authorizePastMeeting(ctx, caller, meetingId, DETAILS_TEXTS);
  const endTime = instance.endTime as number;
  const host = await ctx.store.users.findById(instance.hostId);
  const totals = await ctx.store.instances.totals(instance.uuid, endTime);
  return presentPastMeeting({ ...instance, endTime }, host, totals);
}
