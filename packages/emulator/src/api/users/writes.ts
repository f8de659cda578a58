/**
 * Users writes: PATCH, DELETE, status, password, email, token revocation, e-mail check. Domain rules
 * only (no HTTP, no SQL); each change and its event are written in one transaction.
 */
import type { Ctx } from '../../context.js';
import { hashPassword, verifyPassword } from '../../crypto.js';
import { type FieldError, ZoomRefusal, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireScopes } from '../../guard/scopes.js';
import { authorizeUser } from '../../guard/target.js';
import { booleanQuery, EMAIL, integerQuery, isObject, requireObject } from '../../http/input.js';
import { accountNumber, zoomId } from '../../ids.js';
import type { User } from '../../store/models.js';
import type { UserPatch } from '../../store/repos/users.js';
import type { Store } from '../../store/store.js';
import { recordEvent } from '../../webhooks/emit.js';
import { userErrors } from './errors.js';
import { emit } from './events.js';
import { userSummary } from './present.js';

/** A unique index refused the write (SQLite or PostgreSQL). */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Inside a write's transaction: `user` as it is now, its row locked until the transaction ends, so that
 * concurrent writes to one user apply one after the other. 1001 when a concurrent call removed it from
 * the account first.
 */
export async function lockedUser(trx: Store, user: User, userId: string): Promise<User> {
  const current = await trx.users.lockById(user.id);
  if (!current || current.accountId !== user.accountId) throw zoomErrors.userNotFound(userId);
  return current;
}

const LOGIN_TYPES = [0, 1, 11, 21, 23, 24, 27, 97, 98, 99, 100, 101];
/** `login_type`: one of Zoom's sign-in types. */
export function checkLoginType(errors: FieldError[], value: unknown) {
  if (value === undefined) return;
  if (!LOGIN_TYPES.includes(integerQuery(value, 3) ?? -1)) {
    errors.push({ field: 'login_type', message: 'Invalid field.' });
  }
}

// ---------------------------------------------------------------------------------------------------
// PATCH /users/{userId}

export interface UpdateUserQuery {
  login_type?: string;
  remove_tsp_credentials?: string;
}

/** Body fields stored in columns: Zoom's name -> the User property. */
const COLUMN_FIELDS = {
  first_name: 'firstName',
  last_name: 'lastName',
  display_name: 'displayName',
  type: 'type',
  pmi: 'pmi',
  timezone: 'timezone',
  language: 'language',
  dept: 'dept',
  job_title: 'jobTitle',
  company: 'company',
  location: 'location',
} as const satisfies Record<string, keyof UserPatch>;

/** Body fields kept in the user's profile JSON (shown by GET user unless private, see present.ts). */
const PROFILE_FIELDS = [
  'use_pmi',
  'vanity_name',
  'host_key',
  'manager',
  'phone_numbers',
  'custom_attributes',
  'cms_user_id',
  'cost_center',
  'pronouns',
  'pronouns_option',
  'zoom_one_type',
  'plan_united_type',
  'phone_country',
  'phone_number',
  'about_me',
  'linkedin_url',
  'feature',
] as const;

const NO_MEETINGS_LICENSE = [4, 99];
export const VANITY_NAME = /^[A-Za-z][A-Za-z0-9.]{4,39}$/;

