/** GET /report/meetings/{meetingId}: the report of an ended meeting, from what happened in it. */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { authorizeReportMeeting } from './access.js';
import { presentReportMeeting } from './present.js';

export async function reportMeeting(ctx: Ctx, caller: Caller, meetingId: string) {
  const instance = await authorizeReportMeeting(ctx, caller, meetingId);
  const host = await ctx.store.users.findById(instance.hostId);
  const totals = await ctx.store.instances.totals(instance.uuid, instance.endTime);
  return presentReportMeeting(instance, host, totals);
}
