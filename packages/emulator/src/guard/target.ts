/** The `{userId}` path parameter: an id, an email address, or `me` (the token's own user). */
import { zoomErrors } from '../errors/zoom.js';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';
import { requireScopes, type ScopeRule } from './scopes.js';
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

export async function resolveUser(store: Store, principal: Principal, userId: string): Promise<Target> {
  if (userId === 'me') {
    if (!principal.user) throw zoomErrors.userNotFound(userId);
    return { user: principal.user, isMe: true, isSelf: true };
  }
  // Absurd values are simply users that do not exist; never echo megabytes back.
  if (userId.length === 0 || userId.length > MAX_USER_ID) {
    throw zoomErrors.userNotFound(userId.slice(0, MAX_USER_ID));
  }
  // The caller itself is the most common target: no need to look it up again.
  const self = principal.user;
  if (self && (userId === self.id || userId.toLowerCase() === self.email)) {
    return { user: self, isMe: false, isSelf: true };
  }
  const user = await store.users.findByIdOrEmail(userId);
  // A user of another account is not found, exactly like a user that does not exist.
  if (!user || user.accountId !== principal.accountId) throw zoomErrors.userNotFound(userId);
  const isSelf = user.id === principal.user?.id;
  if (!isSelf && principal.app.type === 'oauth_user') {
    await checkUserLevelReach(store, principal, user);
    return { user, isMe: false, isSelf, viaSharedAccess: true };
  }
  return { user, isMe: false, isSelf };
}

/** Resolves `{userId}` and checks that the token's scopes allow acting on that user. */
export async function authorizeUser(
  store: Store,
  principal: Principal,
  userId: string,
  rule: ScopeRule,
): Promise<Target> {
  const target = await resolveUser(store, principal, userId);
  requireScopes(principal.scopes, rule, target.viaSharedAccess ? { ...target, isSelf: true } : target);
  return target;
}
