/** The token pair of the user-level grants (authorization code, refresh): access plus a rotating refresh token. */
import type { Ctx } from '../../context.js';
import type { App } from '../../store/models.js';
import type { Store } from '../../store/store.js';
import { tokenResponse } from './response.js';
import type { TokenResponse } from './types.js';

export const DEFAULT_REFRESH_TTL_SECONDS = 90 * 24 * 3600;

export function refreshTtl(app: App): number {
  const ttl = app.settings.refresh_token_ttl_seconds;
  return typeof ttl === 'number' && ttl > 0 ? ttl : DEFAULT_REFRESH_TTL_SECONDS;
}

export function refreshGraceMs(app: App): number {
  const grace = app.settings.refresh_grace_seconds;
  return typeof grace === 'number' && grace > 0 ? grace * 1000 : 0;
}

export async function issueUserTokens(
  ctx: Ctx,
  store: Store,
  app: App,
  grant: { grantId: string; grantType: string; userId: string; accountId: string; scopes: string[] },
): Promise<TokenResponse> {
  const common = {
    accountId: grant.accountId,
    clientId: app.clientId,
    userId: grant.userId,
    grantType: grant.grantType,
    grantId: grant.grantId,
    scopes: grant.scopes,
  };
  const access = await ctx.tokens.issue(common, store);
  const refresh = await ctx.tokens.issue({ ...common, kind: 'refresh', ttlSeconds: refreshTtl(app) }, store);
  // Zoom reports 3599 for user tokens that live an hour (contract §1 sample).
  return tokenResponse(ctx, access, grant.scopes, { refreshToken: refresh.token, expiresIn: 3599 });
}
