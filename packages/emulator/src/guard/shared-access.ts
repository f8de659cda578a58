/**
 * Who a user-level token (user-managed OAuth app) may act on: its own user, or a user of the same
 * account who gave the token's user a privilege (e.g. scheduling), once the token's user has granted
 * the app shared access. Account-level, Server-to-Server and JWT tokens are not limited here.
 */
import { ZoomRefusal } from '../errors/zoom.js';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';

export const sharedAccessErrors = {
  /** SK: a user-level token on another user's id. Status 400 like 4711 [U]. */
  notAuthorized: (reason: string) =>
    new ZoomRefusal(
      400,
      4700,
      'Invalid access token, does not contain scopes. The user is not authorized',
      undefined,
      reason,
    ),
  /** D-ERR 403 "has not authorized shared access permissions"; body text from SK [U]. */
  noSharedAccess: (reason: string) =>
    new ZoomRefusal(
      403,
      3001,
      'Authenticated user has not permitted access to the targeted resource.',
      undefined,
      reason,
    ),
};

/** Throws unless `principal` may act on `target` (another user than its own). */
export async function checkUserLevelReach(store: Store, principal: Principal, target: User): Promise<void> {
  if (principal.app.type !== 'oauth_user') return;
  const self = principal.user;
  if (!self) throw sharedAccessErrors.notAuthorized('a user-level token without a user');
  const privileges = await store.privileges.between(target.id, self.id);
  if (privileges.length === 0) {
    throw sharedAccessErrors.notAuthorized(
      `user-level token of ${self.id} may act only on me; ${target.id} gave it no privilege`,
    );
  }
  if (!(await store.privileges.hasSharedAccess(self.id, principal.app.clientId))) {
    throw sharedAccessErrors.noSharedAccess(
      `${target.id} gave ${self.id} ${privileges.join(', ')} privilege, but ${self.id} has not granted app ${principal.app.clientId} shared access`,
    );
  }
}
