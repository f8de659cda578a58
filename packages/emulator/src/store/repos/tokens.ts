import type { Kysely, Selectable } from 'kysely';
import type { TokenKind, TokenRecord } from '../models.js';
import { type PreparedQuery, type PreparedWrite, prepareFirst, prepareWrite } from '../prepared.js';
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
  // Compile-once writes: every token grant inserts, every rotation and revocation updates.
  private readonly insertRow: PreparedWrite;
  private readonly revokeOne: PreparedWrite;
  private readonly revokeAllOfGrant: PreparedWrite;

  constructor(private readonly db: Kysely<Database>) {
    this.byId = prepareFirst(db, (id) => db.selectFrom('tokens').selectAll().where('id', '=', id!), 1);
    this.insertRow = prepareWrite(
      db,
      (...m) =>
        db.insertInto('tokens').values({
          id: m[0]!,
          kind: m[1]!,
          grant_id: m[2]!,
          account_id: m[3]!,
          client_id: m[4]!,
          user_id: m[5]!,
          grant_type: m[6]!,
          scopes: m[7]!,
          issued_at: m[8] as never,
          expires_at: m[9] as never,
          revoked_at: m[10] as never,
          revoked_reason: m[11]!,
        }),
      12,
    );
    const revoke = (byColumn: 'id' | 'grant_id') => (at: string, reason: string, key: string) =>
      db
        .updateTable('tokens')
        .set({ revoked_at: at as never, revoked_reason: reason })
        .where(byColumn, '=', key)
        .where('revoked_at', 'is', null);
    this.revokeOne = prepareWrite(db, (at, reason, id) => revoke('id')(at!, reason!, id!), 3);
    this.revokeAllOfGrant = prepareWrite(db, (at, reason, id) => revoke('grant_id')(at!, reason!, id!), 3);
  }

  async insert(token: TokenRecord): Promise<void> {
    await this.insertRow(
      token.id,
      token.kind,
      token.grantId,
      token.accountId,
      token.clientId,
      token.userId,
      token.grantType,
      token.scopes.join(' '),
      token.issuedAt,
      token.expiresAt,
      token.revokedAt,
      token.revokedReason,
    );
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

  /** A grant's tokens (its access and refresh tokens, every rotation) in issue order: its lineage. */
  async listByGrant(grantId: string, limit: number): Promise<TokenRecord[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('grant_id', '=', grantId)
      .orderBy('issued_at')
      .limit(limit)
      .execute();
    return rows.map(toToken);
  }

  async revoke(id: string, at: number, reason: string): Promise<void> {
    await this.revokeOne(at, reason, id);
  }

  async revokeGrant(grantId: string, at: number, reason: string): Promise<number> {
    return this.revokeAllOfGrant(at, reason, grantId);
  }

  /** The legacy-tolerance index a token was issued under, -1 for none. */
  async recordToleranceIndex(
    tokenId: string,
    clientId: string,
    idx: number,
    issuedAt: number,
  ): Promise<void> {
    await this.db
      .insertInto('token_tolerance')
      .values({ token_id: tokenId, client_id: clientId, idx, issued_at: issuedAt })
      .execute();
  }

  /**
   * Revokes the app's live account_credentials access tokens other than `keepTokenId`: all of them when
   * `idx` is null, else those issued under the same index. Returns how many were revoked.
   */
  async revokeOlderAccountTokens(
    clientId: string,
    keepTokenId: string,
    idx: number | null,
    at: number,
    reason: string,
  ): Promise<number> {
    let query = this.db
      .updateTable('tokens')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('client_id', '=', clientId)
      .where('grant_type', '=', 'account_credentials')
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .where('id', '!=', keepTokenId);
    if (idx !== null) {
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('token_tolerance')
          .select('token_id')
          .where('client_id', '=', clientId)
          .where('idx', '=', idx),
      );
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Does the app hold a live grant (an unrevoked, unexpired refresh token) in the account? */
  async holdsGrantIn(clientId: string, accountId: string, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('tokens')
      .select('id')
      .where('client_id', '=', clientId)
      .where('account_id', '=', accountId)
      .where('kind', '=', 'refresh')
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Up to `limit` ids of tokens whose `column` time is before `cutoff`, oldest first (retention). */
  async idsEndedBefore(
    column: 'expires_at' | 'revoked_at',
    cutoff: number,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db
      .selectFrom('tokens')
      .select('id')
      .where(column, '<', cutoff)
      .orderBy(column)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deletes the tokens with their tolerance rows; returns how many tokens went. */
  async delete(ids: readonly string[]): Promise<number> {
    await this.db.deleteFrom('token_tolerance').where('token_id', 'in', ids).execute();
    const result = await this.db.deleteFrom('tokens').where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
