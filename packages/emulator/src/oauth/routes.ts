/** zoom.us/oauth/* */

import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { oauthErrors } from '../errors/oauth.js';
import { isObject } from '../http/input.js';
import { recordEvent } from '../webhooks/emit.js';
import { authenticateClient, readClientCredentials } from './client-auth.js';
import { grants } from './grants/index.js';
import type { TokenParams } from './grants/types.js';

/** Grants a user gave by authorizing the app (their revocation is a deauthorization). */
const USER_AUTHORIZED_GRANTS = ['authorization_code', 'refresh_token'];

/**
 * Query string and form body, merged: Zoom accepts the parameters in either (D-OAUTH). A JSON body is
 * not read for parameters (RFC 6749 §3.2 and §4: `application/x-www-form-urlencoded`), so
 * `{"grant_type":...}` sent as JSON is a request without them.
 */
export function tokenParams(query: unknown, body: unknown, contentType?: string | string[]): TokenParams {
  const params: TokenParams = {};
  const type = (Array.isArray(contentType) ? contentType[0] : contentType) ?? '';
  const form = type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
  for (const source of form ? [query, body] : [query]) {
    if (!isObject(source)) continue;
    for (const [key, value] of Object.entries(source)) {
      if (typeof value === 'string') params[key] = value;
      else if (Array.isArray(value) && typeof value[0] === 'string') params[key] = value[0];
    }
  }
  return params;
}

export function oauthRoutes(ctx: Ctx) {
  return async (app: FastifyInstance) => {
    app.post('/oauth/token', async (request, reply) => {
      const params = tokenParams(request.query, request.body, request.headers['content-type']);
      const appRecord = await authenticateClient(
        ctx,
        readClientCredentials(request.headers.authorization, params),
      );
      const grant = params.grant_type ? grants.get(params.grant_type) : undefined;
      if (!grant) {
        throw oauthErrors.unsupportedGrant(
          params.grant_type
            ? `grant_type ${params.grant_type.slice(0, 64)} is not supported`
            : 'grant_type is missing',
        );
      }
      if (!grant.appTypes.includes(appRecord.type)) {
        throw oauthErrors.unsupportedGrant(`a ${appRecord.type} app cannot use ${grant.grantType}`);
      }
      if (!appRecord.enabled) throw oauthErrors.appDisabled();
      const response = await grant.handle(ctx, appRecord, params);
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return response;
    });

    /**
     * Revocation (RFC 7009): kills the access and refresh tokens of the token's grant. Unknown or
     * foreign tokens also answer success, so the endpoint does not reveal which tokens exist.
     */
    app.post('/oauth/revoke', async (request, reply) => {
      const params = tokenParams(request.query, request.body, request.headers['content-type']);
      const appRecord = await authenticateClient(
        ctx,
        readClientCredentials(request.headers.authorization, params),
      );
      const token = params.token;
      if (!token) throw oauthErrors.invalidRequest('token is required');
      for (const kind of ['access', 'refresh'] as const) {
        const verified = await ctx.tokens.verify(token, kind);
        const record = verified.ok
          ? verified.record
          : 'record' in verified.problem
            ? verified.problem.record
            : undefined;
        if (record && record.clientId === appRecord.clientId) {
          await ctx.store.transaction(async (store) => {
            const now = ctx.clock.now();
            const revoked = await store.tokens.revokeGrant(
              record.grantId,
              now,
              `revoked by ${appRecord.clientId} through /oauth/revoke`,
            );
            // A user's authorization ended: Zoom tells the app (contract §2). Only when this call ended
            // it, so revoking an already revoked token sends nothing twice.
            if (revoked > 0 && record.userId && USER_AUTHORIZED_GRANTS.includes(record.grantType)) {
              await recordEvent(store, ctx.clock, {
                accountId: record.accountId,
                event: 'app_deauthorized',
                payload: {
                  user_id: record.userId,
                  signature: randomBytes(32).toString('hex'),
                  deauthorization_time: new Date(now).toISOString(),
                  client_id: appRecord.clientId,
                },
              });
            }
          });
          break;
        }
      }
      reply.header('cache-control', 'no-store');
      return { status: 'success' };
    });
  };
}
