/**
 * Approving (or denying) an authorization request: every check the consent page makes, in one place,
 * so the headless control API (`POST /_zemu/oauth/approve`) and the page answer alike.
 *
 * Errors before the redirect URI is known to be registered are never redirected (no open redirect);
 * later errors go back to the app as `?error=…&state=…`, as RFC 6749 §4.1.2.1 says.
 */
import type { Ctx } from '../context.js';
import { ZoomRefusal } from '../errors/zoom.js';
import type { App, PkceMethod, User } from '../store/models.js';
import { createCode } from './codes.js';
import { isPkceMethod, isValidChallenge } from './pkce.js';

export interface AuthorizationRequest {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

/** Not redirectable: unknown client or unregistered redirect URI (D-OERR 4702 / 4709). */
export class AuthorizationPageError extends ZoomRefusal {}

export interface ValidatedRequest {
  app: App;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  challenge: { value: string; method: PkceMethod } | null;
  /** Set when the request itself is bad but may be answered at the redirect URI. */
  error?: { error: string; description: string };
}

export async function validateAuthorization(ctx: Ctx, req: AuthorizationRequest): Promise<ValidatedRequest> {
  const app = req.client_id
    ? await ctx.store.apps.findByClientId(String(req.client_id).slice(0, 128))
    : undefined;
  if (!app)
    throw new AuthorizationPageError(
      400,
      4702,
      'Invalid client.',
      undefined,
      `unknown client_id ${req.client_id ?? ''}`,
    );
  const redirectUri = req.redirect_uri ?? '';
  // Exact string match with a registered URI, trailing slash included: no prefix or pattern matching.
  if (!app.redirectUris.includes(redirectUri)) {
    throw new AuthorizationPageError(
      400,
      4709,
      'Redirect URI mismatch.',
      undefined,
      `redirect_uri ${redirectUri} is not registered`,
    );
  }
  const base = { app, redirectUri, state: req.state, challenge: null, scopes: [] as string[] };
  const fail = (error: string, description: string): ValidatedRequest => ({
    ...base,
    error: { error, description },
  });
  if ((req.response_type ?? 'code') !== 'code')
    return fail('unsupported_response_type', 'response_type must be code');
  if (app.type !== 'oauth_user' && app.type !== 'oauth_account') {
    return fail('unauthorized_client', `a ${app.type} app cannot use the authorization code flow`);
  }
  if (!app.enabled) return fail('unauthorized_client', 'The app has been disabled');
  let challenge: ValidatedRequest['challenge'] = null;
  if (req.code_challenge !== undefined && req.code_challenge !== '') {
    const method = req.code_challenge_method ?? 'plain';
    if (!isPkceMethod(method)) return fail('invalid_request', 'code_challenge_method must be plain or S256');
    if (!isValidChallenge(req.code_challenge))
      return fail('invalid_request', 'code_challenge is not 43 to 128 characters');
    challenge = { value: req.code_challenge, method };
  } else if (req.code_challenge_method) {
    return fail('invalid_request', 'code_challenge_method without code_challenge');
  }
  const requested = req.scope ? req.scope.split(/[\s+]+/).filter(Boolean) : app.scopes;
  const unknown = requested.filter((s) => !app.scopes.includes(s));
  if (unknown.length > 0)
    return fail('invalid_scope', `the app does not have the scopes ${unknown.join(' ')}`);
  return { ...base, challenge, scopes: requested };
}

export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** Who may authorize: any active user for user-managed apps, a user of the app's account for admin-managed. */
export function mayAuthorize(app: App, user: User): string | null {
  if (user.status !== 'active') return `user ${user.id} is ${user.status}`;
  if (app.type === 'oauth_account' && user.accountId !== app.accountId) {
    return 'an admin-managed app is authorized by users of its own account';
  }
  return null;
}

/** The URL the browser is sent to after the user's decision. */
export async function decide(
  ctx: Ctx,
  request: ValidatedRequest,
  user: User | undefined,
  approve: boolean,
): Promise<string> {
  // RFC 6749 §4.1.2.1 names the parameter error_description.
  if (request.error)
    return redirectWith(request.redirectUri, {
      error: request.error.error,
      error_description: request.error.description,
      state: request.state,
    });
  if (!approve) return redirectWith(request.redirectUri, { error: 'access_denied', state: request.state });
  if (!user) throw new Error('an approval needs a signed-in user');
  const refusal = mayAuthorize(request.app, user);
  if (refusal)
    return redirectWith(request.redirectUri, {
      error: 'access_denied',
      error_description: refusal,
      state: request.state,
    });
  const code = await createCode(ctx.store, ctx.clock.now(), {
    clientId: request.app.clientId,
    userId: user.id,
    accountId: user.accountId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    codeChallenge: request.challenge?.value ?? null,
    codeChallengeMethod: request.challenge?.method ?? null,
  });
  return redirectWith(request.redirectUri, { code, state: request.state });
}
