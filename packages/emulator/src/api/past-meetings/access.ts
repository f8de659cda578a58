/**
 * Which past meeting `{meetingId}` names, and whether the caller may read it. The path holds a
 * meeting ID (its latest ended instance) or an instance's uuid; a uuid beginning with `/` or holding
 * `//` must be double-encoded, as Zoom documents, and is decoded a second time here. The instance
 * must belong to the caller's account (else 3001, as if it did not exist), a user-level token reaches
 * only its own user's meetings, and the scopes must cover the host.
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope, requireScopes } from '../../guard/scopes.js';
import { settle } from '../../live/engine.js';
import type { MeetingInstance } from '../../store/models.js';
import { type NotFoundTexts, pastMeetingErrors } from './errors.js';

const YEAR_MS = 365 * 86_400_000;
/** Zoom's uuids: standard base64 of 16 bytes (24 characters); a little room for other shapes. */
const UUID = /^[A-Za-z0-9+/=_-]{8,64}$/;

/** The uuid the path names, decoded once more when it was double-encoded; undefined when malformed. */
function uuidOf(raw: string): string | undefined {
  let value = raw;
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  } else if (value.startsWith('/') || value.includes('//')) {
    // Zoom requires these double-encoded; a singly-encoded one does not reach the meeting.
    return undefined;
  }
  return UUID.test(value) ? value : undefined;
}

/** The ended instance `raw` names (its meeting settled first, so a meeting past its end has ended). */
async function findEnded(ctx: Ctx, raw: string, texts: NotFoundTexts): Promise<MeetingInstance> {
  if (/^\d{1,19}$/.test(raw)) {
    const id = Number(raw);
    const meeting = await ctx.store.meetings.findById(id);
    if (meeting) await settle(ctx, meeting);
    const instance = await ctx.store.instances.latestEnded(id);
    if (!instance) {
      throw meeting
        ? pastMeetingErrors.notFound(texts.notEnded, 'the meeting has no ended instance')
        : pastMeetingErrors.notFound(texts.unknown, 'no such meeting');
    }
    return instance;
  }
  const uuid = uuidOf(raw);
  let instance = uuid === undefined ? undefined : await ctx.store.instances.findByUuid(uuid);
  if (!instance)
    throw pastMeetingErrors.notFound(
      texts.unknown,
      uuid === undefined ? 'not a meeting uuid (or not double-encoded)' : 'no such instance',
    );
  if (instance.endTime === null) {
    const meeting = await ctx.store.meetings.findById(instance.meetingId);
    if (meeting) await settle(ctx, meeting);
    instance = (await ctx.store.instances.findByUuid(instance.uuid)) as MeetingInstance;
    if (instance.endTime === null)
      throw pastMeetingErrors.notFound(texts.notEnded, 'the instance is still live');
  }
  return instance;
}

/** A past meeting instance the caller may read, with the checks in Zoom's order. */
export async function authorizePastMeeting(
  ctx: Ctx,
  caller: Caller,
  raw: string,
  texts: NotFoundTexts,
): Promise<MeetingInstance> {
  const { principal, rule } = caller;
  requireAnyScope(principal.scopes, rule);
  const instance = await findEnded(ctx, raw, texts);
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
