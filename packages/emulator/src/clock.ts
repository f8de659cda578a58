/**
 * The only source of "now" in Zemu. Every expiry (tokens, ZAKs, codes, page tokens, daily windows,
 * webhook retries) reads this clock, so tests move time instead of sleeping.
 *
 * The clock only ever holds times Zemu can represent and that make sense: from 1970-01-01 to the end
 * of 9999 (ISO 8601's four-digit years; JavaScript dates, JWT `exp` and BIGINT columns all hold them).
 * A change that would leave that range is refused before anything moves.
 */
export interface ClockState {
  /** Milliseconds added to the real time while the clock runs. */
  offsetMs: number;
  /** When frozen, the emulated time in epoch ms; otherwise null. */
  frozenAt: number | null;
}

/** 1970-01-01T00:00:00.000Z */
export const CLOCK_MIN_MS = 0;
/** 9999-12-31T23:59:59.999Z */
export const CLOCK_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function isSensibleTime(epochMs: number): boolean {
  return Number.isFinite(epochMs) && epochMs >= CLOCK_MIN_MS && epochMs <= CLOCK_MAX_MS;
}

export class ClockRangeError extends RangeError {}

/**
 * A stored clock state, if it is one this clock could have written (numbers in range); else null,
 * so a damaged record can never leave every request failing.
 */
export function parseClockState(text: string | undefined, realNow = Date.now()): ClockState | null {
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { offsetMs, frozenAt } = value as Record<string, unknown>;
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) return null;
  if (frozenAt !== null && (typeof frozenAt !== 'number' || !isSensibleTime(frozenAt))) return null;
  if (frozenAt === null && !isSensibleTime(realNow + offsetMs)) return null;
  return { offsetMs, frozenAt };
}

export class Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;
  private readonly listeners = new Set<(state: ClockState, adopted: boolean) => void>();

  constructor(
    state?: Partial<ClockState>,
    private readonly realNow: () => number = Date.now,
  ) {
    this.offsetMs = state?.offsetMs ?? 0;
    this.frozenAt = state?.frozenAt ?? null;
  }

  /** Emulated time in epoch milliseconds. */
  now(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  /** Emulated time in whole epoch seconds (JWT `iat`/`exp`). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  date(): Date {
    return new Date(this.now());
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  state(): ClockState {
    return { offsetMs: this.offsetMs, frozenAt: this.frozenAt };
  }

  /** Where `advance(seconds)` would put the clock, in epoch ms (NaN when it is not a number). */
  afterAdvance(seconds: number, from = this.now()): number {
    return from + Math.round(seconds * 1000);
  }

  /** Throws ClockRangeError (and changes nothing) when the result would leave 1970..9999. */
  advance(seconds: number): void {
    const target = this.afterAdvance(seconds);
    if (!isSensibleTime(target)) throw new ClockRangeError(`advance of ${seconds} s leaves 1970..9999`);
    const ms = target - this.now();
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
    this.changed();
  }

  /** Throws ClockRangeError (and changes nothing) for a time outside 1970..9999. */
  set(epochMs: number): void {
    if (!isSensibleTime(epochMs)) throw new ClockRangeError(`${epochMs} is outside 1970..9999`);
    if (this.frozenAt !== null) this.frozenAt = epochMs;
    else this.offsetMs = epochMs - this.realNow();
    this.changed();
  }

  freeze(frozen: boolean): void {
    if (frozen && this.frozenAt === null) this.frozenAt = this.now();
    if (!frozen && this.frozenAt !== null) {
      this.offsetMs = this.frozenAt - this.realNow();
      this.frozenAt = null;
    }
    this.changed();
  }

  /** Takes a saved state as it is (a reset, a restore, or undoing a change whose work failed), then tells the listeners. */
  restore(state: ClockState): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
    this.changed();
  }

  /**
   * Takes a state another process saved (several processes on one PostgreSQL): like `restore`, but
   * listeners hear `adopted` (it is already saved). Nothing happens when the state is the same.
   */
  adopt(state: ClockState): void {
    if (state.offsetMs === this.offsetMs && state.frozenAt === this.frozenAt) return;
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
    this.changed(true);
  }

  /**
   * Called after every change, e.g. to persist the clock so it survives a restart (`adopted`: the
   * state came from the database and needs no saving); returns the undo.
   */
  onChange(listener: (state: ClockState, adopted: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(adopted = false): void {
    for (const listener of this.listeners) listener(this.state(), adopted);
  }
}
