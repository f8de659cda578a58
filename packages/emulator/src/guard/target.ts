/** The `{userId}` path parameter: an id, an email address, or `me` (the token's own user). */
import { accessErrors } from '../errors/access.js';
import { zoomErrors } from '../errors/zoom.js';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';
import type { Caller } from './caller.js';
import type { Principal } from './principal.js';
import { acceptedScopes, isAdminScope, requireAnyScope, requireScopes, type ScopeRule } from './scopes.js';
import { checkUserLevelReach } from './shared-access.js';

export interface Target {
  user: User;
  /** The path said `me`. */
  isMe: boolean;
  /** The target is the token's own user (by `me`, id or email). */
  isSelf: boolean;
  /** A user-level token reaching another user through shared access (acts with its own scopes). */
  viaSharedAccess?: boolean;
}

const MAX_USER_ID = 256;

/**
 * Whether the token's `:admin` scopes reach the whole account. Account-level, Server-to-Server and JWT
 * tokens: yes. A user-managed app's token: only when its user is the account's owner or an admin, as
 * Zoom grants `:admin` scopes to user-managed apps only for users with that role.
 */
export function adminReach(principal: Principal): boolean {
  if (principal.app.type !== 'oauth_user') return true;
  return principal.user?.roleId === '0' || principal.user?.roleId === '1';
}

/**
 * The samples' text on `me` (using-zoom-apis.notes.txt): a user-level app must pass `me` "instead of
 * providing a user's userId or email address. Otherwise, your app will receive an invalid token error."
 * The app setting `self_by_id: true` keeps the lenient behaviour (own id or email accepted).
 */
function selfByIdAllowed(principal: Principal): boolean {
  return principal.app.type !== 'oauth_user' || principal.app.settings.self_by_id === true;
}

export async function resolveUser(
  store: Store,
  principal: Principal,
  userId: string,
  rule?: ScopeRule,
): Promise<Target> {
  if (userId === 'me') {
    if (!principal.user) throw zoomErrors.userNotFound(userId);
    return { user: principal.user, isMe: true, isSelf: true };
  }
  // `/v2/users/` with nothing after the slash: a path parameter that is missing, not a user.
  if (userId.length === 0) throw zoomErrors.validation([{ field: 'userId', message: 'Invalid field.' }]);
  // Absurd values are simply users that do not exist; never echo megabytes back.
  if (userId.length > MAX_USER_ID) throw zoomErrors.userNotFound(userId.slice(0, MAX_USER_ID));
  // The caller itself is the most common target: no need to look it up again.
  const self = principal.user;
  const user =
    self && (userId === self.id || userId.toLowerCase() === self.email)
      ? self
      : await store.users.findByIdOrEmail(userId);
  // A user of another account is not found, exactly like a user that does not exist.
  if (!user || user.accountId !== principal.accountId) throw zoomErrors.userNotFound(userId);
  const isSelf = user.id === self?.id;
  if (isSelf) {
    if (!selfByIdAllowed(principal)) {
      throw accessErrors.notAuthorized(
        `a user-level token must name its own user as me, not ${userId} (app setting self_by_id allows it)`,
      );
    }
    return { user, isMe: false, isSelf };
  }
  if (principal.app.type === 'oauth_user') {
    const adminScope = rule
      ? acceptedScopes(rule).some((s) => isAdminScope(s) && principal.scopes.has(s))
      : false;
    if (adminScope && adminReach(principal)) return { user, isMe: false, isSelf };
    if (!rule?.viaPrivilege) {
      throw accessErrors.notAuthorized(
        `user-level token of ${self?.id} may act only on me; this operation is not covered by a privilege`,
      );
    }
    await checkUserLevelReach(store, principal, user);
    return { user, isMe: false, isSelf, viaSharedAccess: true };
  }
  return { user, isMe: false, isSelf };
}

/** How long an invitation (`POST /users` `create`) stays valid: Zoom's invitation links last 30 days. */
export const INVITATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function invitationExpired(user: User, now: number): boolean {
  return user.status === 'pending' && now >= user.createdAt + INVITATION_TTL_MS;
}

/**
 * Checks that the token holds one of the operation's scopes (4711, before anything is looked up), then
 * resolves `{userId}` and checks that those scopes allow acting on that user. With `now`, a pending
 * user whose invitation expired is S23's 400 code 1120 (DELETE passes no `now`: it withdraws them).
 */
export async function authorizeUser(
  store: Store,
  caller: Caller,
  userId: string,
  now?: number,
): Promise<Target> {
  const { principal, rule } = caller;
  requireAnyScope(principal.scopes, rule);
  const target = await resolveUser(store, principal, userId, rule);
  requireScopes(principal.scopes, rule, target.viaSharedAccess ? { ...target, isSelf: true } : target);
  if (now !== undefined && invitationExpired(target.user, now)) throw zoomErrors.invitationExpired();
  return target;
}
