/**
 * A TokenStore over Redis, for several processes that share one Zoom app. It takes any client with
 * ioredis' method shapes (get, set with PX/NX, del, and eval when available), so this package keeps
 * zero dependencies: pass `new Redis(url)` from ioredis.
 */
import { randomUUID } from 'node:crypto';
import type { TokenStore } from './store.js';
import type { TokenSet } from './types.js';

/** The few ioredis methods the store uses. */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval?(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface RedisTokenStoreOptions {
  /** Prefix of every key, so that apps and environments do not collide. Default `zemu-client:`. */
  prefix?: string;
}

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export class RedisTokenStore implements TokenStore {
  readonly #redis: RedisLike;
  readonly #prefix: string;

  constructor(redis: RedisLike, options: RedisTokenStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'zemu-client:';
  }

  async get(key: string): Promise<TokenSet | undefined> {
    const raw = await this.#redis.get(this.#prefix + key);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as TokenSet;
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: TokenSet, ttlMs?: number): Promise<void> {
    const value = JSON.stringify(token);
    if (ttlMs !== undefined && ttlMs > 0)
      await this.#redis.set(this.#prefix + key, value, 'PX', Math.ceil(ttlMs));
    else await this.#redis.set(this.#prefix + key, value);
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }

  async lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const lockKey = `${this.#prefix}${key}:lock`;
    const owner = randomUUID();
    const got = await this.#redis.set(lockKey, owner, 'PX', Math.ceil(ttlMs), 'NX');
    if (got !== 'OK') return undefined;
    return async () => {
      // Delete only our own lock: if it expired and another process took it, leave theirs alone.
      if (this.#redis.eval) await this.#redis.eval(RELEASE, 1, lockKey, owner);
      else if ((await this.#redis.get(lockKey)) === owner) await this.#redis.del(lockKey);
    };
  }
}
