/**
 * `grant_type=client_credentials` for chatbot apps: no `account_id`, no refresh token, and a token
 * that stands for the app, not for a user (`userId: null`), so `me` resolves to nobody.
 */

import { ISSUED_TOKEN } from '../../http/trace.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '../tokens.js';
import type { Grant } from './types.js';

export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  appTypes: ['chatbot'],
  async handle(ctx, app) {
    const { token, record } = await ctx.tokens.issue({
      accountId: app.accountId,
      clientId: app.clientId,
      userId: null,
      grantType: 'client_credentials',
      scopes: app.scopes,
    });
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      scope: app.scopes.join(' '),
      api_url: ctx.publicUrl(),
      [ISSUED_TOKEN]: record,
    };
  },
};
