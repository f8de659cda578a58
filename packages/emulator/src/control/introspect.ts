/**
 * POST /_zemu/tokens/introspect {token}: what a token is, for whom, with which scopes, and whether
 * and why it no longer works. `zemu token inspect` calls this. The verdict is the guard's own: the
 * same verification the /v2 guard runs, plus the app and user checks it makes.
 */

import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import type { RouteSink } from '../http/dispatch.js';
import type { TokenRecord } from '../store/models.js';
import { isoOrNull } from '../time.js';

export type IntrospectedKind = 'access_token' | 'refresh_token' | 'zak' | 'user_token' | 'unknown';

export interface Introspection {
  active: boolean;
  kind: IntrospectedKind;
  reason?: string;
  token_id: string | null;
  grant_id: string | null;
  account_id: string | null;
  client_id: string | null;
  user_id: string | null;
  scopes: string[];
  grant_type: string | null;
  issued_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
}

function unknownToken(reason: string): Introspection {
  return {
    active: false,
    kind: 'unknown',
    reason,
    token_id: null,
    grant_id: null,
    account_id: null,
    client_id: null,
    user_id: null,
    scopes: [],
    grant_type: null,
    issued_at: null,
    expires_at: null,
    revoked_at: null,
    revoked_reason: null,
  };
}

function fromRecord(record: TokenRecord, active: boolean, reason?: string): Introspection {
  return {
    active,
    kind: record.kind === 'refresh' ? 'refresh_token' : 'access_token',
    ...(reason === undefined ? {} : { reason }),
    token_id: record.id,
    grant_id: record.grantId,
    account_id: record.accountId,
    client_id: record.clientId,
    user_id: record.userId,
    scopes: record.scopes,
    grant_type: record.grantType,
    issued_at: isoOrNull(record.issuedAt),
    expires_at: isoOrNull(record.expiresAt),
    revoked_at: isoOrNull(record.revokedAt),
    revoked_reason: record.revokedReason,
  };
}

/** The unverified payload, only to learn which verifier to ask. */
function peek(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function introspect(ctx: Ctx, token: string): Promise<Introspection> {
  const claims = peek(token);
  if (!claims) return unknownToken('not a Zemu token: not a JWT');
  if (claims.ztyp === 'zak' || claims.ztyp === 'token') return introspectZak(ctx, token, claims);
  const kind = claims.typ === 'refresh' ? 'refresh' : 'access';
  const verified = await ctx.tokens.verify(token, kind);
  if (!verified.ok) {
    const { problem } = verified;
    if (problem.kind === 'malformed') {
      return unknownToken(
        problem.reason.startsWith('not a Zemu token')
          ? problem.reason
          : `not a Zemu token: ${problem.reason}`,
      );
    }
    if (problem.kind === 'unknown') return unknownToken(problem.reason);
    const record = problem.record ?? (await ctx.store.tokens.findById(String(claims.jti)));
    if (!record) return unknownToken(problem.reason);
    return fromRecord(record, false, problem.reason);
  }
  const { record, app, user } = verified;
  // The same checks, in the same order, as the /v2 guard.
  if (!app) return fromRecord(record, false, `app ${record.clientId} no longer exists`);
  if (!app.enabled) return fromRecord(record, false, `app ${app.clientId} is disabled`);
  if (record.userId && !user) return fromRecord(record, false, `user ${record.userId} was deleted`);
  return fromRecord(record, true);
}

async function introspectZak(
  ctx: Ctx,
  token: string,
  claims: Record<string, unknown>,
): Promise<Introspection> {
  const kind: IntrospectedKind = claims.ztyp === 'zak' ? 'zak' : 'user_token';
  const base: Introspection = {
    ...unknownToken(''),
    kind,
    account_id: typeof claims.aid === 'string' ? claims.aid : null,
    user_id: typeof claims.uid === 'string' ? claims.uid : null,
    issued_at: typeof claims.iat === 'number' ? isoOrNull(claims.iat * 1000) : null,
    expires_at: typeof claims.exp === 'number' ? isoOrNull(claims.exp * 1000) : null,
  };
  delete base.reason;
  const user = base.user_id ? await ctx.store.users.findById(base.user_id) : undefined;
  if (!user) {
    // Signature first: a forged token must not be reported as a deleted user's.
    return { ...base, active: false, reason: `user ${base.user_id ?? '?'} was deleted` };
  }
  const check = await ctx.zaks.check(token, user);
  if (check.ok) {
    // check() judges a ZAK; a type=token user token is verified the same way.
    return { ...base, active: true };
  }
  if (check.reason === 'malformed' && !check.claims) return unknownToken(`not a Zemu token: ${check.detail}`);
  if (check.reason === 'malformed' && kind === 'user_token') {
    // check() only accepts ZAKs; a verified type=token is judged here on expiry and version.
    const c = check.claims as { exp: number; zv: number };
    if (ctx.clock.nowSeconds() >= c.exp)
      return { ...base, active: false, reason: `expired at ${base.expires_at}` };
    if (c.zv !== user.zakVersion) {
      return {
        ...base,
        active: false,
        reason: "revoked: the user's tokens were revoked after this one was issued",
      };
    }
    return { ...base, active: true };
  }
  return { ...base, active: false, reason: check.detail };
}

export function introspectRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.post<{ Body: { token?: unknown } | undefined }>('/tokens/introspect', async (request) => {
      const token = request.body?.token;
      if (typeof token !== 'string' || token.length === 0) {
        throw zoomErrors.validation([{ field: 'token', message: 'Required: the token to inspect.' }]);
      }
      if (token.length > 16_384) return unknownToken('not a Zemu token: too long');
      return introspect(ctx, token.trim());
    });
  };
}
