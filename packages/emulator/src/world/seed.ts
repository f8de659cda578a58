/**
 * The seed file (JSON or YAML): accounts with their users and apps, with fixed ids and credentials,
 * so a test suite starts from a known world. Loading is idempotent: what already exists is kept.
 */

import fs from 'node:fs';
import type YAML from 'yaml';
import { type Clock, isSensibleTime } from '../clock.js';
import { type FaultRuleInput, FaultRules } from '../faults/rules.js';
import { isObject } from '../http/input.js';
import { lazyModule } from '../lazy.js';
import { type AccountLimitSettings, limitSettingsOf, validateLimitSettings } from '../limits/limiter.js';
import type { Store } from '../store/store.js';
import {
  isValidSecretToken,
  parseSubscriptionInput,
  SECRET_TOKEN_RULE,
  type SubscriptionInput,
  seedSubscription,
} from '../webhooks/subscriptions.js';
import {
  type AccountInput,
  type AppInput,
  type UserInput,
  validateAccountInput,
  type World,
} from './world.js';

/** An app of the seed file, with its webhook settings (Marketplace > Feature > Event Subscriptions). */
/** YAML's parser, loaded only for a seed file that is not JSON. */
const yaml = lazyModule<typeof YAML>('yaml');

export interface SeedApp extends AppInput {
  /** The app's Secret Token, fixed so a test's receiver can know it in advance. */
  secret_token?: string;
  /** Event subscriptions, taken as validated at load (re-validated after 72 h like any other). */
  webhooks?: { endpoint_url: string; events: string[] }[];
}

export interface SeedAccount extends AccountInput {
  users?: UserInput[];
  apps?: SeedApp[];
  /** Rate-limit switches, as `PATCH /_zemu/accounts/{id}/limits` takes them. */
  limits?: AccountLimitSettings;
}

export interface SeedFile {
  accounts?: SeedAccount[];
  clock?: { set?: string; frozen?: boolean };
  /** Fault rules in the shape `POST /_zemu/faults` takes. */
  faults?: FaultRuleInput[];
}

export interface SeedSummary {
  accounts: number;
  users: number;
  apps: number;
}

export class SeedError extends Error {}

export function readSeedFile(file: string): SeedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SeedError(`cannot read seed file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(file) ? JSON.parse(text) : yaml().parse(text);
  } catch (error) {
    throw new SeedError(
      `seed file ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (!isObject(parsed)) {
    throw new SeedError(`seed file ${file} must hold an object with an "accounts" list`);
  }
  const seed = parsed as SeedFile;
  if (seed.accounts !== undefined && !Array.isArray(seed.accounts)) {
    throw new SeedError(`seed file ${file}: "accounts" must be a list`);
  }
  return seed;
}

/**
 * Loads a seed into the store. All or nothing: the accounts, users, apps and subscriptions are
 * written in one transaction, the fault rules are checked before and added only after it commits,
 * and the clock is put back if anything fails, so a refused seed leaves the world as it was.
 */
export async function applySeed(
  seed: SeedFile,
  store: Store,
  world: World,
  clock: Clock,
  faults?: FaultRules,
): Promise<SeedSummary> {
  if (seed.accounts !== undefined && !Array.isArray(seed.accounts))
    throw new SeedError('"accounts" must be a list');
  if (seed.faults !== undefined && !Array.isArray(seed.faults))
    throw new SeedError('"faults" must be a list');
  if (
    seed.clock !== undefined &&
    (typeof seed.clock !== 'object' || seed.clock === null || Array.isArray(seed.clock))
  )
    throw new SeedError('"clock" must be an object such as {set: "2026-01-01T00:00:00Z", frozen: true}');
  // Fault rules are checked on a scratch set first: one bad rule refuses the whole seed.
  const scratch = new FaultRules(clock);
  for (const [index, rule] of (seed.faults ?? []).entries()) {
    try {
      scratch.add(rule);
    } catch (error) {
      throw new SeedError(`faults[${index}]: ${describe(error)}`);
    }
  }
  const clockBefore = clock.state();
  let summary: SeedSummary;
  try {
    summary = await store.transaction((trx) => applyWorld(seed, trx, world.over(trx), clock));
  } catch (error) {
    clock.restore(clockBefore);
    throw error;
  }
  for (const rule of seed.faults ?? []) faults?.add(rule);
  return summary;
}

