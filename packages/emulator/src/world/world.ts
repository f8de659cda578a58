/**
 * Building the emulated world: accounts, users and apps. The control API, the seed file and the demo
 * all go through here, so their rules are one.
 */

import type { Clock } from '../clock.js';
import { hashPassword, type Keys } from '../crypto.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { EMAIL, requireObjectField } from '../http/input.js';
import { accountNumber, alnum, pmi, zoomId } from '../ids.js';
import { validateRuleSettings } from '../oauth/app-settings.js';
import {
  type Account,
  APP_TYPES,
  type App,
  type AppType,
  CREATION_ACTIONS,
  type CreationAction,
  PLANS,
  type Plan,
  type User,
  type UserStatus,
} from '../store/models.js';
import type { Store } from '../store/store.js';

export interface UserInput {
  id?: string;
  email: string;
  first_name?: string;
  last_name?: string;
  display_name?: string;
  type?: number;
  login_type?: number;
  action?: CreationAction;
  status?: UserStatus;
  role_id?: string;
  password?: string;
  timezone?: string;
  language?: string;
  dept?: string;
  job_title?: string;
  company?: string;
  location?: string;
}

export interface AccountInput {
  id?: string;
  name?: string;
  plan?: Plan;
  owner: UserInput;
}

export interface AppInput {
  name: string;
  type: AppType;
  scopes?: string[];
  redirect_uris?: string[];
  client_id?: string;
  client_secret?: string;
  enabled?: boolean;
  owner_user_id?: string;
  settings?: Record<string, unknown>;
}

export interface CreatedApp {
  app: App;
  clientSecret: string;
}

const USER_TYPES = [1, 2, 3, 4, 99];
const STATUSES: UserStatus[] = ['active', 'inactive', 'pending'];
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Collects field errors so that one answer names every bad field, as Zoom's code 300 does. */
class Fields {
  readonly errors: FieldError[] = [];
  bad(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw zoomErrors.validation(this.errors);
  }
}

function optionalString(f: Fields, field: string, value: unknown, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > max)
    f.bad(field, `Must be a string of at most ${max} characters.`);
}

export function validateUserInput(input: unknown, prefix = ''): asserts input is UserInput {
  const f = new Fields();
  const u = requireObjectField(input, prefix || 'body');
  if (typeof u.email !== 'string' || u.email.length > 128 || !EMAIL.test(u.email)) {
    f.bad(`${prefix}email`, 'Invalid field.');
  }
  if (u.id !== undefined && (typeof u.id !== 'string' || !ID.test(u.id)))
    f.bad(`${prefix}id`, 'Invalid field.');
  optionalString(f, `${prefix}first_name`, u.first_name, 64);
  optionalString(f, `${prefix}last_name`, u.last_name, 64);
  optionalString(f, `${prefix}display_name`, u.display_name, 128);
  for (const key of [
    'timezone',
    'language',
    'dept',
    'job_title',
    'company',
    'location',
    'role_id',
  ] as const) {
    optionalString(f, `${prefix}${key}`, u[key], 128);
  }
  if (u.type !== undefined && !USER_TYPES.includes(u.type as number))
    f.bad(`${prefix}type`, 'Invalid field.');
  if (u.login_type !== undefined && !Number.isInteger(u.login_type))
    f.bad(`${prefix}login_type`, 'Invalid field.');
  if (u.action !== undefined && !CREATION_ACTIONS.includes(u.action as CreationAction)) {
    f.bad(`${prefix}action`, `Must be one of ${CREATION_ACTIONS.join(', ')}.`);
  }
  if (u.status !== undefined && !STATUSES.includes(u.status as UserStatus)) {
    f.bad(`${prefix}status`, `Must be one of ${STATUSES.join(', ')}.`);
  }
  if (
    u.password !== undefined &&
    (typeof u.password !== 'string' || u.password.length < 8 || u.password.length > 32)
  ) {
    f.bad(`${prefix}password`, 'Must be 8 to 32 characters.');
  }
  f.throwIfAny();
}

export function validateAccountInput(input: unknown): asserts input is AccountInput {
  const a = requireObjectField(input);
  const f = new Fields();
  if (a.id !== undefined && (typeof a.id !== 'string' || !ID.test(a.id))) f.bad('id', 'Invalid field.');
  optionalString(f, 'name', a.name, 128);
  if (a.plan !== undefined && !PLANS.includes(a.plan as Plan))
    f.bad('plan', `Must be one of ${PLANS.join(', ')}.`);
  if (a.owner === undefined) f.bad('owner', 'Required.');
  f.throwIfAny();
  validateUserInput(a.owner, 'owner.');
}

export function validateAppInput(input: unknown): asserts input is AppInput {
  const a = requireObjectField(input);
  const f = new Fields();
  if (typeof a.name !== 'string' || a.name.length === 0 || a.name.length > 128)
    f.bad('name', 'Required, 1 to 128 characters.');
  if (!APP_TYPES.includes(a.type as AppType)) f.bad('type', `Must be one of ${APP_TYPES.join(', ')}.`);
  const stringArray = (v: unknown) =>
    Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 2048);
  if (a.scopes !== undefined && !stringArray(a.scopes)) f.bad('scopes', 'Must be an array of scope names.');
  if (a.redirect_uris !== undefined) {
    if (!stringArray(a.redirect_uris)) f.bad('redirect_uris', 'Must be an array of absolute URLs.');
    else {
      for (const uri of a.redirect_uris as string[]) {
        if (!URL.canParse(uri) || uri.includes('#'))
          f.bad('redirect_uris', `Not an absolute URL without fragment: ${uri}`);
      }
    }
  }
  if (a.client_id !== undefined && (typeof a.client_id !== 'string' || !ID.test(a.client_id))) {
    f.bad('client_id', 'Invalid field.');
  }
  if (a.client_secret !== undefined && (typeof a.client_secret !== 'string' || a.client_secret.length < 16)) {
    f.bad('client_secret', 'Must be at least 16 characters.');
  }
  if (a.enabled !== undefined && typeof a.enabled !== 'boolean') f.bad('enabled', 'Must be a boolean.');
  if (
    a.settings !== undefined &&
    (typeof a.settings !== 'object' || a.settings === null || Array.isArray(a.settings))
  ) {
    f.bad('settings', 'Must be an object.');
  } else if (a.settings !== undefined) {
    for (const e of validateRuleSettings(a.settings as Record<string, unknown>)) f.bad(e.field, e.message);
  }
  f.throwIfAny();
}

