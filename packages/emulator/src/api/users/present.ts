/** Zoom's user object (GET /v2/users/{userId}), in the field order of the official spec. */
import type { Account, User } from '../../store/models.js';
import { zoomTime } from '../../time.js';

/** Profile fields PATCH stores that GET user does not show (the spec's user object has none of them). */
const PRIVATE_PROFILE = new Set([
  'host_key',
  'vanity_name',
  'about_me',
  'linkedin_url',
  'feature',
  'licenses',
]);

/** The host key a user has: the one set by PATCH or the control API, else the derived default. */
export function hostKeyOf(user: User, defaultHostKey: (userId: string) => string): string {
  return typeof user.profile.host_key === 'string' ? user.profile.host_key : defaultHostKey(user.id);
}

/** The licenses the control API gave the user (`licenses`), for the `license` filter of GET /users. */
export function licensesOf(user: User): string[] {
  const l = user.profile.licenses;
  return Array.isArray(l) ? l.filter((x): x is string => typeof x === 'string') : [];
}

const ROLE_NAMES: Record<string, string> = { '0': 'Owner', '1': 'Admin', '2': 'Member' };

export interface PresentOptions {
  publicUrl: string;
  account: Pick<Account, 'accountNumber'> | undefined;
  now: number;
}

/** `include_fields` of GET /v2/users: fields listed only on request, and only when the user has them. */
export interface ListedExtras {
  /** The user's host key when `host_key` was asked for (the set one, else the derived default). */
  hostKey?: (user: User) => string;
  customAttributes?: boolean;
}

/**
 * A user in five fields: what POST /users answers, and the object of user.deleted / activated /
 * deactivated / disassociated / invitation_accepted.
 */
export function userSummary(user: User) {
  return {
    id: user.id,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    type: user.type,
  };
}

/** A user as GET /v2/users lists it: the list fields of the spec. */
export function presentListedUser(
  user: User,
  now: number,
  extras: ListedExtras = {},
): Record<string, unknown> {
  const createdAt = user.status === 'pending' ? now : user.createdAt;
  // S25's list item: `id` "is not returned for users with the pending status"; a pending user has no
  // personal meeting ID yet either.
  const pending = user.status === 'pending';
  const out: Record<string, unknown> = {
    ...(pending ? {} : { id: user.id }),
    first_name: user.firstName,
    last_name: user.lastName,
    display_name: user.displayName,
    email: user.email,
    type: user.type,
    ...(pending ? {} : { pmi: user.pmi }),
    timezone: user.timezone,
    verified: user.verified,
    dept: user.dept,
    created_at: zoomTime(createdAt),
    user_created_at: zoomTime(createdAt),
    status: user.status,
    role_id: user.roleId,
    group_ids: [],
    im_group_ids: [],
  };
  if (user.lastLoginTime !== null) out.last_login_time = zoomTime(user.lastLoginTime);
  // Returned "only if users are assigned custom attributes" (S25); every Zemu user has a host key.
  if (
    extras.customAttributes &&
    Array.isArray(user.profile.custom_attributes) &&
    user.profile.custom_attributes.length > 0
  )
    out.custom_attributes = user.profile.custom_attributes;
  if (extras.hostKey) out.host_key = extras.hostKey(user);
  return out;
}

export function presentUser(user: User, options: PresentOptions): Record<string, unknown> {
  // Zoom shows a pending user's created_at as the time of the call.
  const createdAt = user.status === 'pending' ? options.now : user.createdAt;
  const out: Record<string, unknown> = {
    id: user.id,
    first_name: user.firstName,
    last_name: user.lastName,
    display_name: user.displayName,
    email: user.email,
    type: user.type,
    role_name: ROLE_NAMES[user.roleId] ?? 'Member',
    pmi: user.pmi,
    use_pmi: Boolean(user.profile.use_pmi ?? false),
    personal_meeting_url: `${options.publicUrl}/j/${user.pmi}`,
    timezone: user.timezone,
    verified: user.verified,
    dept: user.dept,
    created_at: zoomTime(createdAt),
    user_created_at: zoomTime(createdAt),
  };
  if (user.lastLoginTime !== null) out.last_login_time = zoomTime(user.lastLoginTime);
  Object.assign(out, {
    pic_url: '',
    language: user.language,
    phone_number: '',
    status: user.status,
    role_id: user.roleId,
    group_ids: [],
    im_group_ids: [],
    jid: `${user.id.toLowerCase().replace(/[^a-z0-9]/g, '')}@xmpp.zoom.us`,
    account_id: user.accountId,
    account_number: options.account?.accountNumber ?? 0,
    cluster: 'us06',
    job_title: user.jobTitle,
    company: user.company,
    location: user.location,
    login_types: [user.loginType],
    phone_numbers: [],
  });
  for (const [key, value] of Object.entries(user.profile)) {
    if (!PRIVATE_PROFILE.has(key)) out[key] = value;
  }
  if (typeof user.profile.vanity_name === 'string')
    out.vanity_url = `${options.publicUrl}/my/${user.profile.vanity_name}`;
  return out;
}
