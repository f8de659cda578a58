/**
 * Window counters for the rate limiter and the daily quotas. In memory (one process), or in Redis
 * when `REDIS_URL` is set so that several Zemu processes count together. Keys carry the window's
 * index on the emulated clock (second, minute or UTC day), so moving the clock opens new windows.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import { lazyModule } from '../lazy.js';
import type { CounterStore } from './quotas.js';

export interface WindowHit {
  key: string;
  /** Emulated epoch ms at which the window closes. */
  expiresAt: number;
}

export interface WindowCounters extends CounterStore {
  /** Adds 1 to every key and returns the new counts, synchronously when the store can. */
  hit(windows: readonly WindowHit[]): number[] | Promise<number[]>;
  /** Takes back one count from each key (the request they were counted for was refused). */
  undo(keys: readonly string[]): void | Promise<void>;
  /** Current count of a key (0 when absent). */
  peek(key: string): number | Promise<number>;
  /** Forgets every count: every window starts anew (a reset or a restore). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryWindowCounters implements WindowCounters {
  private readonly counts = new Map<string, { n: number; expiresAt: number }>();
  private inserts = 0;

  constructor(private readonly clock: Clock) {}

  hit(windows: readonly WindowHit[]): number[] {
    const now = this.clock.now();
    const out: number[] = [];
    for (const w of windows) out.push(this.add(w.key, w.expiresAt, now));
    return out;
  }

  private add(key: string, expiresAt: number, now: number): number {
    const current = this.counts.get(key);
    if (current && current.expiresAt > now) return ++current.n;
    if (++this.inserts % 1024 === 0) this.sweep(now);
    this.counts.set(key, { n: 1, expiresAt });
    return 1;
  }

  undo(keys: readonly string[]): void {
    for (const key of keys) {
      const current = this.counts.get(key);
      if (current && current.n > 0) current.n--;
    }
  }

  peek(key: string): number {
    const current = this.counts.get(key);
    return current && current.expiresAt > this.clock.now() ? current.n : 0;
  }

  async increment(key: string, expiresAtMs: number): Promise<number> {
    return this.add(key, expiresAtMs, this.clock.now());
  }

  async decrement(key: string): Promise<void> {
    this.undo([key]);
  }

  private sweep(now: number): void {
    for (const [key, value] of this.counts) if (value.expiresAt <= now) this.counts.delete(key);
  }

  async clear(): Promise<void> {
    this.counts.clear();
  }

  async close(): Promise<void> {}
}

/**
 * Redis: INCR plus an expiry in one round trip per request. Redis expires keys in real time; a
 * key lives its window's remaining emulated time plus a margin (at least a minute), so a frozen
 * clock keeps its per-second window for a minute of real time, and moving the clock forward
 * simply starts new keys.
 */
/** ioredis, loaded only when REDIS_URL is set. */
const ioredis = lazyModule<typeof import('ioredis')>('ioredis');

export class RedisWindowCounters implements WindowCounters {
  readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly clock: Clock,
  ) {
    this.redis = new (ioredis().Redis)(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableAutoPipelining: true,
    });
  }

  private ttl(expiresAt: number): number {
    return Math.max(expiresAt - this.clock.now(), 0) + 60_000;
  }

  async hit(windows: readonly WindowHit[]): Promise<number[]> {
    const multi = this.redis.multi();
    for (const w of windows) {
      const key = this.prefix + w.key;
      multi.incr(key).pexpire(key, this.ttl(w.expiresAt));
    }
    const results = (await multi.exec()) ?? [];
    const out: number[] = [];
    for (let i = 0; i < windows.length; i++) {
      const [error, value] = results[i * 2] ?? [new Error('no reply'), 0];
      if (error) throw error;
      out.push(Number(value));
    }
    return out;
  }

  async undo(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const multi = this.redis.multi();
    for (const key of keys) multi.decr(this.prefix + key);
    await multi.exec();
  }

  async peek(key: string): Promise<number> {
    return Number((await this.redis.get(this.prefix + key)) ?? 0);
  }

  async increment(key: string, expiresAtMs: number): Promise<number> {
    const [n] = await this.hit([{ key, expiresAt: expiresAtMs }]);
    return n as number;
  }

  async decrement(key: string): Promise<void> {
    await this.undo([key]);
  }

  /** Deletes this Zemu's keys (those under its prefix), a batch per SCAN step. */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function createWindowCounters(
  clock: Clock,
  redisUrl: string | undefined,
  prefix: string,
): WindowCounters {
  return redisUrl ? new RedisWindowCounters(redisUrl, prefix, clock) : new MemoryWindowCounters(clock);
}