function defaultLoginType(action: CreationAction): number {
  if (action === 'custCreate') return 99;
  if (action === 'ssoCreate') return 101;
  return 100;
}

export class World {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly keys: Keys,
  ) {}

  /** The same world over another store (a transaction's), so several builds commit or fail as one. */
  over(store: Store): World {
    return new World(store, this.clock, this.keys);
  }

  async createAccount(input: AccountInput): Promise<{ account: Account; owner: User }> {
    validateAccountInput(input);
    const passwordHash = input.owner.password ? await hashPassword(input.owner.password) : null;
    return this.store.transaction(async (store) => {
      const account: Account = {
        id: input.id ?? zoomId(),
        name: input.name ?? `${input.owner.first_name ?? input.owner.email.split('@')[0]}'s account`,
        plan: input.plan ?? 'pro',
        ownerUserId: null,
        accountNumber: accountNumber(),
        createdAt: this.clock.now(),
        settings: {},
      };
      if (await store.accounts.findById(account.id))
        throw zoomErrors.conflict(`Account ${account.id} already exists.`);
      await store.accounts.insert(account);
      const owner = await this.insertUser(
        store,
        account,
        { type: 2, ...input.owner, role_id: '0' },
        passwordHash,
      );
      await store.accounts.setOwner(account.id, owner.id);
      return { account: { ...account, ownerUserId: owner.id }, owner };
    });
  }

  /**
   * Creates a user. `afterInsert` runs in the same transaction (POST /users records `user.created`
   * there), so the user and whatever it writes land together or not at all.
   */
  async createUser(
    accountId: string,
    input: UserInput,
    afterInsert?: (store: Store, user: User) => Promise<void>,
  ): Promise<User> {
    validateUserInput(input);
    const account = await this.store.accounts.findById(accountId);
    if (!account) throw zoomErrors.controlNotFound('Account', accountId);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.store.transaction(async (store) => {
      const user = await this.insertUser(store, account, input, passwordHash);
      if (afterInsert) await afterInsert(store, user);
      return user;
    });
  }

  private async insertUser(
    store: Store,
    account: Account,
    input: UserInput,
    passwordHash: string | null,
  ): Promise<User> {
    if (await store.users.findByEmail(input.email)) {
      throw zoomErrors.conflict(`Email ${input.email} has already been used.`);
    }
    if (input.id && (await store.users.findById(input.id))) {
      throw zoomErrors.conflict(`User ${input.id} already exists.`);
    }
    const action = input.action ?? 'create';
    const firstName = input.first_name ?? '';
    const lastName = input.last_name ?? '';
    const user: User = {
      seq: 0,
      id: input.id ?? zoomId(),
      accountId: account.id,
      email: input.email.toLowerCase(),
      firstName,
      lastName,
      displayName: input.display_name ?? `${firstName} ${lastName}`.trim(),
      type: input.type ?? (action === 'ssoCreate' ? 99 : 1),
      status: input.status ?? 'active',
      roleId: input.role_id ?? '2',
      loginType: input.login_type ?? defaultLoginType(action),
      creationAction: action,
      pmi: pmi(),
      timezone: input.timezone ?? 'America/Los_Angeles',
      language: input.language ?? 'en-US',
      dept: input.dept ?? '',
      jobTitle: input.job_title ?? '',
      company: input.company ?? '',
      location: input.location ?? '',
      verified: action === 'custCreate' ? 0 : 1,
      passwordHash,
      zakVersion: 0,
      createdAt: this.clock.now(),
      lastLoginTime: null,
      profile: {},
    };
    await store.users.insert(user);
    const stored = await store.users.findById(user.id);
    if (!stored) throw new Error('user vanished after insert');
    return stored;
  }

  async createApp(accountId: string, input: AppInput): Promise<CreatedApp> {
    validateAppInput(input);
    const account = await this.store.accounts.findById(accountId);
    if (!account) throw zoomErrors.controlNotFound('Account', accountId);
    const ownerUserId = input.owner_user_id ?? account.ownerUserId;
    if (!ownerUserId)
      throw zoomErrors.validation([{ field: 'owner_user_id', message: 'The account has no owner.' }]);
    const owner = await this.store.users.findById(ownerUserId);
    if (!owner || owner.accountId !== account.id) throw zoomErrors.controlNotFound('User', ownerUserId);
    const clientId = input.client_id ?? zoomId();
    if (await this.store.apps.findByClientId(clientId))
      throw zoomErrors.conflict(`App ${clientId} already exists.`);
    const clientSecret = input.client_secret ?? alnum(32);
    const app: App = {
      clientId,
      accountId: account.id,
      ownerUserId,
      name: input.name,
      type: input.type,
      clientSecretHash: this.keys.hashSecret(clientSecret),
      scopes: input.scopes ?? [],
      redirectUris: input.redirect_uris ?? [],
      enabled: input.enabled ?? true,
      settings: input.settings ?? {},
      createdAt: this.clock.now(),
    };
    await this.store.apps.insert(app);
    return { app, clientSecret };
  }
}
