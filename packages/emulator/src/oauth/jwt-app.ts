/**
 * The legacy JWT app (retired by Zoom in 2023, off unless enabled): the caller signs its own HS256
 * JWT `{"iss": <API key>, "exp": …}` with the API secret and sends it as a bearer token (or, as the
 * legacy docs allowed, `?access_token=`). It acts account-wide as the app's owner.
 *
 * The API secret is derived from the installation key and the API key (client id), like the demo
 * app's secret: nothing secret is stored, client secrets stay hashed, and `GET /_zemu/apps/{id}`
 * shows it to whoever holds the control API.
 */

import { createHash } from 'node:crypto';
import { createVerifier, TokenError } from 'fast-jwt';
import type { Ctx } from '../context.js';
import { accessErrors } from '../errors/access.js';
import type { Principal } from '../guard/principal.js';
import { isObject } from '../http/input.js';
import type { TokenRecord } from '../store/models.js';

/** JWT apps had no scopes: they could call every API of the account. */
export const JWT_APP_SCOPES: readonly string[] = [
  'user:read:admin',
  'user:write:admin',
  'meeting:read:admin',
  'meeting:write:admin',
];

export function jwtApiSecret(ctx: Ctx, clientId: string): string {
  return ctx.keys.demoSecret(`jwt-api-secret:${clientId}`);
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part || part.length > 4096) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Zemu's own access tokens are HS512; a JWT-app token is an HS256 JWT with an `iss`. */
const ZEMU_HEADER_PREFIX = Buffer.from('{"alg":"HS512",').toString('base64url').slice(0, 18);

export function isJwtAppToken(token: string): boolean {
  // The hot path: Zemu's own tokens are recognised without decoding anything.
  if (token.startsWith(ZEMU_HEADER_PREFIX)) return false;
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  return decodePart(parts[0])?.alg === 'HS256';
}

export async function authenticateJwtApp(ctx: Ctx, token: string): Promise<Principal> {
  const claims = decodePart(token.split('.')[1]);
  const iss = claims?.iss;
  if (typeof iss !== 'string' || iss.length === 0 || iss.length > 128)
    throw accessErrors.invalidToken('HS256 JWT without an iss (API key)');
  const app = await ctx.store.apps.findByClientId(iss);
  if (app?.type !== 'jwt') throw accessErrors.invalidToken(`no JWT app with API key ${iss}`);
  if (!(ctx.config.jwtApps || app.settings.jwt_enabled === true)) {
    throw accessErrors.invalidToken(
      `JWT app ${iss} is not enabled (Zoom retired JWT apps; set its settings.jwt_enabled or ZEMU_JWT_APPS=1)`,
    );
  }
  if (!app.enabled) throw accessErrors.invalidToken(`app ${app.clientId} is disabled`);
  const verify = createVerifier({
    key: jwtApiSecret(ctx, app.clientId),
    algorithms: ['HS256'],
    ignoreExpiration: true,
    ignoreNotBefore: true,
  });
  try {
    verify(token);
  } catch (error) {
    throw accessErrors.invalidToken(
      `JWT app token signature: ${error instanceof TokenError ? error.code : 'invalid'} (sign with the app's API secret)`,
    );
  }
  const exp = claims?.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw accessErrors.invalidToken('JWT app token without exp');
  const now = ctx.clock.nowSeconds();
  if (now >= exp)
    throw accessErrors.expiredToken(`JWT app token expired at ${new Date(exp * 1000).toISOString()}`);
  const user = await ctx.store.users.findById(app.ownerUserId);
  if (!user) throw accessErrors.invalidToken(`user ${app.ownerUserId} (the JWT app's owner) was deleted`);
  if (user.status === 'inactive')
    throw accessErrors.invalidToken(`user ${user.id} (the JWT app's owner) is deactivated`);
  const id = `jwt:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
  const iat = typeof claims?.iat === 'number' ? claims.iat : now;
  const record: TokenRecord = {
    id,
    kind: 'access',
    grantId: id,
    accountId: app.accountId,
    clientId: app.clientId,
    userId: user.id,
    grantType: 'jwt',
    scopes: [...JWT_APP_SCOPES],
    issuedAt: iat * 1000,
    expiresAt: exp * 1000,
    revokedAt: null,
    revokedReason: null,
  };
  return { token: record, app, accountId: app.accountId, user, scopes: new Set(record.scopes) };
}
