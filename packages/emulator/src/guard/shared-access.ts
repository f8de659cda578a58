/**
 * Who a user-level token (user-managed OAuth app) may act on: its own user, or a user of the same
 * account who gave the token's user a privilege (e.g. scheduling), once the token's user has granted
 * the app shared access. Account-level, Server-to-Server and JWT tokens are not limited here.
 */
import { accessErrors } from '../errors/access.js';
import type { User } from '../store/models.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';

/** Throws unless `principal` may act on `target` (another user than its own). */
export async function checkUserLevelReach(store: Store, principal: Principal, target: User): Promise<void> {
  if (principal.app.type !== 'oauth_user') return;
  const self = principal.user;
  if (!self) throw accessErrors.notAuthorized('a user-level token without a user');
  const privileges = await store.privileges.between(target.id, self.id);
  if (privileges.length === 0) {
    throw accessErrors.notAuthorized(
      `user-level token of ${self.id} may act only on me; ${target.id} gave it no privilege`,
    );
  }
  if (!(await store.privileges.hasSharedAccess(self.id, principal.app.clientId))) {
    throw accessErrors.noSharedAccess(
      `${target.id} gave ${self.id} ${privileges.join(', ')} privilege, but ${self.id} has not granted app ${principal.app.clientId} shared access`,
    );
  }
}
