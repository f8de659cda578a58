/** Users operations: domain logic only (no HTTP, no SQL). */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { isAdminScope, requireScopes } from '../../guard/scopes.js';
import { adminReach, authorizeUser } from '../../guard/target.js';
import { booleanQuery, EMAIL, integerQuery, isObject, requireObject } from '../../http/input.js';
import {
  defaultZakTtl,
  ME_ZAK_TTL,
  USER_TOKEN_TTL,
  type UserTokenType,
  ZAK_MAX_TTL,
} from '../../oauth/zak.js';
import type { User } from '../../store/models.js';
import { recordEvent } from '../../webhooks/emit.js';
import { decodeCursor, pageAnswer, pageParams, pageSizeOf } from '../paging.js';
import { userErrors } from './errors.js';
import { hostKeyOf, licensesOf, presentListedUser, presentUser, userSummary } from './present.js';

export interface GetUserQuery {
  login_type?: string;
  encrypted_email?: string;
  search_by_unique_id?: string;
}

export async function getUser(ctx: Ctx, caller: Caller, userId: string, query: GetUserQuery) {
  const errors = [];
  if (query.login_type !== undefined && integerQuery(query.login_type, 3) === undefined) {
    errors.push({ field: 'login_type', message: 'Invalid field.' });
  }
  for (const flag of ['encrypted_email', 'search_by_unique_id'] as const)
    booleanQuery(query[flag], flag, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  const account = await ctx.store.accounts.findById(user.accountId);
  return presentUser(user, { publicUrl: ctx.publicUrl(), account, now: ctx.clock.now() });
}

/** An invited user who has not accepted cannot sign in, so nothing signs in for them either [U]. */
function requireActivated(user: User): void {
  if (user.status === 'pending')
    throw zoomErrors.badRequest(
      'The user has not accepted the invitation yet.',
      'no ZAK or token for a pending user',
    );
}

export interface UserTokenQuery {
  type?: string;
  ttl?: string;
}

/**
 * GET /users/{userId}/token: `type=token` (default, 14 days) or `type=zak`. A `ttl` above one year
 * is clamped to one year (the samples' `ttl=68423085`), and `note` tells the request log so; an app
 * with the setting `strict_ttl` gets the validation error instead. `ttl` < 1 or not an integer is
 * always the validation error.
 */
export async function getUserToken(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  query: UserTokenQuery,
  note?: (text: string) => void,
) {
  const { principal } = caller;
  const type = (query.type ?? 'token') as UserTokenType;
  if (type !== 'token' && type !== 'zak') {
    throw zoomErrors.validation([
      { field: 'type', message: "Invalid field. Allowed values: 'token', 'zak'." },
    ]);
  }
  let ttl: number | undefined;
  if (type === 'zak' && query.ttl !== undefined && query.ttl !== '') {
    ttl = integerQuery(query.ttl, 12) ?? Number.NaN;
    const strict = principal.app.settings.strict_ttl === true;
    if (!Number.isInteger(ttl) || ttl < 1 || (strict && ttl > ZAK_MAX_TTL)) {
      throw zoomErrors.validation([
        {
          field: 'ttl',
          message: `Invalid field. The ttl must be an integer from 1 to ${ZAK_MAX_TTL} seconds (one year).`,
        },
      ]);
    }
    if (ttl > ZAK_MAX_TTL) {
      note?.(`ttl ${ttl} is above the one-year maximum; clamped to ${ZAK_MAX_TTL}`);
      ttl = ZAK_MAX_TTL;
    }
  }
  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  requireActivated(user);
  if (type === 'token') {
    // Zoom returns no token for users who sign in with Facebook (0) or Google (1).
    if (user.loginType === 0 || user.loginType === 1) return { token: null };
    return { token: await ctx.zaks.issue(user, USER_TOKEN_TTL, 'token') };
  }
  return { token: await ctx.zaks.issue(user, ttl ?? defaultZakTtl(user), 'zak') };
}

/** GET /users/me/zak: the token's own user's ZAK, valid five minutes. */
export async function getMyZak(ctx: Ctx, caller: Caller) {
  const { user } = await authorizeUser(ctx.store, caller, 'me', ctx.clock.now());
  requireActivated(user);
  return { token: await ctx.zaks.issue(user, ME_ZAK_TTL, 'zak') };
}

export interface ListUsersQuery {
  status?: string;
  page_size?: string;
  page_number?: string;
  next_page_token?: string;
  role_id?: string;
  include_fields?: string;
  license?: string;
}

const LIST_STATUSES = ['active', 'inactive', 'pending'] as const;
export const LIST_USERS_MAX_PAGE_SIZE = 2000;

/**
 * GET /users: keyset pagination in creation order. A page costs the same whatever the number of users;
 * only the first page (and the deprecated page_number) counts the total.
 */
export async function listUsers(ctx: Ctx, caller: Caller, query: ListUsersQuery) {
  const { principal } = caller;
  const errors: FieldError[] = [];
  const status = (query.status ?? 'active') as (typeof LIST_STATUSES)[number];
  if (!LIST_STATUSES.includes(status)) errors.push({ field: 'status', message: 'Invalid field.' });
  // A next page asked for without `page_size` continues at the token's own page size.
  const tokenPageSize =
    query.page_size === undefined && query.next_page_token ? pageSizeOf(query.next_page_token) : undefined;
  const { pageSize, pageNumber } = pageParams(
    tokenPageSize === undefined ? query : { ...query, page_size: String(tokenPageSize) },
    LIST_USERS_MAX_PAGE_SIZE,
    errors,
  );
  if (
    query.include_fields !== undefined &&
    !/^(custom_attributes|host_key)(,(custom_attributes|host_key))*$/.test(query.include_fields)
  ) {
    errors.push({ field: 'include_fields', message: 'Invalid field.' });
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  // Every scope the documents accept lets a token list; only an `:admin` one (with account-wide reach)
  // lists the account, the others list the token's own user (non-`:admin` scopes act on it alone).
  const { granted } = requireScopes(principal.scopes, caller.rule, { isMe: false, isSelf: true });
  const accountWide = adminReach(principal) && granted.some(isAdminScope);
  const license = query.license || undefined;

  const filter = { accountId: principal.accountId, status, roleId: query.role_id };
  const scope = `users:${filter.accountId}:${status}:${filter.roleId ?? ''}:${license ?? ''}:${accountWide ? '' : principal.user?.id}:${pageSize}`;
  const now = ctx.clock.now();
  const cursor = query.next_page_token
    ? decodeCursor(ctx.keys.pageToken, query.next_page_token, scope, now)
    : undefined;
  if (cursor && !cursor.ok) throw zoomErrors.invalidPageToken(cursor.reason);
  let page: number;
  let total: number;
  let users: User[];
  if (!accountWide || license !== undefined) {
    // Filters the counts cannot answer: the token's own user, or a license (kept in the profile). The
    // candidates are read and filtered here; licensed users are few.
    const self = principal.user;
    const candidates = accountWide
      ? await ctx.store.users.listPage(filter, { limit: Number.MAX_SAFE_INTEGER })
      : self && self.status === status && (filter.roleId === undefined || self.roleId === filter.roleId)
        ? [self]
        : [];
    const matching = candidates.filter((u) => license === undefined || licensesOf(u).includes(license));
    if (cursor?.ok) {
      ({ page, total } = cursor.cursor);
      const after = cursor.cursor.after;
      users = matching.filter((u) => u.seq > after).slice(0, pageSize);
    } else {
      page = pageNumber ?? 1;
      total = matching.length;
      users = matching.slice((page - 1) * pageSize, page * pageSize);
    }
  } else if (cursor?.ok) {
    ({ page, total } = cursor.cursor);
    users = await ctx.store.users.listPage(filter, { afterSeq: cursor.cursor.after, limit: pageSize });
  } else {
    page = pageNumber ?? 1;
    total = await ctx.store.users.count(filter);
    users = await ctx.store.users.listPage(filter, { offset: (page - 1) * pageSize, limit: pageSize });
  }
  const pageCount = Math.ceil(total / pageSize);
  const included = new Set((query.include_fields ?? '').split(','));
  const extras = {
    ...(included.has('host_key')
      ? { hostKey: (u: User) => hostKeyOf(u, (id) => ctx.keys.defaultHostKey(id)) }
      : {}),
    customAttributes: included.has('custom_attributes'),
  };
  const last = users.at(-1);
  const more = last !== undefined && users.length === pageSize && page < pageCount;
  return {
    ...pageAnswer(
      ctx.keys.pageToken,
      { scope, number: page, size: pageSize, total, next: more ? last.seq : undefined },
      now,
    ),
    users: users.map((u) => presentListedUser(u, now, extras)),
  };
}

const CREATE_ACTIONS = ['create', 'autoCreate', 'custCreate', 'ssoCreate'] as const;
type CreateAction = (typeof CREATE_ACTIONS)[number];

/**
 * POST /users. `create` invites: the user stays pending until the invitation is accepted (control API
 * `POST /_zemu/users/{userId}/accept-invitation`) and counts against the account's daily cap; the other
 * actions create active users (`custCreate` users cannot sign in; `autoCreate` takes a password).
 */
export async function createUser(ctx: Ctx, caller: Caller, body: unknown) {
  const { principal } = caller;
  const b = requireObject(body);
  const info = isObject(b.user_info) ? b.user_info : {};
  // Types, enums and lengths have been checked by the /v2 spec hook; these are Zoom's rules beyond them.
  const errors: FieldError[] = [];
  const action = b.action as CreateAction;
  if (typeof b.user_info !== 'object' || b.user_info === null)
    errors.push({ field: 'user_info', message: 'Invalid field.' });
  if (typeof info.email !== 'string' || !EMAIL.test(info.email)) {
    errors.push({ field: 'user_info.email', message: 'Invalid field.' });
  }
  const type = info.type;
  if (typeof type !== 'number' || (type === 99 && action !== 'ssoCreate')) {
    errors.push({ field: 'user_info.type', message: 'Invalid field.' });
  }
  const password = info.password;
  if (password !== undefined && action !== 'autoCreate') {
    errors.push({ field: 'user_info.password', message: 'Invalid field.' });
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  // S23's POST /users 400: "Error Code: 300 Invalid parameter: password" (the 8 to 32 characters of S25).
  if (typeof password === 'string' && (password.length < 8 || password.length > 32))
    throw zoomErrors.badRequest('Invalid parameter: password', 'password of the wrong length');
  requireScopes(principal.scopes, caller.rule, { isMe: false, isSelf: false });
  const email = info.email as string;
  const holder = await ctx.store.users.findByEmail(email);
  if (holder) {
    // S23: inviting the holder of an account elsewhere is 400 code 1009; in this account, 409 1005.
    if (action === 'create' && holder.accountId !== principal.accountId)
      throw userErrors.alreadyHoldsAccount(email);
    throw zoomErrors.conflict(`Email ${email} has already been used.`);
  }
  const account = await ctx.store.accounts.findById(principal.accountId);
  if (action === 'create' && account) await ctx.quotas.requireUserCreate(account.id, account.plan);
  const user = await ctx.world.createUser(
    principal.accountId,
    {
      email,
      type: type as number,
      action,
      status: action === 'create' ? 'pending' : 'active',
      ...(typeof info.first_name === 'string' ? { first_name: info.first_name } : {}),
      ...(typeof info.last_name === 'string' ? { last_name: info.last_name } : {}),
      ...(typeof info.display_name === 'string' ? { display_name: info.display_name } : {}),
      ...(typeof password === 'string' ? { password } : {}),
    },
    (trx, created) =>
      recordEvent(trx, ctx.clock, {
        accountId: created.accountId,
        event: 'user.created',
        operator: principal.user,
        payload: {
          creation_type: action,
          object: {
            id: created.id,
            first_name: created.firstName,
            last_name: created.lastName,
            display_name: created.displayName,
            email: created.email,
            type: created.type,
          },
        },
      }).then(() => undefined),
  );
  return userSummary(user);
}
