/**
 * A cache whose entries are exact: each is kept with the write epoch (store/db.ts `PrincipalEpoch`) at
 * which it was read and is answered only while the epoch has not moved, so any write that may change
 * a token, app, user or account row invalidates every entry in the same step. Used by the principal
 * cache (token id -> its context) and the token endpoint's client lookup (client id -> its app).
 * Entries are frozen, so no caller can change what the next one gets; the oldest goes first.
 */
import type { PrincipalEpoch } from './db.js';

/** Freezes a value and what it holds. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export class EpochCache<V> {
  private readonly entries = new Map<string, { epoch: number; value: V }>();

  constructor(
    readonly epoch: PrincipalEpoch,
    private readonly kept: number,
  ) {}

  get(key: string, epoch: number): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.epoch === epoch ? entry.value : undefined;
  }

  /** `epoch`: the epoch read before the lookup began (a write during it leaves the entry stale). */
  put(key: string, epoch: number, value: V): void {
    if (this.entries.size >= this.kept && !this.entries.has(key)) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { epoch, value: deepFreeze(value) });
  }

  clear(): void {
    this.entries.clear();
  }
}
