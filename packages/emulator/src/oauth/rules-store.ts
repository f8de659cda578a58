/** Queries over the privileges and shared-access tables of migration 0005. */
import type { Store } from '../store/store.js';

export async function grantPrivilege(
  store: Store,
  grantorUserId: string,
  granteeUserId: string,
  privilege: string,
  at: number,
): Promise<void> {
  const d = store.db;
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
  const d = store.db;
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
  const result = await store.db
    .deleteFrom('shared_access')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The privileges `grantor` gave `grantee`. */
export async function privilegesBetween(store: Store, grantorUserId: string, granteeUserId: string) {
  const rows = await store.db
    .selectFrom('user_privileges')
    .select('privilege')
    .where('grantor_user_id', '=', grantorUserId)
    .where('grantee_user_id', '=', granteeUserId)
    .execute();
  return rows.map((r) => r.privilege);
}

export async function hasSharedAccess(store: Store, userId: string, clientId: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('shared_access')
    .select('client_id')
    .where('user_id', '=', userId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row !== undefined;
}
