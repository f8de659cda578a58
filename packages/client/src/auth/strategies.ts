/** Server-to-Server, client credentials and static tokens: the strategies without user consent. */
import { createHash } from 'node:crypto';
import type { TokenStore } from './store.js';
import { TokenCache } from './token-cache.js';
import { requestToken, type TokenEndpointContext } from './token-endpoint.js';
import type { AuthStrategy, GetTokenOptions, TokenSet } from './types.js';

export interface StrategyContext extends TokenEndpointContext {
  store: TokenStore;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ServerToServerAuthConfig {
  type: 'server_to_server';
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export interface ClientCredentialsAuthConfig {
  type: 'client_credentials';
  clientId: string;
  clientSecret: string;
}

export interface StaticAuthConfig {
  type: 'static';
  /** An access token obtained elsewhere; the client cannot renew it. */
  token: string;
}

/** The store key names the OAuth host, app and account, never the secret itself. */
export function storeKey(kind: string, ctx: TokenEndpointContext, ...parts: string[]): string {
  const digest = createHash('sha256')
    .update([ctx.oauthUrl, ...parts].join('\n'))
    .digest('base64url');
  return `${kind}:${digest.slice(0, 32)}`;
}

abstract class CachedGrant implements AuthStrategy {
  abstract readonly type: string;
  protected abstract readonly cache: TokenCache;
  getToken(options?: GetTokenOptions): Promise<TokenSet> {
    return this.cache.get(options);
  }
  renewToken(rejected: string, options?: GetTokenOptions): Promise<TokenSet | undefined> {
    return this.cache.get(options, rejected);
  }
}

export class ServerToServerAuth extends CachedGrant {
  readonly type = 'server_to_server';
  protected readonly cache: TokenCache;
  constructor(config: ServerToServerAuthConfig, ctx: StrategyContext) {
    super();
    for (const field of ['accountId', 'clientId', 'clientSecret'] as const) {
      if (!config[field]) throw new TypeError(`server_to_server auth needs ${field}`);
    }
    this.cache = new TokenCache({
      store: ctx.store,
      key: storeKey('s2s', ctx, config.clientId, config.accountId),
      now: ctx.now,
      ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
      fetchToken: (signal) =>
        requestToken(
          ctx,
          config,
          { grant_type: 'account_credentials', account_id: config.accountId },
          signal,
        ),
    });
  }
}

export class ClientCredentialsAuth extends CachedGrant {
  readonly type = 'client_credentials';
  protected readonly cache: TokenCache;
  constructor(config: ClientCredentialsAuthConfig, ctx: StrategyContext) {
    super();
    this.cache = new TokenCache({
      store: ctx.store,
      key: storeKey('cc', ctx, config.clientId),
      now: ctx.now,
      ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
      fetchToken: (signal) => requestToken(ctx, config, { grant_type: 'client_credentials' }, signal),
    });
  }
}

export class StaticTokenAuth implements AuthStrategy {
  readonly type = 'static';
  readonly #token: TokenSet;
  constructor(config: StaticAuthConfig) {
    if (!config.token) throw new TypeError('static auth needs token');
    this.#token = {
      accessToken: config.token,
      tokenType: 'bearer',
      expiresAt: Number.POSITIVE_INFINITY,
      refreshAt: Number.POSITIVE_INFINITY,
      scope: [],
    };
  }
  async getToken(): Promise<TokenSet> {
    return this.#token;
  }
  async renewToken(): Promise<TokenSet | undefined> {
    return undefined;
  }
}
