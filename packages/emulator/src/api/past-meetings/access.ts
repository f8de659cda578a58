/**
 * Which past meeting `{meetingId}` names (live/past.ts: a meeting ID or a uuid, double-encoded
 * as Zoom documents), and whether the caller may read it. The instance must belong to the caller's account (else 3001, as if it did not exist), a user-level token reaches
 * only its own user's meetings, and the scopes must cover the host.
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope, requireScopes } from '../../guard/scopes.js';
import { findEndedInstance } from '../../live/past.js';
import type { MeetingInstance } from '../../store/models.js';
import { type NotFoundTexts, pastMeetingErrors } from './errors.js';

const YEAR_MS = 365 * 86_400_000;

/** A past meeting instance the caller may read, with the checks in Zoom's order. */
export async function authorizePastMeeting(
  ctx: Ctx,
  caller: Caller,
  raw: string,
  texts: NotFoundTexts,
): Promise<MeetingInstance & { endTime: number }> {
  const { principal, rule } = caller;
  requireAnyScope(principal.scopes, rule);
  const found = await findEndedInstance(ctx, raw);
  if (!found.ok)
    throw pastMeetingErrors.notFound(
      found.reason === 'unknown' ? texts.unknown : texts.notEnded,
      found.detail,
    );
  const { instance } = found;
  requireReach(caller, instance.accountId, instance.hostId, () =>
    pastMeetingErrors.notFound(texts.unknown, 'out of reach'),
  );
  if (ctx.clock.now() - instance.startTime > YEAR_MS) throw pastMeetingErrors.yearAgo();
  return instance;
}

/**
 * The meeting's account and host are within the caller's reach: the same account, and for a
 * user-level token its own user; then the scopes cover that host.
 */
export function requireReach(caller: Caller, accountId: string, hostId: string, notFound: () => Error): void {
  const { principal, rule } = caller;
  if (accountId !== principal.accountId) throw notFound();
  const isSelf = principal.user?.id === hostId;
  if (!isSelf && principal.app.type === 'oauth_user') throw notFound();
  requireScopes(principal.scopes, rule, { isMe: false, isSelf });
}
