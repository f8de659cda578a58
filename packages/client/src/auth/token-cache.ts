/**
 * Single flight + refresh ahead of expiry + optional cross-process lock, for grants that simply ask
 * for a new token (Server-to-Server, client credentials). Many concurrent callers, in one process or
 * (with a locking store) in many, cause one token request.
 */
import { sleep as defaultSleep } from '../retry.js';
import type { TokenStore } from './store.js';
import type { GetTokenOptions, TokenSet } from './types.js';

export interface TokenCacheOptions {
  store: TokenStore;
  key: string;
  now: () => number;
  fetchToken: (signal?: AbortSignal) => Promise<TokenSet>;
  /** How long a cross-process lock is held at most (a crashed holder frees it then). */
  lockTtlMs?: number;
  /** How often a process waiting on another's lock looks for the token. */
  lockPollMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class TokenCache {
  readonly #o: Required<Omit<TokenCacheOptions, 'sleep'>> & { sleep: TokenCacheOptions['sleep'] & {} };
  #inflight: Promise<TokenSet> | undefined;
  /** Last token seen, so a warm call does not wait on the store when it is still fresh. */
  #last: TokenSet | undefined;

  constructor(options: TokenCacheOptions) {
    this.#o = { lockTtlMs: 10_000, lockPollMs: 25, sleep: defaultSleep, ...options };
  }

  #fresh(token: TokenSet | undefined, rejected?: string): token is TokenSet {
    return token !== undefined && token.accessToken !== rejected && token.refreshAt > this.#o.now();
  }

  async get(options: GetTokenOptions = {}, rejected?: string): Promise<TokenSet> {
    if (this.#fresh(this.#last, rejected)) return this.#last;
    if (this.#inflight) return this.#inflight;
    const stored = await this.#o.store.get(this.#o.key);
    if (this.#fresh(stored, rejected)) {
      this.#last = stored;
      return stored;
    }
    if (this.#inflight) return this.#inflight;
    this.#inflight = this.#refresh(options.signal, rejected).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #refresh(signal: AbortSignal | undefined, rejected: string | undefined): Promise<TokenSet> {
    const { store, key } = this.#o;
    if (!store.lock) return this.#fetchAndStore(signal);
    for (;;) {
      const release = await store.lock(key, this.#o.lockTtlMs);
      if (release) {
        try {
          // Another process may have stored a token while we waited for the lock.
          const stored = await store.get(key);
          if (this.#fresh(stored, rejected)) return this.#remember(stored);
          return await this.#fetchAndStore(signal);
        } finally {
          await release();
        }
      }
      await this.#o.sleep(this.#o.lockPollMs, signal);
      const stored = await store.get(key);
      if (this.#fresh(stored, rejected)) return this.#remember(stored);
    }
  }

  #remember(token: TokenSet): TokenSet {
    this.#last = token;
    return token;
  }

  async #fetchAndStore(signal: AbortSignal | undefined): Promise<TokenSet> {
    const token = await this.#o.fetchToken(signal);
    await this.#o.store.set(this.#o.key, token, token.expiresAt - this.#o.now());
    this.#last = token;
    return token;
  }
}
