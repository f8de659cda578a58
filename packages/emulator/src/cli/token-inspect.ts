/**
 * `zemu token inspect`: whether a token works and why not. Against a Zemu, its introspection says
 * so outright; otherwise the token's claims, then a test call through @zemu/client whose error
 * class says why (ZoomInvalidTokenError: dead; ZoomMissingScopeError: alive but narrow).
 */
import {
  ZoomApiError,
  ZoomClient,
  ZoomConnectionError,
  ZoomInvalidTokenError,
  ZoomMissingScopeError,
} from '@zemu/client';
import type { ClientEnvironment, ResolvedConnection } from './profile.js';

export interface InspectReport {
  active: boolean;
  reason?: string;
  source: 'zemu-introspection' | 'claims-and-test-call';
  kind?: string;
  account_id?: string;
  client_id?: string;
  user_id?: string;
  scopes?: string[];
  grant_type?: string;
  issued_at?: string;
  expires_at?: string;
  test_call?: string;
}

/** Zemu's POST /_zemu/tokens/introspect when the OAuth host is a Zemu; otherwise claims + GET /users/me. */
export async function inspectToken(
  token: string,
  connection: ResolvedConnection,
  io: ClientEnvironment,
): Promise<InspectReport> {
  const doFetch = io.fetch ?? fetch;
  const origin = (connection.oauthUrl ?? 'https://zoom.us').replace(/\/+$/, '');
  if (origin !== 'https://zoom.us') {
    let res: Response | undefined;
    try {
      res = await doFetch(`${origin}/_zemu/tokens/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new ZoomConnectionError(`could not reach ${origin} to introspect the token`, {
        method: 'POST',
        url: `${origin}/_zemu/tokens/introspect`,
        cause,
      });
    }
    if (res.ok) {
      const body = (await res.json()) as Record<string, unknown>;
      return {
        active: body.active === true,
        ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
        source: 'zemu-introspection',
        ...pickStrings(body, [
          'kind',
          'account_id',
          'client_id',
          'user_id',
          'grant_type',
          'issued_at',
          'expires_at',
        ]),
        ...(Array.isArray(body.scopes) ? { scopes: body.scopes as string[] } : {}),
      };
    }
    await res.body?.cancel();
  }
  return inspectByClaims(token, connection, io);
}

function pickStrings(body: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number') out[key] = new Date(value).toISOString();
  }
  return out;
}

async function inspectByClaims(
  token: string,
  connection: ResolvedConnection,
  io: ClientEnvironment,
): Promise<InspectReport> {
  // Zoom's access tokens are JWTs whose claims are undocumented (aid/uid/cid in v7+, accountId/userId
  // /clientId in v6); read what is there without trusting it, then let the API decide.
  let claims: Record<string, unknown> = {};
  const payload = token.split('.')[1];
  try {
    if (payload) claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    claims = {};
  }
  const str = (...keys: string[]) =>
    keys.map((k) => claims[k]).find((v): v is string => typeof v === 'string');
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  const iat = typeof claims.iat === 'number' ? claims.iat * 1000 : undefined;
  const report: InspectReport = {
    active: false,
    source: 'claims-and-test-call',
    ...(str('aid', 'accountId') ? { account_id: str('aid', 'accountId') } : {}),
    ...(str('cid', 'clientId') ? { client_id: str('cid', 'clientId') } : {}),
    ...(str('uid', 'userId') ? { user_id: str('uid', 'userId') } : {}),
    ...(iat ? { issued_at: new Date(iat).toISOString() } : {}),
    ...(exp ? { expires_at: new Date(exp).toISOString() } : {}),
  };
  if (!payload || Object.keys(claims).length === 0) {
    return { ...report, reason: 'not a JWT: Zoom access tokens are JWTs (they start with eyJ)' };
  }
  if (exp !== undefined && exp <= Date.now()) {
    return { ...report, reason: `expired at ${new Date(exp).toISOString()}: get a new token (zemu token)` };
  }
  const api = connection.apiUrl ?? 'https://api.zoom.us/v2';
  // No retries and no renewal (a static token cannot be renewed): one call, whose answer is the verdict.
  const zoom = new ZoomClient({
    apiUrl: api,
    auth: { type: 'static', token },
    maxRetries: 0,
    timeoutMs: 10_000,
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  const testCall = (status: number, body: unknown) =>
    `GET /users/me -> ${status} ${bodyText(body).slice(0, 200)}`;
  try {
    const res = await zoom.request('GET', '/users/me');
    return { ...report, active: true, test_call: testCall(res.status, res.data) };
  } catch (error) {
    if (error instanceof ZoomConnectionError) {
      throw new ZoomConnectionError(`could not reach ${api} to test the token`, {
        method: 'GET',
        url: `${api}/users/me`,
        cause: error.cause,
      });
    }
    if (!(error instanceof ZoomApiError)) throw error;
    report.test_call = testCall(error.status, error.body);
    if (error instanceof ZoomInvalidTokenError) {
      return {
        ...report,
        reason: /expired/i.test(error.message)
          ? `expired (the server says "${error.message}"): get a new token with zemu token`
          : `rejected (the server says "${error.message}"): revoked, superseded, or not issued by this server`,
      };
    }
    if (error instanceof ZoomMissingScopeError) {
      // The token itself works; it just cannot call this endpoint.
      return {
        ...report,
        active: true,
        reason: `works, but lacks scopes for GET /users/me: ${error.message}`,
      };
    }
    const said = (error.body as { message?: unknown } | undefined)?.message;
    return {
      ...report,
      reason: `the API answered ${error.status}: ${typeof said === 'string' ? said : bodyText(error.body).slice(0, 200)}`,
    };
  }
}

/** An answer's body as the server sent it: the client hands over JSON parsed, anything else as text. */
function bodyText(body: unknown): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}
