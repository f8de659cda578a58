/**
 * Where tokens live between calls. The memory store (default) shares a token inside one process;
 * a shared store (Redis) shares it across processes and adds a lock so that N workers make one
 * token request.
 */
import type { TokenSet } from './types.js';

export interface TokenStore {
  get(key: string): Promise<TokenSet | undefined>;
  /** `ttlMs` is a hint for stores that expire keys; undefined means keep (user refresh tokens). */
  set(key: string, token: TokenSet, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional cross-process mutual exclusion. Resolves to a release function when this caller got
   * the lock, or undefined when another holder has it (the caller then waits for the token).
   */
  lock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, TokenSet>();

  async get(key: string): Promise<TokenSet | undefined> {
    return this.#tokens.get(key);
  }

  async set(key: string, token: TokenSet): Promise<void> {
    this.#tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
