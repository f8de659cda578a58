/**
 * Queries over the tables of migration 0005 (tolerance indexes, privileges, shared access) and the
 * app/user updates the control API needs. Kept apart from the shared repositories: these see the
 * store's query builder through their own table types.
 */
import type { Kysely } from 'kysely';
import type { App } from '../store/models.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';

interface TokenToleranceTable {
  token_id: string;
  client_id: string;
  idx: number;
  issued_at: number;
}
interface UserPrivilegeTable {
  grantor_user_id: string;
  grantee_user_id: string;
  privilege: string;
  created_at: number;
}
interface SharedAccessTable {
  user_id: string;
  client_id: string;
  created_at: number;
}
type RulesDb = Database & {
  token_tolerance: TokenToleranceTable;
  user_privileges: UserPrivilegeTable;
  shared_access: SharedAccessTable;
};

const db = (store: Store) => store.db as unknown as Kysely<RulesDb>;

/** The index a token was issued under, -1 for none. */
export async function recordToleranceIndex(
  store: Store,
  tokenId: string,
  clientId: string,
  idx: number,
  issuedAt: number,
): Promise<void> {
  await db(store)
    .insertInto('token_tolerance')
    .values({ token_id: tokenId, client_id: clientId, idx, issued_at: issuedAt })
    .execute();
}

/**
 * Revokes the app's live account_credentials access tokens other than `keepTokenId`: all of them when
 * `idx` is null, else those issued under the same index. Returns how many were revoked.
 */
export async function revokeOlderTokens(
  store: Store,
  app: App,
  keepTokenId: string,
  idx: number | null,
  at: number,
  reason: string,
): Promise<number> {
  const d = db(store);
  let query = d
    .updateTable('tokens')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('client_id', '=', app.clientId)
    .where('grant_type', '=', 'account_credentials')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .where('id', '!=', keepTokenId);
  if (idx !== null) {
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('token_tolerance')
        .select('token_id')
        .where('client_id', '=', app.clientId)
        .where('idx', '=', idx),
    );
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface AppPatch {
  enabled?: boolean;
  scopes?: string[];
  redirectUris?: string[];
  settings?: Record<string, unknown>;
}

export async function updateApp(store: Store, clientId: string, patch: AppPatch): Promise<void> {
  const values: Record<string, unknown> = {};
  if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
  if (patch.scopes !== undefined) values.scopes = patch.scopes.join(' ');
  if (patch.redirectUris !== undefined) values.redirect_uris = JSON.stringify(patch.redirectUris);
  if (patch.settings !== undefined) values.settings = JSON.stringify(patch.settings);
  if (Object.keys(values).length === 0) return;
  await db(store).updateTable('apps').set(values).where('client_id', '=', clientId).execute();
}

/** Deletes the app; its tokens stay recorded (so they can still say why they fail) but are revoked. */
export async function deleteApp(store: Store, clientId: string, at: number): Promise<void> {
  const d = db(store);
  await d
    .updateTable('tokens')
    .set({ revoked_at: at, revoked_reason: `app ${clientId} was deleted` })
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .execute();
  await d.deleteFrom('shared_access').where('client_id', '=', clientId).execute();
  await d.deleteFrom('apps').where('client_id', '=', clientId).execute();
}

export async function grantPrivilege(
  store: Store,
  grantorUserId: string,
  granteeUserId: string,
  privilege: string,
  at: number,
): Promise<void> {
  const d = db(store);
  const existing = await d
    .selectFrom('user_privileges')
    .select('privilege')
    .where('grantor_user_id', '=', grantorUserId)
    .where('grantee_user_id', '=', granteeUserId)
    .where('privilege', '=', privilege)
    .executeTakeFirst();
  if (existing) return;
  await d
    .insertInto('user_privileges')
    .values({
      grantor_user_id: grantorUserId,
      grantee_user_id: granteeUserId,
      privilege,
      created_at: at,
    })
    .execute();
}

export async function grantSharedAccess(store: Store, userId: string, clientId: string, at: number) {
  const d = db(store);
  const existing = await d
    .selectFrom('shared_access')
    .select('client_id')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (existing) return;
  await d
    .insertInto('shared_access')
    .values({ user_id: userId, client_id: clientId, created_at: at })
    .execute();
}

export async function revokeSharedAccess(store: Store, userId: string, clientId: string): Promise<number> {
  const result = await db(store)
    .deleteFrom('shared_access')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The privileges `grantor` gave `grantee`. */
export async function privilegesBetween(store: Store, grantorUserId: string, granteeUserId: string) {
  const rows = await db(store)
    .selectFrom('user_privileges')
    .select('privilege')
    .where('grantor_user_id', '=', grantorUserId)
    .where('grantee_user_id', '=', granteeUserId)
    .execute();
  return rows.map((r) => r.privilege);
}

export async function hasSharedAccess(store: Store, userId: string, clientId: string): Promise<boolean> {
  const row = await db(store)
    .selectFrom('shared_access')
    .select('client_id')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row !== undefined;
}
