/**
 * What the bearer guard needs on every request (the token's record, its app and its user) in one
 * joined, compile-once query instead of three: SQLite execution dominated the authenticated path.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { principalEpoch } from '../db.js';
import { EpochCache } from '../epoch-cache.js';
import type { App, TokenRecord, User } from '../models.js';
import { NOT_NOW, type NotNow, type PreparedQuery, prepareFirst } from '../prepared.js';
import type { AppTable, Database, TokenTable, UserTable } from '../schema.js';
import { toApp } from './apps.js';
import { toToken } from './tokens.js';
import { toUser } from './users.js';

// Column lists, typed against the schema so that a renamed column fails the type check here.
const TOKEN_COLUMNS = [
  'id',
  'kind',
  'grant_id',
  'account_id',
  'client_id',
  'user_id',
  'grant_type',
  'scopes',
  'issued_at',
  'expires_at',
  'revoked_at',
  'revoked_reason',
] as const satisfies readonly (keyof TokenTable)[];
const APP_COLUMNS = [
  'client_id',
  'account_id',
  'owner_user_id',
  'name',
  'type',
  'client_secret_hash',
  'scopes',
  'redirect_uris',
  'enabled',
  'settings',
  'created_at',
] as const satisfies readonly (keyof AppTable)[];
const USER_COLUMNS = [
  'seq',
  'id',
  'account_id',
  'email',
  'first_name',
  'last_name',
  'display_name',
  'type',
  'status',
  'role_id',
  'login_type',
  'creation_action',
  'pmi',
  'timezone',
  'language',
  'dept',
  'job_title',
  'company',
  'location',
  'verified',
  'password_hash',
  'zak_version',
  'created_at',
  'last_login_time',
  'profile',
] as const satisfies readonly (keyof UserTable)[];

/** [column, aliased column] pairs, built once: this mapping runs on every authenticated request. */
function aliases(prefix: string, columns: readonly string[]): [string, string][] {
  return columns.map((c) => [c, `${prefix}${c}`]);
}
const TOKEN_ALIASES = aliases('t_', TOKEN_COLUMNS);
const APP_ALIASES = aliases('a_', APP_COLUMNS);
const USER_ALIASES = aliases('u_', USER_COLUMNS);
const ALL_ALIASES = [...TOKEN_ALIASES, ...APP_ALIASES, ...USER_ALIASES].map(([, alias]) => alias);
const APP_START = TOKEN_ALIASES.length;
const USER_START = APP_START + APP_ALIASES.length;
// A left join that found nothing leaves the joined table's key null.
const APP_KEY_AT = APP_START + APP_COLUMNS.indexOf('client_id');
const USER_KEY_AT = USER_START + USER_COLUMNS.indexOf('id');
const tokenPart = slicer<Selectable<TokenTable>>(0, TOKEN_ALIASES);
const appPart = slicer<Selectable<AppTable>>(APP_START, APP_ALIASES);
const userPart = slicer<Selectable<UserTable>>(USER_START, USER_ALIASES);

/**
 * One table's part of the joined row (an array in select order) as an object under the table's own
 * column names. Generated once per table from the constant column lists above (never from input):
 * a literal with fixed keys stays monomorphic, where filling an object key by key in a loop goes
 * through V8's megamorphic keyed stores on every request.
 */
function slicer<T>(start: number, pairs: [string, string][]): (row: readonly unknown[]) => T {
  const fields = pairs.map(([column], i) => `${JSON.stringify(column)}: row[${start + i}]`);
  return new Function('row', `return { ${fields.join(', ')} };`) as (row: readonly unknown[]) => T;
}

export interface TokenContext {
  token: TokenRecord;
  /** Undefined when the app was deleted. */
  app: App | undefined;
  /** Undefined when the token has no user, or its user was deleted. */
  user: User | undefined;
}

