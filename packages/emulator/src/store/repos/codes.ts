import type { Kysely } from 'kysely';
import type { AuthorizationCode, PkceMethod } from '../models.js';
import type { Database } from '../schema.js';

export interface NewCode extends Omit<AuthorizationCode, 'usedAt'> {
  codeHash: string;
  createdAt: number;
}

/** Authorization codes by hash. Using one is a conditional update: of two exchanges, one wins. */
export class CodesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(code: NewCode): Promise<void> {
    await this.db
      .insertInto('oauth_codes')
      .values({
        code_hash: code.codeHash,
        grant_id: code.grantId,
        client_id: code.clientId,
        user_id: code.userId,
        account_id: code.accountId,
        redirect_uri: code.redirectUri,
        scopes: code.scopes.join(' '),
        code_challenge: code.codeChallenge,
        code_challenge_method: code.codeChallengeMethod,
        created_at: code.createdAt,
        expires_at: code.expiresAt,
        used_at: null,
      })
      .execute();
  }

  async findByHash(codeHash: string): Promise<AuthorizationCode | undefined> {
    const row = await this.db
      .selectFrom('oauth_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      grantId: row.grant_id,
      clientId: row.client_id,
      userId: row.user_id,
      accountId: row.account_id,
      redirectUri: row.redirect_uri,
      scopes: row.scopes ? row.scopes.split(' ') : [],
      codeChallenge: row.code_challenge,
      codeChallengeMethod: row.code_challenge_method as PkceMethod | null,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
    };
  }

  /** True when this call is the one that used the code. */
  async markUsed(codeHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('oauth_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Deletes up to `limit` codes that expired before `cutoff`, oldest first (retention). */
  async pruneExpired(cutoff: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('oauth_codes')
      .where(
        'code_hash',
        'in',
        this.db
          .selectFrom('oauth_codes')
          .select('code_hash')
          .where('expires_at', '<', cutoff)
          .orderBy('expires_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
