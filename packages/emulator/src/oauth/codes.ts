/**
 * Authorization codes: issued by an approval (the consent page or the control API), valid five minutes
 * of emulated time and once. Stored by SHA-256 hash; marking a code used is one conditional update, so
 * two concurrent exchanges of one code cannot both succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { PkceMethod } from './pkce.js';

export const CODE_TTL_MS = 5 * 60 * 1000;

interface OAuthCodeTable {
  code_hash: string;
  grant_id: string;
  client_id: string;
  user_id: string;
  account_id: string;
  redirect_uri: string;
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
type CodesDb = Database & { oauth_codes: OAuthCodeTable };

export interface AuthorizationCode {
  grantId: string;
  clientId: string;
  userId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: PkceMethod | null;
  expiresAt: number;
  usedAt: number | null;
}

function db(store: Store): Kysely<CodesDb> {
  return store.db as unknown as Kysely<CodesDb>;
}

export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export async function createCode(
  store: Store,
  now: number,
  data: Omit<AuthorizationCode, 'expiresAt' | 'usedAt' | 'grantId'>,
): Promise<string> {
  const code = randomBytes(24).toString('base64url');
  await db(store)
    .insertInto('oauth_codes')
    .values({
      code_hash: hashCode(code),
      grant_id: randomBytes(16).toString('hex'),
      client_id: data.clientId,
      user_id: data.userId,
      account_id: data.accountId,
      redirect_uri: data.redirectUri,
      scopes: data.scopes.join(' '),
      code_challenge: data.codeChallenge,
      code_challenge_method: data.codeChallengeMethod,
      created_at: now,
      expires_at: now + CODE_TTL_MS,
      used_at: null,
    })
    .execute();
  return code;
}

export async function findCode(store: Store, code: string): Promise<AuthorizationCode | undefined> {
  const row = await db(store)
    .selectFrom('oauth_codes')
    .selectAll()
    .where('code_hash', '=', hashCode(code))
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
export async function markCodeUsed(store: Store, code: string, now: number): Promise<boolean> {
  const result = await db(store)
    .updateTable('oauth_codes')
    .set({ used_at: now })
    .where('code_hash', '=', hashCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