async function applyWorld(seed: SeedFile, store: Store, world: World, clock: Clock): Promise<SeedSummary> {
  const summary: SeedSummary = { accounts: 0, users: 0, apps: 0 };
  const webhookParts: SeedWebhookPart[] = [];
  for (const [index, entry] of (seed.accounts ?? []).entries()) {
    try {
      validateAccountInput(entry);
    } catch (error) {
      throw new SeedError(`accounts[${index}]: ${describe(error)}`);
    }
    for (const list of ['users', 'apps'] as const) {
      if (entry[list] !== undefined && !Array.isArray(entry[list]))
        throw new SeedError(`accounts[${index}].${list}: must be a list`);
    }
    // An account is the same account on a second load when its id, or else its owner's email, matches.
    const existingOwner = await store.users.findByEmail(entry.owner.email);
    let accountId = entry.id ?? existingOwner?.accountId;
    if (!accountId || !(await store.accounts.findById(accountId))) {
      const { account } = await world.createAccount(entry).catch((error: unknown) => {
        throw new SeedError(`accounts[${index}]: ${describe(error)}`);
      });
      accountId = account.id;
      summary.accounts++;
    }
    if (entry.limits !== undefined) {
      let limits: AccountLimitSettings;
      try {
        limits = validateLimitSettings(entry.limits);
      } catch (error) {
        throw new SeedError(`accounts[${index}].limits: ${describe(error)}`);
      }
      const account = await store.accounts.findById(accountId);
      if (account) {
        await store.accounts.updateSettings(accountId, {
          ...account.settings,
          rate_limits: { ...limitSettingsOf(account), ...limits },
        });
      }
    }
    for (const [u, user] of (entry.users ?? []).entries()) {
      if (await store.users.findByEmail(String(user?.email ?? ''))) continue;
      await world.createUser(accountId, user).catch((error: unknown) => {
        throw new SeedError(`accounts[${index}].users[${u}]: ${describe(error)}`);
      });
      summary.users++;
    }
    for (const [a, app] of (entry.apps ?? []).entries()) {
      const where = `accounts[${index}].apps[${a}]`;
      let clientId = app?.client_id;
      if (clientId !== undefined && typeof clientId !== 'string')
        throw new SeedError(`${where}.client_id: must be a string`);
      if (!clientId || !(await store.apps.findByClientId(clientId))) {
        const created = await world.createApp(accountId, app).catch((error: unknown) => {
          throw new SeedError(`${where}: ${describe(error)}`);
        });
        clientId = created.app.clientId;
        summary.apps++;
      }
      webhookParts.push({ where, clientId, ...parseSeedWebhooks(where, app) });
    }
  }
  // Frozen first, then set: a clock frozen at `set` shows exactly that time.
  if (seed.clock?.frozen === true) clock.freeze(true);
  if (seed.clock?.set !== undefined) {
    const at = typeof seed.clock.set === 'string' ? Date.parse(seed.clock.set) : Number.NaN;
    if (!isSensibleTime(at)) {
      throw new SeedError(
        `clock.set must be an ISO 8601 time from 1970-01-01 to 9999-12-31, got ${JSON.stringify(seed.clock.set)}`,
      );
    }
    clock.set(at);
  }
  if (seed.clock?.frozen === false) clock.freeze(false);
  // After the clock is set: a subscription's 72-hour re-validation counts from the seeded time.
  for (const part of webhookParts) {
    if (part.secretToken !== undefined)
      await store.webhooks.secrets.set(part.clientId, part.secretToken, clock.now());
    for (const [w, input] of part.subscriptions.entries()) {
      const existing = await store.webhooks.subscriptions.list(part.clientId);
      await seedSubscription(store, clock, part.clientId, input, existing).catch((error: unknown) => {
        throw new SeedError(`${part.where}.webhooks[${w}]: ${describe(error)}`);
      });
    }
  }
  return summary;
}

interface SeedWebhookPart {
  where: string;
  clientId: string;
  secretToken?: string;
  subscriptions: SubscriptionInput[];
}

/** Checks an app's `secret_token` and `webhooks` before anything of them is written. */
function parseSeedWebhooks(where: string, app: SeedApp): Omit<SeedWebhookPart, 'where' | 'clientId'> {
  if (app.secret_token !== undefined && !isValidSecretToken(app.secret_token))
    throw new SeedError(`${where}.secret_token: ${SECRET_TOKEN_RULE}`);
  if (app.webhooks !== undefined && !Array.isArray(app.webhooks))
    throw new SeedError(`${where}.webhooks: must be a list of {endpoint_url, events}`);
  const subscriptions = (app.webhooks ?? []).map((hook, w) => {
    let input: SubscriptionInput;
    try {
      input = parseSubscriptionInput(hook, '');
    } catch (error) {
      throw new SeedError(`${where}.webhooks[${w}]: ${describe(error)}`);
    }
    if (input.secretToken !== undefined)
      throw new SeedError(`${where}.webhooks[${w}].secret_token: set secret_token on the app (one per app)`);
    return input;
  });
  return { ...(app.secret_token === undefined ? {} : { secretToken: app.secret_token }), subscriptions };
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors)) {
    return (error.errors as { field: string; message: string }[])
      .map((e) => `${e.field}: ${e.message}`)
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
