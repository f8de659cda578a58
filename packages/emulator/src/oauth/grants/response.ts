/** The token endpoint's success body, built the same way by every grant. */
import type { Ctx } from '../../context.js';
import { ISSUED_TOKEN } from '../../http/trace.js';
import { ACCESS_TOKEN_TTL_SECONDS, type IssuedToken } from '../tokens.js';
import type { TokenResponse } from './types.js';

export function tokenResponse(
  ctx: Ctx,
  access: IssuedToken,
  scopes: readonly string[],
  extra: { refreshToken?: string; expiresIn?: number } = {},
): TokenResponse {
  return {
    access_token: access.token,
    token_type: 'bearer',
    ...(extra.refreshToken === undefined ? {} : { refresh_token: extra.refreshToken }),
    expires_in: extra.expiresIn ?? ACCESS_TOKEN_TTL_SECONDS,
    scope: scopes.join(' '),
    api_url: ctx.publicUrl(),
    [ISSUED_TOKEN]: access.record,
  };
}
