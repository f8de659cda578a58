/**
 * What the bearer guard needs on every request (the token's record, its app and its user) in one
 * joined, compile-once query instead of three: SQLite execution dominated the authenticated path.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { App, TokenRecord, User } from '../models.js';
import { type PreparedQuery, prepareFirst } from '../prepared.js';
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

type Row = Record<string, unknown>;

/** [column, aliased column] pairs, built once: this mapping runs on every authenticated request. */
function aliases(prefix: string, columns: readonly string[]): [string, string][] {
  return columns.map((c) => [c, `${prefix}${c}`]);
}
const TOKEN_ALIASES = aliases('t_', TOKEN_COLUMNS);
const APP_ALIASES = aliases('a_', APP_COLUMNS);
const USER_ALIASES = aliases('u_', USER_COLUMNS);

function unprefix<T>(row: Row, pairs: [string, string][]): T {
  const out: Row = {};
  for (const [column, alias] of pairs) out[column] = row[alias];
  return out as T;
}

export interface TokenContext {
  token: TokenRecord;
  /** Undefined when the app was deleted. */
  app: App | undefined;
  /** Undefined when the token has no user, or its user was deleted. */
  user: User | undefined;
}

export class PrincipalsRepo {
  private readonly byTokenId: PreparedQuery<Row>;

  constructor(db: Kysely<Database>) {
    const selection = [
      ...TOKEN_ALIASES.map(([c, alias]) => sql.ref(`tokens.${c}`).as(alias)),
      ...APP_ALIASES.map(([c, alias]) => sql.ref(`apps.${c}`).as(alias)),
      ...USER_ALIASES.map(([c, alias]) => sql.ref(`users.${c}`).as(alias)),
    ];
    this.byTokenId = prepareFirst(
      db,
      (id) =>
        db
          .selectFrom('tokens')
          .leftJoin('apps', 'apps.client_id', 'tokens.client_id')
          .leftJoin('users', 'users.id', 'tokens.user_id')
          .select(selection)
          .where('tokens.id', '=', id!) as never,
      1,
    );
  }

  async loadByTokenId(tokenId: string): Promise<TokenContext | undefined> {
    const row = await this.byTokenId(tokenId);
    if (!row) return undefined;
    return {
      token: toToken(unprefix<Selectable<TokenTable>>(row, TOKEN_ALIASES)),
      app: row.a_client_id == null ? undefined : toApp(unprefix<Selectable<AppTable>>(row, APP_ALIASES)),
      user: row.u_id == null ? undefined : toUser(unprefix<Selectable<UserTable>>(row, USER_ALIASES)),
    };
  }
}
