/**
 * `grant_type=client_credentials` for chatbot apps: no `account_id`, no refresh token, and a token
 * that stands for the app, not for a user (`userId: null`), so `me` resolves to nobody.
 */

import { tokenResponse } from './response.js';
import type { Grant } from './types.js';

export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  appTypes: ['chatbot'],
  async handle(ctx, app) {
    const issued = await ctx.tokens.issue({
      accountId: app.accountId,
      clientId: app.clientId,
      userId: null,
      grantType: 'client_credentials',
      scopes: app.scopes,
    });
    return tokenResponse(ctx, issued, app.scopes);
  },
};
