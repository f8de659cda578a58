/** Server-to-Server OAuth: `grant_type=account_credentials&account_id=…`; no refresh token. */
import { oauthErrors } from '../../errors/oauth.js';
import type { Store } from '../../store/store.js';
import { applyTolerance, toleranceMode } from '../tolerance.js';
import { tokenResponse } from './response.js';
import type { Grant } from './types.js';

export const accountCredentials: Grant = {
  grantType: 'account_credentials',
  appTypes: ['server_to_server'],
  async handle(ctx, app, params) {
    const accountId = params.account_id;
    if (!accountId) throw oauthErrors.missingAccountId();
    if (accountId !== app.accountId) throw oauthErrors.invalidAccountId(accountId.slice(0, 128));
    const mode = toleranceMode(app, params.index);
    const issue = async (store: Store) => {
      const issued = await ctx.tokens.issue(
        {
          accountId: app.accountId,
          clientId: app.clientId,
          // The token is the app owner's, which is what `me` resolves to.
          userId: app.ownerUserId,
          grantType: 'account_credentials',
          scopes: app.scopes,
          ...(mode.index === null ? {} : { claims: { tid: mode.index } }),
        },
        store,
      );
      await applyTolerance(ctx, store, app, mode, issued.record.id, issued.record.issuedAt);
      return issued;
    };
    // In the legacy mode the new token revokes older ones: one transaction. Otherwise the token's
    // single INSERT is the whole write, atomic by itself.
    const issued = mode.legacy ? await ctx.store.transaction(issue) : await issue(ctx.store);
    return tokenResponse(ctx, issued, app.scopes);
  },
};
