/**
 * Who may act on a meeting: the host behind `/users/{userId}`, the meeting behind `{meetingId}`, the
 * host's capability to hold meetings, and the host a scheduler may schedule for (`schedule_for`).
 */
import type { Ctx } from '../../context.js';
import { ZoomRefusal } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope, requireScopes } from '../../guard/scopes.js';
import { authorizeUser } from '../../guard/target.js';
import { settle } from '../../live/engine.js';
import type { Meeting, User } from '../../store/models.js';
import { meetingErrors } from './errors.js';
import { isExpired } from './lifecycle.js';

/** Zoom's meeting numbers have 11 digits at most. */
export const MAX_MEETING_ID = 99_999_999_999;

/** `/users/{userId}` resolution with the Meetings spec's 404 text. */
export async function authorizeHost(ctx: Ctx, caller: Caller, userId: string) {
  try {
    return await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  } catch (e) {
    if (e instanceof ZoomRefusal && e.code === 1001) throw meetingErrors.userNotFound(userId.slice(0, 256));
    throw e;
  }
}

/** The path's `{meetingId}` as Zoom's int64 meeting number. */
function parseMeetingId(raw: string): number {
  if (!/^\d{1,19}$/.test(raw)) throw meetingErrors.invalidMeetingId();
  return Number(raw);
}

/**
 * A meeting the caller may act on: its host is a user of the caller's account (else 3001, as if it did
 * not exist), a user-level token reaches only its own user's meetings, and the scopes cover the host.
 */
export async function authorizeMeeting(
  ctx: Ctx,
  caller: Caller,
  rawId: string,
): Promise<{ meeting: Meeting; host: User }> {
  const { principal, rule } = caller;
  const id = parseMeetingId(rawId);
  requireAnyScope(principal.scopes, rule);
  const found = id <= MAX_MEETING_ID ? await ctx.store.meetings.findById(id) : undefined;
  // A meeting past its scheduled end has ended: its instance is closed before anything reads it.
  const meeting = found && (await settle(ctx, found));
  if (!meeting || meeting.accountId !== principal.accountId) {
    throw meetingErrors.notFound(rawId, meeting ? "the meeting's host is in another account" : undefined);
  }
  if (isExpired(meeting, ctx.clock.now())) throw meetingErrors.notFound(rawId, 'the meeting ID has expired');
  const host =
    principal.user?.id === meeting.hostId ? principal.user : await ctx.store.users.findById(meeting.hostId);
  if (!host || host.accountId !== principal.accountId) {
    throw meetingErrors.notFound(rawId, 'the host is no longer a user of this account');
  }
  const isSelf = host.id === principal.user?.id;
  if (!isSelf && principal.app.type === 'oauth_user') {
    throw meetingErrors.notFound(rawId, "a user-level token reaches only its own user's meetings");
  }
  requireScopes(principal.scopes, rule, { isMe: false, isSelf });
  return { meeting, host };
}

/** Users of type 4 (no Meetings Basic) and 99 (none) cannot host: Zoom's 3161. */
export function requireMeetingCapability(host: User): void {
  if (host.type === 4 || host.type === 99)
    throw meetingErrors.noMeetingCapability(`user ${host.id} is of type ${host.type}`);
}

/**
 * `schedule_for`: the host the scheduler (`{userId}`) schedules for. The scheduler needs a privilege
 * from that user (Zoom's "scheduling privilege", control API `/users/{id}/privileges`) unless it is
 * the account's owner or an admin.
 */
export async function scheduledHost(
  ctx: Ctx,
  scheduler: User,
  scheduleFor: string | undefined,
  type: number,
): Promise<User> {
  if (scheduleFor === undefined || scheduleFor === '') return scheduler;
  const id = scheduleFor.slice(0, 256);
  if (id === scheduler.id || id.toLowerCase() === scheduler.email) return scheduler;
  if (type === 1) throw meetingErrors.instantScheduleFor();
  const target = await ctx.store.users.findByIdOrEmail(id);
  if (!target || target.accountId !== scheduler.accountId)
    throw meetingErrors.cannotScheduleFor(id, 'no such user in this account');
  const isAdmin = scheduler.roleId === '0' || scheduler.roleId === '1';
  if (!isAdmin && (await ctx.store.privileges.between(target.id, scheduler.id)).length === 0) {
    throw meetingErrors.cannotScheduleFor(
      id,
      `${target.id} gave ${scheduler.id} no scheduling privilege and ${scheduler.id} is not an admin`,
    );
  }
  return target;
}
