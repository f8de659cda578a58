import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * What one user lets another do (scheduling privilege, assistants) and which apps a user shares its
 * access with: the access rules the guard and the Meetings operations read, the control API writes.
 */
export class PrivilegesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async grant(grantorUserId: string, granteeUserId: string, privilege: string, at: number): Promise<void> {
    const existing = await this.db
      .selectFrom('user_privileges')
      .select('privilege')
      .where('grantor_user_id', '=', grantorUserId)
      .where('grantee_user_id', '=', granteeUserId)
      .where('privilege', '=', privilege)
      .executeTakeFirst();
    if (existing) return;
    await this.db
      .insertInto('user_privileges')
      .values({
        grantor_user_id: grantorUserId,
        grantee_user_id: granteeUserId,
        privilege,
        created_at: at,
      })
      .execute();
  }

  /** The privileges `grantor` gave `grantee`. */
  async between(grantorUserId: string, granteeUserId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('user_privileges')
      .select('privilege')
      .where('grantor_user_id', '=', grantorUserId)
      .where('grantee_user_id', '=', granteeUserId)
      .execute();
    return rows.map((r) => r.privilege);
  }

  async grantSharedAccess(userId: string, clientId: string, at: number): Promise<void> {
    const existing = await this.db
      .selectFrom('shared_access')
      .select('client_id')
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (existing) return;
    await this.db
      .insertInto('shared_access')
      .values({ user_id: userId, client_id: clientId, created_at: at })
      .execute();
  }

  async revokeSharedAccess(userId: string, clientId: string): Promise<number> {
    const result = await this.db
      .deleteFrom('shared_access')
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async hasSharedAccess(userId: string, clientId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('shared_access')
      .select('client_id')
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
