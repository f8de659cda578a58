/**
 * PUT /meetings/{meetingId}/status `{"action": "end"}`: ends the live meeting now (live/engine.ts):
 * everyone still in leaves, the instance becomes a past meeting under the uuid it ran with, and the
 * meeting gets a new uuid. A meeting that is not in progress is Zoom's 3000; `recover` is refused the
 * same way, since Zemu does not keep deleted meetings (docs/compatibility.md).
 */
import type { Ctx } from '../../context.js';
import { zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireObject } from '../../http/input.js';
import { end } from '../../live/engine.js';
import { authorizeMeeting, requireMeetingCapability } from './access.js';
import { meetingErrors } from './errors.js';

export async function updateMeetingStatus(ctx: Ctx, caller: Caller, meetingId: string, body: unknown) {
  const b = requireObject(body);
  // The spec's enum (end, recover) has been checked by the /v2 hook; the document requires neither.
  if (b.action === undefined)
    throw zoomErrors.validation([
      { field: 'action', message: "Invalid field. Allowed values: 'end', 'recover'." },
    ]);
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  requireMeetingCapability(host);
  if (b.action === 'recover')
    throw meetingErrors.cannotAccess('recover: Zemu keeps no deleted meetings to recover');
  const ended = await end(ctx, meeting.id);
  if (!ended.ok) {
    if (ended.reason === 'gone') throw meetingErrors.notFound(meetingId, 'deleted meanwhile');
    throw meetingErrors.cannotAccess('the meeting is not in progress');
  }
}
