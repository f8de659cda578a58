/**
 * Which ended meeting a report's `{meetingId}` names (live/past.ts) and whether the caller may read
 * it: the caller's account, a paid plan, and not more than a year ago. Reports need `:admin` scopes.
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope, requireScopes } from '../../guard/scopes.js';
import { findEndedInstance } from '../../live/past.js';
import type { MeetingInstance } from '../../store/models.js';
import { reportErrors } from './errors.js';

const YEAR_MS = 365 * 86_400_000;

export async function authorizeReportMeeting(
  ctx: Ctx,
  caller: Caller,
  raw: string,
): Promise<MeetingInstance & { endTime: number }> {
  const { principal, rule } = caller;
  requireAnyScope(principal.scopes, rule);
  const found = await findEndedInstance(ctx, raw);
  if (!found.ok) throw reportErrors.meetingNotFound(raw, found.detail);
  const { instance } = found;
  if (instance.accountId !== principal.accountId) throw reportErrors.meetingNotFound(raw, 'another account');
  requireScopes(principal.scopes, rule, { isMe: false, isSelf: principal.user?.id === instance.hostId });
  await requirePaid(ctx, instance.accountId);
  if (ctx.clock.now() - instance.startTime > YEAR_MS) throw reportErrors.yearAgo();
  return instance;
}

/** Reports are for Pro plans and above. */
async function requirePaid(ctx: Ctx, accountId: string): Promise<void> {
  const account = await ctx.store.accounts.findById(accountId);
  if (account?.plan === 'free') throw reportErrors.noPermission('the account is on the free plan');
}
