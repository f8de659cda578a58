/** GET /past_meetings/{meetingId}/instances: the meeting's ended instances, oldest first. */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope } from '../../guard/scopes.js';
import { settle } from '../../live/engine.js';
import { requireReach } from './access.js';
import { pastMeetingErrors } from './errors.js';
import { presentInstance } from './present.js';

export async function listPastInstances(ctx: Ctx, caller: Caller, meetingId: string) {
  if (!/^\d{1,19}$/.test(meetingId)) throw pastMeetingErrors.invalidMeetingId();
  requireAnyScope(caller.principal.scopes, caller.rule);
  const id = Number(meetingId);
  const meeting = await ctx.store.meetings.findById(id);
  if (meeting) await settle(ctx, meeting);
  const instances = await ctx.store.instances.listEnded(id);
  // Whose meeting it is: the meeting's, or (deleted since) its last instance's.
  const owner = meeting ?? instances.at(-1);
  if (!owner) throw pastMeetingErrors.instancesNotFound('no such meeting');
  requireReach(caller, owner.accountId, owner.hostId, () =>
    pastMeetingErrors.instancesNotFound('out of reach'),
  );
  return { meetings: instances.map(presentInstance) };
}
