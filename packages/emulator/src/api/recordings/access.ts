/**
 * Which recording `{meetingId}` names and whether the caller may act on it. A meeting ID names its
 * latest ended instance, a uuid that instance (double-encoded when Zoom requires it: live/past.ts).
 * The recording must belong to the caller's account (else 3301, as if it did not exist), a user-level
 * token reaches only its own user's recordings, and the scopes must cover the host.
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope, requireScopes } from '../../guard/scopes.js';
import { findEndedInstance } from '../../live/past.js';
import type { Recording } from '../../store/models.js';
import { recordingErrors } from './errors.js';

export async function authorizeRecording(ctx: Ctx, caller: Caller, raw: string): Promise<Recording> {
  const { principal, rule } = caller;
  requireAnyScope(principal.scopes, rule);
  const found = await findEndedInstance(ctx, raw);
  if (!found.ok) throw recordingErrors.noRecording(found.detail);
  const recording = await ctx.store.recordings.findByUuid(found.instance.uuid);
  if (!recording) throw recordingErrors.noRecording('the instance was not recorded to the cloud');
  if (recording.accountId !== principal.accountId) throw recordingErrors.noRecording('another account');
  const isSelf = principal.user?.id === recording.hostId;
  if (!isSelf && principal.app.type === 'oauth_user') throw recordingErrors.noRecording('out of reach');
  requireScopes(principal.scopes, rule, { isMe: false, isSelf });
  return recording;
}
