/**
 * User OAuth (authorization code + PKCE S256 + state, then rotating refresh tokens).
 *
 * Zoom rotates refresh tokens: each refresh invalidates the one it used. Two refreshes racing with
 * the same refresh token leave one of them holding a dead token, and a crash between receiving the
 * new pair and saving it loses the grant. So refreshes are serialised (in process, and across
 * processes when the store can lock), each re-reads the stored pair first, and the new pair is
 * written to the store before its access token is handed to anyone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { oauthErrorFrom, ZoomInvalidGrantError } from '../errors.js';
import { sleep as defaultSleep } from '../retry.js';
import { type StrategyContext, storeKey } from './strategies.js';
import { requestToken } from './token-endpoint.js';
import type { AuthStrategy, GetTokenOptions, TokenSet } from './types.js';

export interface UserOAuthConfig {
  type: 'user';
  clientId: string;
  clientSecret: string;
  /** Default redirect URI for authorizationUrl and exchangeCode. */
  redirectUri?: string;
  /** A refresh token saved earlier, to start from without a new consent. */
  refreshToken?: string;
  /** Names the user's slot in the token store when one store holds several users. */
  userKey?: string;
  /** Called after every new token pair is stored, e.g. to persist the refresh token elsewhere. */
  onTokens?: (tokens: TokenSet) => void | Promise<void>;
}

export interface AuthorizationRequest {
  /** Send the user's browser here. */
  url: string;
  /** Keep it (e.g. in the session) and compare it with the `state` that comes back. */
  state: string;
  /** Keep it secret and pass it to exchangeCode. */
  codeVerifier: string;
}

export function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** RFC 7636: verifier of 43 chars from 32 random bytes; challenge = base64url(sha256(verifier)). */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = base64url(randomBytes(32));
  const codeChallenge = base64url(createHash('sha256').update(codeVerifier).digest());
  return { codeVerifier, codeChallenge };
}

export class UserOAuth implements AuthStrategy {
  readonly type = 'user';
  readonly #config: UserOAuthConfig;
  readonly #ctx: StrategyContext;
  readonly #key: string;
  /** The refresh in progress in this process: the serialisation point. */
  #refreshing: Promise<TokenSet> | undefined;

  constructor(config: UserOAuthConfig, ctx: StrategyContext) {
    if (!config.clientId || !config.clientSecret)
      throw new TypeError('user auth needs clientId and clientSecret');
    this.#config = config;
    this.#ctx = ctx;
    this.#key = storeKey('user', ctx, config.clientId, config.userKey ?? 'default');
  }

  authorizationUrl(
    options: { redirectUri?: string; state?: string; scope?: string | string[] } = {},
  ): AuthorizationRequest {
    const redirectUri = options.redirectUri ?? this.#config.redirectUri;
    if (!redirectUri) throw new TypeError('authorizationUrl needs a redirectUri (option or config)');
    const state = options.state ?? base64url(randomBytes(16));
    const { codeVerifier, codeChallenge } = createPkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.#config.clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
    if (options.scope) {
      query.set('scope', Array.isArray(options.scope) ? options.scope.join(' ') : options.scope);
    }
    return { url: `${this.#ctx.oauthUrl}/oauth/authorize?${query}`, state, codeVerifier };
  }

  /**
   * Trades the `code` from the redirect for tokens and stores them. Pass `state` and
   * `expectedState` to have the state compared here.
   */
  async exchangeCode(options: {
    code: string;
    codeVerifier: string;
    redirectUri?: string;
    state?: string;
    expectedState?: string;
    signal?: AbortSignal;
  }): Promise<TokenSet> {
    if (options.expectedState !== undefined && options.state !== options.expectedState) {
      throw new ZoomInvalidGrantError({
        status: 0,
        message: 'state mismatch: the redirect does not belong to this authorization request',
        error: 'invalid_state',
        reason: 'state mismatch',
      });
    }
    const redirectUri = options.redirectUri ?? this.#config.redirectUri;
    if (!redirectUri) throw new TypeError('exchangeCode needs the redirectUri used for authorization');
    const tokens = await requestToken(
      this.#ctx,
      this.#config,
      {
        grant_type: 'authorization_code',
        code: options.code,
        redirect_uri: redirectUri,
        code_verifier: options.codeVerifier,
      },
      options.signal,
    );
    await this.#save(tokens);
    return tokens;
  }

