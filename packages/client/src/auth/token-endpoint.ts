/** POST {oauthUrl}/oauth/token: the single place that talks to Zoom's token endpoint. */
import { oauthErrorFrom, ZoomConnectionError, ZoomTimeoutError } from '../errors.js';
import type { Hooks } from '../hooks.js';
import type { TokenSet } from './types.js';

export interface TokenEndpointContext {
  oauthUrl: string;
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
  /** Fetch a new token this long before `expires_in` runs out (capped at half the lifetime). */
  refreshMarginMs: number;
  hooks: Hooks;
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
  const headers: Record<string, string> = {
    authorization: basicAuth(credentials),
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const started = ctx.now();
  const info = { kind: 'oauth' as const, method: 'POST', url, headers, attempt: 0 };
  await ctx.hooks.onRequest?.(info);
  let response: Response;
  try {
    response = await ctx.fetch(url, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params).toString(),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted) {
      throw new ZoomTimeoutError(`Token request to ${url} timed out after ${ctx.timeoutMs} ms.`, {
        method: 'POST',
        url,
        cause: error,
      });
    }
    throw new ZoomConnectionError(
      `Could not reach the OAuth server at ${ctx.oauthUrl} (${describe(error)}). Check the OAuth URL and that the server is running.`,
      { method: 'POST', url, cause: error },
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error
  }
  await ctx.hooks.onResponse?.({
    request: info,
    status: response.status,
    headers: response.headers,
    durationMs: ctx.now() - started,
  });
  if (!response.ok) {
    throw oauthErrorFrom({ status: response.status, headers: response.headers, body, method: 'POST', url });
  }
  const data = (body ?? {}) as TokenResponse;
  if (typeof data.access_token !== 'string' || typeof data.expires_in !== 'number') {
    throw oauthErrorFrom({
      status: response.status,
      headers: response.headers,
      body: { error: 'invalid_response', reason: 'token response lacks access_token or expires_in' },
      method: 'POST',
      url,
    });
  }
  return tokenSetFrom(data, started, ctx.refreshMarginMs);
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

export function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
