/**
 * Client authentication at the token endpoint: HTTP Basic (what Zoom documents), or `client_id` and
 * `client_secret` as parameters (Zoom's error table says they may come "in the request parameter").
 */
import { timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Keys } from '../crypto.js';
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

/**
 * The secret last verified against an app, by the app object the exact cache answers
 * (`findForClientAuth`): a write that may change the app (a new secret included) gives a new object,
 * so nothing outlives it. Only the keys that verified it accept it again.
 */
const verifiedSecrets = new WeakMap<Readonly<App>, { keys: Keys; secret: Buffer }>();

function verified(ctx: Ctx, app: Readonly<App>, secret: string): boolean {
  const memo = verifiedSecrets.get(app);
  if (memo?.keys === ctx.keys) {
    const presented = Buffer.from(secret);
    if (presented.length === memo.secret.length && timingSafeEqual(presented, memo.secret)) return true;
  }
  if (!ctx.keys.verifySecret(secret, app.clientSecretHash)) return false;
  verifiedSecrets.set(app, { keys: ctx.keys, secret: Buffer.from(secret) });
  return true;
}

/** The authenticated app, or Zoom's invalid_client. The secret is compared in constant time. */
export async function authenticateClient(
  ctx: Ctx,
  credentials: ClientCredentials | undefined,
): Promise<Readonly<App>> {
  if (!credentials)
    throw oauthErrors.invalidClient('no client credentials (use HTTP Basic client_id:client_secret)');
  const app =
    credentials.clientId.length <= 128
      ? await ctx.store.apps.findForClientAuth(credentials.clientId)
      : undefined;
  if (!app) {
    // Spend the same work as a real comparison so that timing does not reveal which client ids exist.
    ctx.keys.verifySecret(credentials.clientSecret, ''.padEnd(64, '0'));
    throw oauthErrors.invalidClient(`unknown client_id ${credentials.clientId.slice(0, 128)}`);
  }
  if (!verified(ctx, app, credentials.clientSecret)) {
    throw oauthErrors.invalidClient(`wrong client_secret for ${app.clientId}`);
  }
  return app;
}