  /**
   * Handles the redirect back from `/oauth/authorize`: the callback URL (or its query) is checked
   * against the state of the request (a mismatch is refused before anything is sent), an `error` the
   * authorization server put there is thrown as its class (`access_denied` is `ZoomAccessDeniedError`,
   * `invalid_scope` `ZoomInvalidScopeError`, ...), and a `code` is exchanged for tokens.
   */
  async handleRedirect(
    callback: string | URL | URLSearchParams,
    request: { state: string; codeVerifier: string; redirectUri?: string; signal?: AbortSignal },
  ): Promise<TokenSet> {
    const query =
      callback instanceof URLSearchParams
        ? callback
        : new URL(callback.toString(), 'http://callback.invalid').searchParams;
    if (query.get('state') !== request.state) {
      throw new ZoomInvalidGrantError({
        status: 0,
        message: 'state mismatch: the redirect does not belong to this authorization request',
        error: 'invalid_state',
        reason: 'state mismatch',
      });
    }
    const error = query.get('error');
    if (error) {
      throw oauthErrorFrom({
        status: 0,
        headers: new Headers(),
        body: { error, reason: query.get('error_description') ?? query.get('reason') ?? error },
      });
    }
    const code = query.get('code');
    if (!code) {
      throw new ZoomInvalidGrantError({
        status: 0,
        message: 'the redirect carries neither a code nor an error',
        error: 'invalid_request',
        reason: 'no code in the redirect',
      });
    }
    return this.exchangeCode({
      code,
      codeVerifier: request.codeVerifier,
      ...(request.redirectUri ? { redirectUri: request.redirectUri } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }

  async getToken(options: GetTokenOptions = {}): Promise<TokenSet> {
    const stored = await this.#stored();
    if (stored && stored.refreshAt > this.#ctx.now()) return stored;
    return this.#refresh(options.signal, undefined);
  }

  async renewToken(rejected: string, options: GetTokenOptions = {}): Promise<TokenSet | undefined> {
    return this.#refresh(options.signal, rejected);
  }

  /** Forces a refresh now (serialised like any other). */
  refresh(options: GetTokenOptions = {}): Promise<TokenSet> {
    return this.#refresh(options.signal, undefined, true);
  }

  async #stored(): Promise<TokenSet | undefined> {
    const stored = await this.#ctx.store.get(this.#key);
    if (stored) return stored;
    if (this.#config.refreshToken) {
      // Seeded from config: no access token yet, only the refresh token.
      return {
        accessToken: '',
        tokenType: 'bearer',
        expiresAt: 0,
        refreshAt: 0,
        scope: [],
        refreshToken: this.#config.refreshToken,
      };
    }
    return undefined;
  }

  #refresh(signal: AbortSignal | undefined, rejected: string | undefined, force = false): Promise<TokenSet> {
    // Chain on the refresh in flight: serialised, and its result is usually all the waiter needs.
    const previous = this.#refreshing ?? Promise.resolve(undefined);
    const next = previous
      .catch(() => undefined)
      .then(async (justRefreshed) => {
        if (justRefreshed && justRefreshed.accessToken !== rejected && !force) return justRefreshed;
        return this.#refreshLocked(signal, rejected, force);
      });
    this.#refreshing = next;
    void next
      .finally(() => {
        if (this.#refreshing === next) this.#refreshing = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  async #refreshLocked(signal: AbortSignal | undefined, rejected: string | undefined, force: boolean) {
    const store = this.#ctx.store;
    const sleep = this.#ctx.sleep ?? defaultSleep;
    for (;;) {
      const release = store.lock ? await store.lock(this.#key, 15_000) : async () => undefined;
      if (!release) {
        await sleep(25, signal);
        continue;
      }
      try {
        // Re-read under the lock: another process may have rotated the pair already.
        const current = await this.#stored();
        if (!current?.refreshToken) {
          throw new ZoomInvalidGrantError({
            status: 0,
            message: 'no refresh token: send the user through authorizationUrl() and exchangeCode() first',
            error: 'invalid_grant',
            reason: 'no refresh token',
          });
        }
        if (
          !force &&
          current.accessToken &&
          current.accessToken !== rejected &&
          current.refreshAt > this.#ctx.now()
        ) {
          return current;
        }
        let tokens: TokenSet;
        try {
          tokens = await requestToken(
            this.#ctx,
            this.#config,
            { grant_type: 'refresh_token', refresh_token: current.refreshToken },
            signal,
          );
        } catch (error) {
          if (error instanceof ZoomInvalidGrantError) {
            error.message = `${error.message} (the refresh token was rotated, revoked or expired: the user must authorize the app again)`;
          }
          throw error;
        }
        // Zoom always rotates; keep the old one only if a server did not send a new one.
        tokens.refreshToken ??= current.refreshToken;
        await this.#save(tokens);
        return tokens;
      } finally {
        await release();
      }
    }
  }

  async #save(tokens: TokenSet): Promise<void> {
    await this.#ctx.store.set(this.#key, tokens);
    await this.#config.onTokens?.(tokens);
  }
}
