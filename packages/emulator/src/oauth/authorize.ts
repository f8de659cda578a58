/**
 * GET /oauth/authorize shows the consent page; POST /oauth/authorize (its form) signs the user in and
 * applies their decision. The form is CSRF-protected: a random nonce in an HttpOnly SameSite cookie and
 * its HMAC in a hidden field must match. Invalid clients or redirect URIs get an error page, never a
 * redirect.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../context.js';
import { constantTimeEqual, verifyPassword } from '../crypto.js';
import { sendPage } from '../pages/layout.js';
import {
  AuthorizationPageError,
  type AuthorizationRequest,
  decide,
  validateAuthorization,
} from './approval.js';
import { consentPage, errorPage } from './consent-page.js';

const PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
] as const;
const COOKIE = 'zemu_csrf';

function pick(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof source !== 'object' || source === null) return out;
  for (const key of PARAMS) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = value.slice(0, 2048);
  }
  return out;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function authorizeRoutes(ctx: Ctx) {
  const csrfFor = (nonce: string) =>
    createHmac('sha256', ctx.keys.pageToken).update(`csrf:${nonce}`).digest('base64url');

  // No form-action: the approval's redirect to the app's redirect URI is a form's navigation too.
  const html = (reply: FastifyReply, status: number, body: string) =>
    sendPage(reply, status, body, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");

  /** The request checked; undefined once the error page is sent (an unknown client or redirect URI). */
  const validate = async (reply: FastifyReply, params: Record<string, string>) => {
    try {
      return await validateAuthorization(ctx, params as AuthorizationRequest);
    } catch (e) {
      if (!(e instanceof AuthorizationPageError)) throw e;
      await html(reply, 400, errorPage(e.message, e.reason ?? e.message));
      return undefined;
    }
  };

  const showConsent = async (
    reply: FastifyReply,
    params: Record<string, string>,
    error?: string,
    email?: string,
  ) => {
    const validated = await validate(reply, params);
    if (!validated) return reply;
    if (validated.error) {
      // The request is bad but the redirect URI is registered: tell the app, as Zoom would.
      return reply.redirect(await decide(ctx, validated, undefined, false), 302);
    }
    const nonce = randomBytes(18).toString('base64url');
    reply.header(
      'set-cookie',
      `${COOKIE}=${nonce}; Path=/oauth/authorize; HttpOnly; SameSite=Strict; Max-Age=600`,
    );
    return html(
      reply,
      error ? 401 : 200,
      consentPage({
        appName: validated.app.name,
        scopes: validated.scopes,
        params,
        csrf: csrfFor(nonce),
        error,
        email,
      }),
    );
  };

  return async (app: FastifyInstance) => {
    app.get('/oauth/authorize', async (request, reply) => showConsent(reply, pick(request.query)));

    app.post('/oauth/authorize', async (request, reply) => {
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
        string,
        unknown
      >;
      const params = pick(body);
      const nonce = cookieValue(request.headers.cookie, COOKIE);
      const token = typeof body.csrf_token === 'string' ? body.csrf_token : '';
      if (!nonce || !constantTimeEqual(token, csrfFor(nonce))) {
        return html(
          reply,
          403,
          errorPage(
            'Request refused',
            'The form expired or did not come from this page (CSRF check failed). Start again from the app.',
          ),
        );
      }
      const validated = await validate(reply, params);
      if (!validated) return reply;
      const approve = body.decision === 'approve';
      if (!approve) return reply.redirect(await decide(ctx, validated, undefined, false), 302);
      const email = typeof body.email === 'string' ? body.email.slice(0, 256) : '';
      const password = typeof body.password === 'string' ? body.password.slice(0, 256) : '';
      const user = email ? await ctx.store.users.findByEmail(email) : undefined;
      if (!user || !(await verifyPassword(password, user.passwordHash))) {
        return showConsent(reply, params, 'Incorrect email or password.', email);
      }
      return reply.redirect(await decide(ctx, validated, user, true), 302);
    });
  };
}