function toContext(row: readonly unknown[] | undefined): TokenContext | undefined {
  if (!row) return undefined;
  return {
    token: toToken(tokenPart(row)),
    app: row[APP_KEY_AT] == null ? undefined : toApp(appPart(row)),
    user: row[USER_KEY_AT] == null ? undefined : toUser(userPart(row)),
  };
}

/** Contexts kept by token id (a few KB each); the oldest goes first. */
const CONTEXTS_KEPT = 4096;

/**
 * The principal cache: token id -> its context as read at a write epoch (store/epoch-cache.ts). An
 * entry is used only while no write that may change a token, app, user or account row has run since it
 * was read, so revocation, refresh rotation, tolerance, an app or user change, a deletion, a reset or a
 * restore is seen by the very next lookup; expiry is judged by the caller on the emulated clock every
 * time. Only complete contexts are kept (the app, and the user when the token has one): a missing row
 * can come back by a plain INSERT, which does not move the epoch. SQLite only: without an epoch
 * (PostgreSQL, a transaction's store) nothing is cached.
 */
class ContextCache extends EpochCache<TokenContext> {
  keep(tokenId: string, epoch: number, context: TokenContext | undefined): void {
    if (!context?.app || (context.token.userId !== null && !context.user)) return;
    this.put(tokenId, epoch, context);
  }
}

export class PrincipalsRepo {
  private readonly byTokenId: PreparedQuery<unknown[]>;
  private readonly cache: ContextCache | undefined;

  constructor(db: Kysely<Database>) {
    // Rows as arrays: building an object with a key per column of three tables was the costliest
    // part of the lookup (better-sqlite3 creates and interns every key of every row). The builder
    // runs once, on first use: a store is built for every transaction, most never authenticate.
    this.byTokenId = prepareFirst(
      db,
      (id) =>
        db
          .selectFrom('tokens')
          .leftJoin('apps', 'apps.client_id', 'tokens.client_id')
          .leftJoin('users', 'users.id', 'tokens.user_id')
          .select([
            ...TOKEN_ALIASES.map(([c, alias]) => sql.ref(`tokens.${c}`).as(alias)),
            ...APP_ALIASES.map(([c, alias]) => sql.ref(`apps.${c}`).as(alias)),
            ...USER_ALIASES.map(([c, alias]) => sql.ref(`users.${c}`).as(alias)),
          ])
          .where('tokens.id', '=', id!) as never,
      1,
      { columns: ALL_ALIASES },
    );
    const epoch = principalEpoch(db);
    this.cache = epoch ? new ContextCache(epoch, CONTEXTS_KEPT) : undefined;
  }

  async loadByTokenId(tokenId: string): Promise<TokenContext | undefined> {
    const epoch = this.cache?.epoch.current();
    if (epoch !== undefined) {
      const hit = this.cache!.get(tokenId, epoch);
      if (hit) return hit;
    }
    const context = toContext(await this.byTokenId(tokenId));
    if (epoch !== undefined) this.cache!.keep(tokenId, epoch, context);
    return context;
  }

  /**
   * The same lookup, synchronously where the store can answer synchronously (SQLite, no transaction
   * open on its connection); NOT_NOW otherwise, and the caller awaits `loadByTokenId`. A cached
   * context is answered even while a transaction is open: it is the committed state, since a write
   * of that transaction that may change it has moved the epoch already.
   */
  loadByTokenIdNow(tokenId: string): TokenContext | undefined | NotNow {
    const cache = this.cache;
    const epoch = cache?.epoch.current();
    if (epoch !== undefined) {
      const hit = cache!.get(tokenId, epoch);
      if (hit) return hit;
    }
    const row = this.byTokenId.now(tokenId);
    if (row === NOT_NOW) return NOT_NOW;
    const context = toContext(row);
    if (epoch !== undefined) cache!.keep(tokenId, epoch, context);
    return context;
  }

  /** Forgets every cached context (not needed for exactness; frees them when the world is replaced). */
  forget(): void {
    this.cache?.clear();
  }
}
