/** POST {oauthUrl}/oauth/token: the single place that talks to Zoom's token endpoint. */
import { oauthErrorFrom } from '../errors.js';
import { send, type TransportContext } from '../transport.js';
import type { TokenSet } from './types.js';

export interface TokenEndpointContext extends TransportContext {
  oauthUrl: string;
  timeoutMs: number;
  /** Fetch a new token this long before `expires_in` runs out (capped at half the lifetime). */
  refreshMarginMs: number;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

interface TokenResponse {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  api_url?: unknown;
  refresh_token?: unknown;
}

export function basicAuth({ clientId, clientSecret }: ClientCredentials): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export async function requestToken(
  ctx: TokenEndpointContext,
  credentials: ClientCredentials,
  params: Record<string, string>,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const url = `${ctx.oauthUrl}/oauth/token`;
  const issuedAt = ctx.now();
  const sent = await send(ctx, {
    kind: 'oauth',
    method: 'POST',
    url,
    headers: {
      authorization: basicAuth(credentials),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(params).toString(),
    attempt: 0,
    timeoutMs: ctx.timeoutMs,
    signal,
    wording: {
      timedOut: () => `Token request to ${url} timed out after ${ctx.timeoutMs} ms.`,
      unreachable: (_, why) =>
        `Could not reach the OAuth server at ${ctx.oauthUrl} (${why}). Check the OAuth URL and that the server is running.`,
      brokeOff: (_, why) => `Token request to ${url}: the answer broke off (${why}).`,
    },
  });
  if (!sent.answered) throw sent.error;
  const answer = { status: sent.status, headers: sent.headers, method: 'POST', url };
  if (!sent.ok) throw oauthErrorFrom({ ...answer, body: sent.body });
  const data = (sent.body ?? {}) as TokenResponse;
  if (typeof data.access_token !== 'string' || typeof data.expires_in !== 'number') {
    throw oauthErrorFrom({
      ...answer,
      body: { error: 'invalid_response', reason: 'token response lacks access_token or expires_in' },
    });
  }
  return tokenSetFrom(data, issuedAt, ctx.refreshMarginMs);
}

function tokenSetFrom(data: TokenResponse, issuedAt: number, marginMs: number): TokenSet {
  const lifetimeMs = (data.expires_in as number) * 1000;
  return {
    accessToken: data.access_token as string,
    tokenType: typeof data.token_type === 'string' ? data.token_type : 'bearer',
    expiresAt: issuedAt + lifetimeMs,
    refreshAt: issuedAt + lifetimeMs - Math.min(marginMs, lifetimeMs / 2),
    scope: typeof data.scope === 'string' ? data.scope.split(' ').filter(Boolean) : [],
    apiUrl: typeof data.api_url === 'string' ? data.api_url.replace(/\/+$/, '') : undefined,
    refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : undefined,
  };
}
