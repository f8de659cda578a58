/**
 * Bearer guard: `Authorization: Bearer <token>` -> Principal, or Zoom's 401 code 124 with the reason
 * in words kept for the request log. Tokens in the query string are refused as Zoom refuses them.
 *
 * Synchronous when it can be (the hot path: SQLite, a Zemu token): returns the Principal, or throws
 * the error. A promise where the store is asynchronous (PostgreSQL, a transaction open on SQLite's
 * connection) and for legacy JWT-app tokens.
 */
import type { Ctx } from '../context.js';
import { accessErrors } from '../errors/access.js';
import { authenticateJwtApp, isJwtAppToken } from '../oauth/jwt-app.js';
import type { VerifyResult } from '../oauth/tokens.js';
import type { TokenRecord } from '../store/models.js';
import type { Principal } from './principal.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * A token's scopes as a set, built once per record: the principal cache hands back the same record
 * while nothing that may change it was written, and a record's scopes never change (a scope change
 * of the app moves the cache's epoch, so a new record object comes with it).
 */
const scopeSets = new WeakMap<TokenRecord, ReadonlySet<string>>();

function scopeSetOf(record: TokenRecord): ReadonlySet<string> {
  let scopes = scopeSets.get(record);
  if (!scopes) {
    scopes = new Set(record.scopes);
    scopeSets.set(record, scopes);
  }
  return scopes;
}

export function authenticate(
  ctx: Ctx,
  authorization: string | undefined,
  queryToken: unknown,
): Principal | Promise<Principal> {
  const match = authorization ? BEARER.exec(authorization) : null;
  // Legacy JWT-app tokens (HS256, signed by the caller); the only tokens Zoom took in the query string.
  const jwtAppToken = match
    ? match[1]
    : !authorization && typeof queryToken === 'string'
      ? queryToken
      : undefined;
  if (jwtAppToken && isJwtAppToken(jwtAppToken)) return authenticateJwtApp(ctx, jwtAppToken);
  if (!match) {
    if (queryToken !== undefined) throw accessErrors.tokenInQuery();
    throw accessErrors.invalidToken(
      authorization ? 'Authorization header is not "Bearer <token>"' : 'no access token',
    );
  }
  const verified = ctx.tokens.verifyNow(match[1] as string);
  return verified instanceof Promise ? verified.then(principalOf) : principalOf(verified);
}

function principalOf(verified: VerifyResult): Principal {
  if (!verified.ok) {
    const { problem } = verified;
    if (problem.kind === 'expired') throw accessErrors.expiredToken(problem.reason);
    throw accessErrors.invalidToken(problem.reason);
  }
  const { record, app } = verified;
  if (!app) throw accessErrors.invalidToken(`app ${record.clientId} no longer exists`);
  if (!app.enabled) throw accessErrors.invalidToken(`app ${app.clientId} is disabled`);
  const user = verified.user ?? null;
  if (record.userId && !user) throw accessErrors.invalidToken(`user ${record.userId} was deleted`);
  // A deactivated user's tokens fail like revoked ones (Zemu's choice; see docs/compatibility.md).
  if (user && user.status === 'inactive') throw accessErrors.invalidToken(`user ${user.id} is deactivated`);
  return { token: record, app, accountId: record.accountId, user, scopes: scopeSetOf(record) };
}
