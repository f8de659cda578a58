/**
 * Bearer guard: `Authorization: Bearer <token>` -> Principal, or Zoom's 401 code 124 with the reason
 * in words kept for the request log. Tokens in the query string are refused as Zoom refuses them.
 */
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import type { Principal } from './principal.js';

export async function authenticate(
  ctx: Ctx,
  authorization: string | undefined,
  queryToken: unknown,
): Promise<Principal> {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (!match) {
    if (queryToken !== undefined) throw zoomErrors.tokenInQuery();
    throw zoomErrors.invalidToken(
      authorization ? 'Authorization header is not "Bearer <token>"' : 'no access token',
    );
  }
  const verified = await ctx.tokens.verify(match[1] as string);
  if (!verified.ok) {
    const { problem } = verified;
    if (problem.kind === 'expired') throw zoomErrors.expiredToken(problem.reason);
    throw zoomErrors.invalidToken(problem.reason);
  }
  const { record, app } = verified;
  if (!app) throw zoomErrors.invalidToken(`app ${record.clientId} no longer exists`);
  if (!app.enabled) throw zoomErrors.invalidToken(`app ${app.clientId} is disabled`);
  const user = verified.user ?? null;
  if (record.userId && !user) throw zoomErrors.invalidToken(`user ${record.userId} was deleted`);
  return { token: record, app, accountId: record.accountId, user, scopes: new Set(record.scopes) };
}
