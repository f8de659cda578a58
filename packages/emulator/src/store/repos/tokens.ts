import type { Kysely, Selectable } from 'kysely';
import type { TokenKind, TokenRecord } from '../models.js';
import { type PreparedQuery, prepareFirst } from '../prepared.js';
import type { Database, TokenTable } from '../schema.js';

export function toToken(row: Selectable<TokenTable>): TokenRecord {
  return {
    id: row.id,
    kind: row.kind as TokenKind,
    grantId: row.grant_id,
    accountId: row.account_id,
    clientId: row.client_id,
    userId: row.user_id,
    grantType: row.grant_type,
    scopes: row.scopes ? row.scopes.split(' ') : [],
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
  };
}

export class TokensRepo {
  private readonly byId: PreparedQuery<Selectable<TokenTable>>;

  constructor(private readonly db: Kysely<Database>) {
    this.byId = prepareFirst(db, (id) => db.selectFrom('tokens').selectAll().where('id', '=', id!), 1);
  }

  async insert(token: TokenRecord): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        id: token.id,
        kind: token.kind,
        grant_id: token.grantId,
        account_id: token.accountId,
        client_id: token.clientId,
        user_id: token.userId,
        grant_type: token.grantType,
        scopes: token.scopes.join(' '),
        issued_at: token.issuedAt,
        expires_at: token.expiresAt,
        revoked_at: token.revokedAt,
        revoked_reason: token.revokedReason,
      })
      .execute();
  }

  async findById(id: string): Promise<TokenRecord | undefined> {
    const row = await this.byId(id);
    return row && toToken(row);
  }

  /** Newest first. */
  async listByClient(clientId: string, limit: number): Promise<{ total: number; tokens: TokenRecord[] }> {
    const rows = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('issued_at', 'desc')
      .limit(limit)
      .execute();
    const count = await this.db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    return { total: Number(count.n), tokens: rows.map(toToken) };
  }

  async revoke(id: string, at: number, reason: string): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeGrant(grantId: string, at: number, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('grant_id', '=', grantId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
