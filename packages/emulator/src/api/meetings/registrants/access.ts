/**
 * Registration's own rules on top of the meeting's access (../access.ts): whether a meeting takes
 * registrants. Zoom offers registration on scheduled meetings (type 2) and recurring meetings with a
 * fixed time (type 8), when `settings.approval_type` is 0 (approved automatically) or 1 (approved by
 * the host); 2, the default, is "no registration required".
 */
import type { Ctx } from '../../../context.js';
import type { Caller } from '../../../guard/caller.js';
import type { Meeting } from '../../../store/models.js';
import { authorizeMeeting, requireMeetingCapability } from '../access.js';
import { registrantErrors } from '../errors.js';

/** 0 or 1 when the meeting takes registrants, else undefined; with why not. */
export function approvalType(m: Pick<Meeting, 'type' | 'settings'>): 0 | 1 | undefined {
  if (m.type !== 2 && m.type !== 8) return undefined;
  const a = m.settings.approval_type;
  return a === 0 || a === 1 ? a : undefined;
}

function whyNot(m: Meeting): string {
  return m.type !== 2 && m.type !== 8
    ? `meetings of type ${m.type} take no registration (only 2 and 8)`
    : `settings.approval_type is ${JSON.stringify(m.settings.approval_type ?? 2)}: no registration required`;
}

/**
 * The meeting `{meetingId}` as a registration operation reaches it: the meeting's access and the
 * host's capability, then (unless `anyMeeting`) registration enabled, refused with `refusal`.
 */
export async function authorizeRegistration(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  refusal: 'notRequired' | 'notEnabled' | 'anyMeeting',
) {
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  requireMeetingCapability(host);
  const approval = approvalType(meeting);
  if (approval === undefined && refusal !== 'anyMeeting')
    throw registrantErrors[refusal](meetingId, whyNot(meeting));
  return { meeting, host, approval };
}
