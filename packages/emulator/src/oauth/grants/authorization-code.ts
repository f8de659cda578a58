/**
 * `grant_type=authorization_code`: the code is valid five minutes and once. A replayed code fails and
 * revokes every token issued from it (RFC 6749 §4.1.2); redirect_uri must equal the authorized one;
 * PKCE is verified when the authorization carried a challenge.
 */
import { oauthErrors } from '../../errors/oauth.js';
import { findCode, markCodeUsed } from '../codes.js';
import { verifyPkce } from '../pkce.js';
import type { Grant } from './types.js';
import { issueUserTokens } from './user-tokens.js';

export const authorizationCode: Grant = {
  grantType: 'authorization_code',
  appTypes: ['oauth_user', 'oauth_account'],
  async handle(ctx, app, params) {
    const code = params.code;
    if (!code || code.length > 256) throw oauthErrors.invalidCode('no code');
    const now = ctx.clock.now();
    const found = await findCode(ctx.store, code);
    if (!found || found.clientId !== app.clientId)
      throw oauthErrors.invalidCode('unknown code, or a code of another app');
    if (found.usedAt !== null) {
      const revoked = await ctx.store.tokens.revokeGrant(found.grantId, now, 'authorization code replayed');
      throw oauthErrors.invalidCode(`code already used; revoked the ${revoked} tokens issued from it`);
    }
    if (now >= found.expiresAt)
      throw oauthErrors.invalidCode(`code expired at ${new Date(found.expiresAt).toISOString()}`);
    if (params.redirect_uri !== found.redirectUri) {
      throw oauthErrors.redirectMismatch(
        `redirect_uri ${params.redirect_uri ?? '(none)'} is not the authorized one`,
      );
    }
    if (found.codeChallenge && found.codeChallengeMethod) {
      if (!verifyPkce(found.codeChallengeMethod, found.codeChallenge, params.code_verifier))
        throw oauthErrors.invalidCodeVerifier();
    }
    const user = await ctx.store.users.findById(found.userId);
    if (user?.status !== 'active')
      throw oauthErrors.invalidCode(`user ${found.userId} can no longer sign in`);
    return ctx.store.transaction(async (store) => {
      // One conditional update decides which of two concurrent exchanges wins.
      if (!(await markCodeUsed(store, code, now))) throw oauthErrors.invalidCode('code already used');
      return issueUserTokens(ctx, store, app, {
        grantId: found.grantId,
        grantType: 'authorization_code',
        userId: user.id,
        accountId: user.accountId,
        scopes: found.scopes,
      });
    });
  },
};
