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

  /** Whether the key has a live count here. */
  holds(key: string): boolean {
    return this.peek(key) > 0;
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

/** Where the counters say that Redis went away or came back. */
export interface CounterLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** How long a Redis command may take before the count falls back to memory (real ms). */
const REDIS_COMMAND_TIMEOUT_MS = 1000;

/** ioredis, loaded only when REDIS_URL is set. */
const ioredis = lazyModule<typeof import('ioredis')>('ioredis');

/**
 * Redis: INCR plus an expiry in one round trip per request. Redis expires keys in real time; a
 * key lives its window's remaining emulated time plus a margin (at least a minute), so a frozen
 * clock keeps its per-second window for a minute of real time, and moving the clock forward
 * simply starts new keys.
 *
 * When Redis goes away the counts fall back to this process's memory, at once while the connection
 * is down and after at most a second for a command that gets no answer, so limits still hold per
 * process and no request waits for Redis or fails because of it. When Redis is back (ioredis
 * reconnects by itself), counting returns to it: counts made in memory meanwhile are not carried over.
 */

export class RedisWindowCounters implements WindowCounters {
  readonly redis: Redis;
  private readonly memory: MemoryWindowCounters;
  /** Why Redis is away, while it is (for the log: said once when it goes, once when it comes back). */
  private away: string | null = null;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly log: CounterLog,
  ) {
    this.memory = new MemoryWindowCounters(clock);
    this.redis = new (ioredis().Redis)(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      enableAutoPipelining: true,
    });
    // Without a listener ioredis prints every reconnection failure to the console.
    this.redis.on('error', (error: Error) => this.wentAway(error));
    this.redis.on('ready', () => {
      if (this.away === null) return;
      this.away = null;
      this.log.info({}, 'Redis is back: rate-limit and daily-cap counters are shared again');
    });
  }

  /** Resolves once Redis is connected, or after `timeoutMs` (then counting starts in memory). */
  async ready(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    const connected = await Promise.race([
      new Promise<boolean>((resolve) => this.redis.once('ready', () => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!connected) this.wentAway(new Error(`no connection within ${timeoutMs} ms`));
  }

  /** Whether Redis is answering right now. */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  private wentAway(error: unknown): void {
    if (this.away !== null) return;
    this.away = error instanceof Error ? error.message : String(error);
    this.log.warn(
      { err: error },
      'Redis is unavailable: rate-limit and daily-cap counters fall back to this process until it returns',
    );
  }

  private ttl(expiresAt: number): number {
    return Math.max(expiresAt - this.clock.now(), 0) + 60_000;
  }

  hit(windows: readonly WindowHit[]): number[] | Promise<number[]> {
    if (!this.connected) return this.memory.hit(windows);
    return this.redisHit(windows).catch((error: unknown) => {
      this.wentAway(error);
      return this.memory.hit(windows);
    });
  }

  private async redisHit(windows: readonly WindowHit[]): Promise<number[]> {
    const multi = this.redis.multi();
    for (const w of windows) {
      const key = this.prefix + w.key;
      multi.incr(key).pexpire(key, this.ttl(w.expiresAt));
    }
    const results = await multi.exec();
    if (!results) throw new Error('the Redis transaction was discarded');
    const out: number[] = [];
    for (let i = 0; i < windows.length; i++) {
      const [error, value] = results[i * 2] ?? [new Error('no reply'), 0];
      if (error) throw error;
      out.push(Number(value));
    }
    return out;
  }

  /** Takes the counts back where they were made: in memory for keys counted there during an outage. */
  async undo(keys: readonly string[]): Promise<void> {
    const inRedis = keys.filter((key) => !this.memory.holds(key));
    this.memory.undo(keys.filter((key) => this.memory.holds(key)));
    if (inRedis.length === 0 || !this.connected) return;
    const multi = this.redis.multi();
    for (const key of inRedis) multi.decr(this.prefix + key);
    await multi.exec().catch((error: unknown) => this.wentAway(error));
  }

  async peek(key: string): Promise<number> {
    if (this.connected) {
      try {
        return Number((await this.redis.get(this.prefix + key)) ?? 0);
      } catch (error) {
        this.wentAway(error);
      }
    }
    return this.memory.peek(key);
  }

  async increment(key: string, expiresAtMs: number): Promise<number> {
    const [n] = await this.hit([{ key, expiresAt: expiresAtMs }]);
    return n as number;
  }

  async decrement(key: string): Promise<void> {
    await this.undo([key]);
  }

  /** Deletes this Zemu's keys (those under its prefix), a batch per SCAN step, and the memory's. */
  async clear(): Promise<void> {
    await this.memory.clear();
    if (!this.connected) return;
    try {
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
    } catch (error) {
      // Redis went away in the middle: its keys expire on their own; the memory starts anew.
      this.wentAway(error);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function createWindowCounters(
  clock: Clock,
  redisUrl: string | undefined,
  prefix: string,
  log: CounterLog,
): WindowCounters {
  return redisUrl ? new RedisWindowCounters(redisUrl, prefix, clock, log) : new MemoryWindowCounters(clock);
}
