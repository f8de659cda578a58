/**
 * `grant_type=refresh_token` with rotation: every use returns a new refresh token and retires the old
 * one. Within the app's grace window (default 0, like Zoom) the retired token still works; after it,
 * presenting a retired token is reuse: it is recorded and the whole grant is revoked (RFC 9700 §4.14).
 */
import { oauthErrors } from '../../errors/oauth.js';
import type { Grant } from './types.js';
import { issueUserTokens, refreshGraceMs } from './user-tokens.js';

const ROTATED = 'rotated';

export const refreshToken: Grant = {
  grantType: 'refresh_token',
  appTypes: ['oauth_user', 'oauth_account'],
  async handle(ctx, app, params) {
    const presented = params.refresh_token;
    if (!presented) throw oauthErrors.invalidRefreshToken('no refresh_token');
    const now = ctx.clock.now();
    const verified = await ctx.tokens.verify(presented, 'refresh');
    let record = verified.ok ? verified.record : undefined;
    if (!verified.ok) {
      const { problem } = verified;
      if (problem.kind === 'revoked' && problem.record.revokedReason?.startsWith(ROTATED)) {
        const rotatedAt = problem.record.revokedAt ?? 0;
        if (now - rotatedAt <= refreshGraceMs(app) && problem.record.clientId === app.clientId) {
          record = problem.record;
        } else {
          const revoked = await ctx.store.tokens.revokeGrant(
            problem.record.grantId,
            now,
            `refresh token reuse detected: a token ${problem.record.revokedReason} was presented again`,
          );
          throw oauthErrors.invalidRefreshToken(
            `reuse of a rotated refresh token; revoked the grant (${revoked} tokens)`,
          );
        }
      } else {
        throw oauthErrors.invalidRefreshToken(problem.reason);
      }
    }
    if (!record || record.clientId !== app.clientId)
      throw oauthErrors.invalidRefreshToken('refresh token of another app');
    const user = record.userId ? await ctx.store.users.findById(record.userId) : undefined;
    if (user?.status !== 'active')
      throw oauthErrors.invalidRefreshToken(`user ${record.userId} can no longer sign in`);
    const current = record;
    return ctx.store.transaction(async (store) => {
      if (current.revokedAt === null) {
        await store.tokens.revoke(current.id, now, `${ROTATED} at ${new Date(now).toISOString()}`);
      }
      return issueUserTokens(ctx, store, app, {
        grantId: current.grantId,
        grantType: 'refresh_token',
        userId: user.id,
        accountId: user.accountId,
        scopes: current.scopes,
      });
    });
  },
};