function validTimezone(tz: string): boolean {
  if (tz.length === 0 || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Zoom's rules for a PATCH body beyond what its OpenAPI schema says. Types, enums, the schema's lengths
 * and ranges (`first_name` 64, `pmi` 10 digits, `type`, `phone_numbers[].label`, ...) have been checked
 * by the /v2 spec hook (api/spec/validate.ts) before the handler runs; what is left is formats and the
 * lengths the schema leaves open.
 */
function validateUpdateBody(b: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const bad = (field: string, message = 'Invalid field.') => errors.push({ field, message });
  const str = (field: string, max: number) => {
    const v = b[field];
    if (typeof v === 'string' && v.length > max) bad(field);
  };
  str('dept', 128);
  str('cms_user_id', 128);
  str('cost_center', 128);
  str('pronouns', 128);
  str('phone_country', 8);
  str('phone_number', 32);
  str('linkedin_url', 256);
  str('group_id', 64);
  str('manager', 128);
  if (typeof b.timezone === 'string' && !validTimezone(b.timezone)) bad('timezone');
  if (typeof b.language === 'string' && !/^[A-Za-z]{2}-[A-Za-z]{2}$/.test(b.language)) bad('language');
  if (typeof b.vanity_name === 'string' && !VANITY_NAME.test(b.vanity_name)) bad('vanity_name');
  if (typeof b.host_key === 'string' && !/^\d{6,10}$/.test(b.host_key))
    bad('host_key', 'Invalid field. The host key must be 6 to 10 digits.');
  for (const [field, keys, max] of [
    ['phone_numbers', ['code', 'country', 'number'], 32],
    ['custom_attributes', ['key', 'name', 'value'], 256],
  ] as const) {
    const list = b[field];
    if (!Array.isArray(list)) continue;
    for (const [i, item] of list.entries()) {
      if (!isObject(item)) continue;
      for (const k of keys) {
        const v = item[k];
        if (typeof v === 'string' && v.length > max) bad(`${field}[${i}].${k}`);
      }
    }
  }
  return errors;
}

/** PATCH /users/{userId}: 204; the changes show in GET user; `user.updated` with the old values. */
export async function updateUser(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  query: UpdateUserQuery,
  input: unknown,
): Promise<void> {
  const { principal } = caller;
  const body = requireObject(input);
  const errors = validateUpdateBody(body);
  checkLoginType(errors, query.login_type);
  booleanQuery(query.remove_tsp_credentials, 'remove_tsp_credentials', errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  // Zoom's own code 300 messages (S23) for rules beyond types and lengths.
  const planFields = ['type', 'plan_united_type', 'zoom_one_type'].filter((f) => body[f] !== undefined);
  if (planFields.length > 1)
    throw zoomErrors.badRequest(
      'You can\'t change the "type" or "plan_united_type" or "zoom_one_type" at the same time.',
    );
  if (typeof body.about_me === 'string' && /<[^>]*>|https?:\/\/|www\./i.test(body.about_me))
    throw zoomErrors.badRequest("The `about_me` field is illegal and can't contain hyperlinks or HTML code.");
  if (typeof body.linkedin_url === 'string' && !/linkedin\.com/i.test(body.linkedin_url))
    throw zoomErrors.badRequest('The `linkedin_url` field is illegal. The URL must contain `linkedin.com`.');

  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  // Zemu has no groups: any group id is one that does not exist.
  if (typeof body.group_id === 'string') throw userErrors.groupNotFound(body.group_id);
  const newType = (body.type as number | undefined) ?? user.type;
  if ((body.pmi !== undefined || body.use_pmi !== undefined) && NO_MEETINGS_LICENSE.includes(newType))
    throw zoomErrors.notAllowed('You cannot change PMI information for a "No Meetings License" user.');

  await ctx.store.transaction(async (trx) => {
    // The change is worked out from the user as it is now, its row locked: two concurrent PATCHes
    // apply one after the other, neither undoing the other's profile fields.
    const current = await lockedUser(trx, user, userId);
    const { patch, changed, old } = userChanges(current, body);
    if (Object.keys(changed).length === 0) return;
    // No index guards PMIs and vanity names: the value is locked so that two PATCHes cannot both see
    // it free and both take it.
    if (typeof changed.pmi === 'number') {
      await trx.lockKey(`pmi:${changed.pmi}`);
      const holder = await trx.users.findByPmi(changed.pmi);
      if (holder && holder.id !== user.id)
        throw zoomErrors.badRequest(
          `The PMI ${changed.pmi} is already in use. Please choose another one.`,
          `pmi held by user ${holder.id}`,
        );
    }
    if (typeof changed.vanity_name === 'string') {
      await trx.lockKey(`vanity:${changed.vanity_name.toLowerCase()}`);
      const holder = await trx.users.findByVanityName(changed.vanity_name);
      if (holder && holder.id !== user.id) throw userErrors.vanityNameTaken(changed.vanity_name);
    }
    await trx.users.update(user.id, patch);
    await emit(trx, ctx, principal, 'user.updated', {
      object: { id: user.id, ...changed },
      old_object: { id: user.id, ...old },
    });
  });
}

/** What `body` changes on `user`: the columns and profile to write, the new and the old values. */
function userChanges(user: User, body: Record<string, unknown>) {
  const patch: UserPatch = {};
  const changed: Record<string, unknown> = {};
  const old: Record<string, unknown> = {};
  for (const [field, prop] of Object.entries(COLUMN_FIELDS)) {
    const v = body[field];
    if (v === undefined || v === user[prop]) continue;
    (patch as Record<string, unknown>)[prop] = v;
    changed[field] = v;
    old[field] = user[prop];
  }
  // A display name that was the first and last name follows a new first or last name, unless the same
  // PATCH sets one (Zoom shows "first last" until the user picks another display name).
  const derived = `${user.firstName} ${user.lastName}`.trim();
  if (
    ('first_name' in changed || 'last_name' in changed) &&
    body.display_name === undefined &&
    user.displayName === derived
  ) {
    const next =
      `${(changed.first_name as string | undefined) ?? user.firstName} ${(changed.last_name as string | undefined) ?? user.lastName}`.trim();
    if (next !== user.displayName) {
      patch.displayName = next;
      changed.display_name = next;
      old.display_name = user.displayName;
    }
  }
  const profile = { ...user.profile };
  for (const field of PROFILE_FIELDS) {
    const v = body[field];
    if (v === undefined) continue;
    const before = profile[field] ?? (field === 'use_pmi' ? false : undefined);
    if (JSON.stringify(before) === JSON.stringify(v)) continue;
    profile[field] = v;
    changed[field] = v;
    old[field] = before ?? null;
  }
  if (PROFILE_FIELDS.some((f) => f in changed)) patch.profile = profile;
  return { patch, changed, old };
}

// ---------------------------------------------------------------------------------------------------
// DELETE /users/{userId}

export interface DeleteUserQuery {
  action?: string;
  encrypted_email?: string;
  transfer_email?: string;
  transfer_meeting?: string;
  transfer_webinar?: string;
  transfer_recording?: string;
  transfer_whiteboard?: string;
  transfer_clipfiles?: string;
  transfer_notes?: string;
  transfer_visitors?: string;
  transfer_docs?: string;
}

const TRANSFER_FLAGS = [
  'transfer_meeting',
  'transfer_webinar',
  'transfer_recording',
  'transfer_whiteboard',
  'transfer_clipfiles',
  'transfer_notes',
  'transfer_visitors',
  'transfer_docs',
] as const;

/**
 * DELETE /users/{userId}: `disassociate` (default) moves the user out to a free account of its own
 * (a pending user's invitation is withdrawn); `delete` removes the user. Either way the user's tokens
 * are revoked and its ZAKs stop working in the old account.
 */
export async function deleteUser(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  query: DeleteUserQuery,
): Promise<void> {
  const { principal } = caller;
  const errors: FieldError[] = [];
  const action = query.action ?? 'disassociate';
  if (action !== 'disassociate' && action !== 'delete')
    errors.push({ field: 'action', message: "Invalid field. Allowed values: 'disassociate', 'delete'." });
  booleanQuery(query.encrypted_email, 'encrypted_email', errors);
  for (const flag of TRANSFER_FLAGS) booleanQuery(query[flag], flag, errors);
  const transferEmail = query.transfer_email;
  if (transferEmail !== undefined && (transferEmail.length > 128 || !EMAIL.test(transferEmail)))
    errors.push({ field: 'transfer_email', message: 'Invalid field.' });
  if (errors.length > 0) throw zoomErrors.validation(errors);

  const { user } = await authorizeUser(ctx.store, caller, userId).catch(async (e: unknown) => {
    // S23's DELETE /users/{userId} 400: "Error Code: 200 Cannot delete a user out of your account."
    // (other operations answer 1001 for a user of another account, as if it did not exist).
    if (e instanceof ZoomRefusal && e.code === 1001 && userId.length <= 256) {
      const elsewhere = await ctx.store.users.findByIdOrEmail(userId);
      if (elsewhere && elsewhere.accountId !== principal.accountId)
        throw zoomErrors.notAllowed(
          'Cannot delete a user out of your account.',
          `user ${elsewhere.id} belongs to account ${elsewhere.accountId}`,
        );
    }
    throw e;
  });
  const account = await ctx.store.accounts.findById(user.accountId);
  if (user.roleId === '0' || account?.ownerUserId === user.id)
    throw zoomErrors.notAllowed(
      'Cannot delete the account owner.',
      'the account owner cannot leave its account',
    );
  if (user.status === 'pending' && action === 'delete')
    throw zoomErrors.badRequest(
      'To delete a pending user in the account, use `disassociate`.',
      'pending users are removed with action=disassociate',
    );
  if (action === 'disassociate' && user.status !== 'pending') {
    if (user.roleId === '1') throw userErrors.cannotDisassociateAdmin();
    if (user.creationAction === 'custCreate') throw zoomErrors.badRequest('Unable to unlink API user(s).');
  }
  let transferTo: User | undefined;
  if (transferEmail !== undefined) {
    if (transferEmail.toLowerCase() === user.email)
      throw zoomErrors.badRequest(
        "The transfer-to email address cannot be the same as the unlinked or deleted user's email address.",
      );
    const target = await ctx.store.users.findByEmail(transferEmail);
    if (!target || target.accountId !== user.accountId || target.status !== 'active')
      throw zoomErrors.userNotFound(transferEmail);
    transferTo = target;
  }
  // Meetings go to transfer_email's user only when transfer_meeting=true; otherwise they stay with the
  // user (disassociate) or go with it (delete).
  const transferMeetings = transferTo !== undefined && query.transfer_meeting === 'true';

  const now = ctx.clock.now();
  await ctx.store.transaction(async (trx) => {
    // Re-read under lock: a concurrent DELETE that got there first leaves nothing to do twice. A user
    // it disassociated is now out of this account: S23's 400 code 200, as for any later DELETE.
    const current = await trx.users.lockById(user.id);
    if (current && current.accountId !== user.accountId)
      throw zoomErrors.notAllowed(
        'Cannot delete a user out of your account.',
        `user ${user.id} left the account during this request`,
      );
    await lockedUser(trx, user, userId);
    const reason = `user ${user.id} was ${action === 'delete' ? 'deleted' : 'disassociated'}`;
    await trx.users.revokeTokensOf(user.id, now, reason);
    if (transferMeetings && transferTo) {
      await trx.meetings.transferHost(user.id, { hostId: transferTo.id, accountId: transferTo.accountId });
    }
    if (action === 'delete' || user.status === 'pending') {
      await trx.meetings.deleteOfHost(user.id);
      await trx.userSettings.delete(user.id);
      await trx.users.delete(user.id);
    } else {
      // Zoom gives a disassociated user "their own basic free Zoom account".
      const own = {
        id: zoomId(),
        name: `${user.firstName || user.email.split('@')[0]}'s account`,
        plan: 'free' as const,
        ownerUserId: null,
        accountNumber: accountNumber(),
        createdAt: now,
        settings: {},
      };
      await trx.accounts.insert(own);
      await trx.accounts.setOwner(own.id, user.id);
      await trx.users.update(user.id, { accountId: own.id, roleId: '0', type: 1, status: 'active' });
      await trx.meetings.moveHost(user.id, own.id);
      await trx.users.bumpZakVersion(user.id);
    }
    await emit(trx, ctx, principal, action === 'delete' ? 'user.deleted' : 'user.disassociated', {
      object: userSummary(user),
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// PUT /users/{userId}/status

/** PUT /users/{userId}/status: 204. A deactivated user's tokens answer 124 until it is activated. */
export async function updateUserStatus(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  input: unknown,
): Promise<void> {
  const { principal } = caller;
  const body = requireObject(input);
  const action = body.action;
  if (action === 'clock_in' || action === 'clock_out')
    throw zoomErrors.validation([
      { field: 'action', message: 'Invalid field. Zemu does not emulate clock_in and clock_out.' },
    ]);
  if (action !== 'activate' && action !== 'deactivate')
    throw zoomErrors.validation([
      { field: 'action', message: "Invalid field. Allowed values: 'activate', 'deactivate'." },
    ]);
  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  if (user.roleId === '0' || user.roleId === '1')
    throw zoomErrors.notAllowed("Zoom Room and Admin users' status cannot be activated or deactivated.");
  if (user.status === 'pending')
    throw zoomErrors.validation([
      { field: 'action', message: 'The user has not accepted the invitation yet (status pending).' },
    ]);
  const status = action === 'activate' ? 'active' : 'inactive';
  if (user.status === status) return;
  await ctx.store.transaction(async (trx) => {
    const current = await lockedUser(trx, user, userId);
    // A concurrent call made the same change first: nothing to do, no second event.
    if (current.status === status) return;
    await trx.users.setStatus(user.id, status);
    await emit(trx, ctx, principal, action === 'activate' ? 'user.activated' : 'user.deactivated', {
      object: userSummary(user),
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// PUT /users/{userId}/password

/** Only Zoom work-email sign-ins (100) have a Zoom password: not SSO, Google, ..., nor API users (99). */
const PASSWORD_LOGIN_TYPES = [100];
export const PASSWORD_MAX = 31;

/** PUT /users/{userId}/password: the account's rules (S23 codes), stored with scrypt. */
export async function updateUserPassword(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  input: unknown,
): Promise<void> {
  const { principal } = caller;
  const body = requireObject(input);
  const password = body.password;
  if (typeof password !== 'string' || password.length === 0 || password.length > PASSWORD_MAX)
    throw zoomErrors.validation([
      {
        field: 'password',
        message: `Invalid field. The password must be fewer than ${PASSWORD_MAX + 1} characters.`,
      },
    ]);
  const { user, isSelf } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  if (!isSelf && (user.roleId === '0' || user.roleId === '1') && principal.user?.roleId !== '0')
    throw userErrors.cannotUpdateAdminPassword();
  if (!PASSWORD_LOGIN_TYPES.includes(user.loginType)) throw userErrors.notWorkEmailAccount();
  if (password.length < 8) throw userErrors.passwordRule(1124, 'Have at least 8 characters');
  if (!/\p{L}/u.test(password)) throw userErrors.passwordRule(1125, 'Have at least 1 letter (a, b, c…)');
  if (!/\p{Nd}/u.test(password)) throw userErrors.passwordRule(1126, 'Have at least 1 number (1, 2, 3…)');
  if (await verifyPassword(password, user.passwordHash))
    throw zoomErrors.badRequest('Your new password can not match the old password.');
  const hash = await hashPassword(password);
  await ctx.store.users.setPasswordHash(user.id, hash);
}

// ---------------------------------------------------------------------------------------------------
// PUT /users/{userId}/email

/** PUT /users/{userId}/email: 204; an address used by any user is 409 code 1005. */
export async function updateUserEmail(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  input: unknown,
): Promise<void> {
  const { principal } = caller;
  const body = requireObject(input);
  const email = body.email;
  if (typeof email !== 'string' || email.length > 128 || !EMAIL.test(email))
    throw zoomErrors.validation([{ field: 'email', message: 'Invalid field.' }]);
  const { user, isSelf } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  const operatorRole = principal.user?.roleId ?? '0';
  if (operatorRole === '2') throw zoomErrors.notAllowed('Only an account administrator can change email.');
  if (operatorRole === '1' && !isSelf && (user.roleId === '0' || user.roleId === '1'))
    throw userErrors.adminEmailChange();
  const next = email.toLowerCase();
  if (next === user.email) return;
  const used = () => zoomErrors.conflict(`Email ${email} has already been used.`);
  await ctx.store.transaction(async (trx) => {
    if (await trx.users.findByEmail(next)) throw used();
    // A concurrent change to the same address loses on the unique index, with Zoom's answer.
    await trx.users.update(user.id, { email: next }).catch((e: unknown) => {
      throw isUniqueViolation(e) ? used() : e;
    });
    await emit(trx, ctx, principal, 'user.updated', {
      object: { id: user.id, email: next },
      old_object: { id: user.id, email: user.email },
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// GET /users/email, DELETE /users/{userId}/token

/** Sign-ins that GET /users/email does not see (S25: SSO, Google, Facebook; Apple and Microsoft alike). */
const SOCIAL_LOGIN_TYPES = [0, 1, 24, 27, 101];

/** GET /users/email: whether a user of the caller's account signs in with this e-mail address. */
export async function checkUserEmail(ctx: Ctx, caller: Caller, query: { email?: string }) {
  const { principal } = caller;
  const email = query.email;
  if (email === undefined || email === '') throw zoomErrors.badRequest('Email is required.');
  // Not about one user: any accepted scope will do, `:admin` or not.
  requireScopes(principal.scopes, caller.rule, { isMe: false, isSelf: true });
  if (email.length > 256) return { existed_email: false };
  const user = await ctx.store.users.findByEmail(email);
  const existed =
    user !== undefined &&
    user.accountId === principal.accountId &&
    !SOCIAL_LOGIN_TYPES.includes(user.loginType);
  return { existed_email: existed };
}

/** DELETE /users/{userId}/token: revokes the user's SSO/`type=token` tokens and ZAKs. */
export async function revokeUserToken(ctx: Ctx, caller: Caller, userId: string): Promise<void> {
  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  await ctx.store.users.bumpZakVersion(user.id);
}

/** Control API: the invited user accepts; `user.invitation_accepted` with the activation. */
export async function acceptInvitation(ctx: Ctx, user: User): Promise<void> {
  await ctx.store.transaction(async (trx) => {
    await trx.users.setStatus(user.id, 'active');
    await recordEvent(trx, ctx.clock, {
      accountId: user.accountId,
      event: 'user.invitation_accepted',
      operator: { id: user.id, email: user.email },
      payload: { object: userSummary(user) },
    });
  });
}
