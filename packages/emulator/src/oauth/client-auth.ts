/**
 * Client authentication at the token endpoint: HTTP Basic (what Zoom documents), or `client_id` and
 * `client_secret` as parameters (Zoom's error table says they may come "in the request parameter").
 */
import type { Ctx } from '../context.js';
import { oauthErrors } from '../errors/oauth.js';
import type { App } from '../store/models.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  via: 'basic' | 'params';
}

export function readClientCredentials(
  authorization: string | undefined,
  params: Record<string, unknown>,
): ClientCredentials | undefined {
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization) : null;
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: both parts are form-encoded before base64.
    const safeDecode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return {
      clientId: safeDecode(decoded.slice(0, colon)),
      clientSecret: safeDecode(decoded.slice(colon + 1)),
      via: 'basic',
    };
  }
  if (typeof params.client_id === 'string' && typeof params.client_secret === 'string') {
    return { clientId: params.client_id, clientSecret: params.client_secret, via: 'params' };
  }
  return undefined;
}

/** The authenticated app, or Zoom's invalid_client. The secret is compared in constant time. */
export async function authenticateClient(ctx: Ctx, credentials: ClientCredentials | undefined): Promise<App> {
  if (!credentials)
    throw oauthErrors.invalidClient('no client credentials (use HTTP Basic client_id:client_secret)');
  const app =
    credentials.clientId.length <= 128
      ? await ctx.store.apps.findByClientId(credentials.clientId)
      : undefined;
  if (!app) {
    // Spend the same work as a real comparison so that timing does not reveal which client ids exist.
    ctx.keys.verifySecret(credentials.clientSecret, ''.padEnd(64, '0'));
    throw oauthErrors.invalidClient(`unknown client_id ${credentials.clientId.slice(0, 128)}`);
  }
  if (!ctx.keys.verifySecret(credentials.clientSecret, app.clientSecretHash)) {
    throw oauthErrors.invalidClient(`wrong client_secret for ${app.clientId}`);
  }
  return app;
}
