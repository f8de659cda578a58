/** Users operations: domain logic only (no HTTP, no SQL). */
import type { Ctx } from '../../context.js';
import { zoomErrors } from '../../errors/zoom.js';
import type { Principal } from '../../guard/principal.js';
import { authorizeUser } from '../../guard/target.js';
import {
  defaultZakTtl,
  ME_ZAK_TTL,
  USER_TOKEN_TTL,
  type UserTokenType,
  ZAK_MAX_TTL,
} from '../../oauth/zak.js';
import { presentUser } from './present.js';
import { USER_SCOPES } from './scopes.js';

export interface GetUserQuery {
  login_type?: string;
  encrypted_email?: string;
  search_by_unique_id?: string;
}

export async function getUser(ctx: Ctx, principal: Principal, userId: string, query: GetUserQuery) {
  const errors = [];
  if (query.login_type !== undefined && !/^\d{1,3}$/.test(query.login_type)) {
    errors.push({ field: 'login_type', message: 'Invalid field.' });
  }
  for (const flag of ['encrypted_email', 'search_by_unique_id'] as const) {
    if (query[flag] !== undefined && query[flag] !== 'true' && query[flag] !== 'false') {
      errors.push({ field: flag, message: 'Invalid field.' });
    }
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user } = await authorizeUser(ctx.store, principal, userId, USER_SCOPES.getUser);
  const account = await ctx.store.accounts.findById(user.accountId);
  return presentUser(user, { publicUrl: ctx.publicUrl(), account, now: ctx.clock.now() });
}

export interface UserTokenQuery {
  type?: string;
  ttl?: string;
}

/** GET /users/{userId}/token: `type=token` (default, 14 days) or `type=zak` (ttl rules of the spec). */
export async function getUserToken(ctx: Ctx, principal: Principal, userId: string, query: UserTokenQuery) {
  const type = (query.type ?? 'token') as UserTokenType;
  if (type !== 'token' && type !== 'zak') {
    throw zoomErrors.validation([
      { field: 'type', message: "Invalid field. Allowed values: 'token', 'zak'." },
    ]);
  }
  let ttl: number | undefined;
  if (type === 'zak' && query.ttl !== undefined && query.ttl !== '') {
    ttl = /^\d{1,12}$/.test(query.ttl) ? Number(query.ttl) : Number.NaN;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > ZAK_MAX_TTL) {
      throw zoomErrors.validation([
        {
          field: 'ttl',
          message: `Invalid field. The ttl must be an integer from 1 to ${ZAK_MAX_TTL} seconds (one year).`,
        },
      ]);
    }
  }
  const { user } = await authorizeUser(ctx.store, principal, userId, USER_SCOPES.getUserToken);
  if (type === 'token') {
    // Zoom returns no token for users who sign in with Facebook (0) or Google (1).
    if (user.loginType === 0 || user.loginType === 1) return { token: null };
    return { token: await ctx.zaks.issue(user, USER_TOKEN_TTL, 'token') };
  }
  return { token: await ctx.zaks.issue(user, ttl ?? defaultZakTtl(user), 'zak') };
}

/** GET /users/me/zak: the token's own user's ZAK, valid five minutes. */
export async function getMyZak(ctx: Ctx, principal: Principal) {
  const { user } = await authorizeUser(ctx.store, principal, 'me', USER_SCOPES.getMyZak);
  return { token: await ctx.zaks.issue(user, ME_ZAK_TTL, 'zak') };
}
