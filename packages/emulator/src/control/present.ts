import type { App, TokenRecord } from '../store/models.js';
import { zoomTime } from '../time.js';

export function presentApp(app: App, clientSecret?: string) {
  return {
    client_id: app.clientId,
    ...(clientSecret ? { client_secret: clientSecret } : {}),
    account_id: app.accountId,
    name: app.name,
    type: app.type,
    scopes: app.scopes,
    redirect_uris: app.redirectUris,
    enabled: app.enabled,
    owner_user_id: app.ownerUserId,
    created_at: zoomTime(app.createdAt),
  };
}

export function presentToken(token: TokenRecord) {
  return {
    id: token.id,
    kind: token.kind,
    grant_id: token.grantId,
    grant_type: token.grantType,
    account_id: token.accountId,
    client_id: token.clientId,
    user_id: token.userId,
    scopes: token.scopes,
    issued_at: new Date(token.issuedAt).toISOString(),
    expires_at: new Date(token.expiresAt).toISOString(),
    revoked_at: token.revokedAt === null ? null : new Date(token.revokedAt).toISOString(),
    revoked_reason: token.revokedReason,
  };
}
