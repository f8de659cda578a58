/**
 * The only source of "now" in Zemu. Every expiry (tokens, ZAKs, codes, page tokens, daily windows,
 * webhook retries) reads this clock, so tests move time instead of sleeping.
 */
export interface ClockState {
  /** Milliseconds added to the real time while the clock runs. */
  offsetMs: number;
  /** When frozen, the emulated time in epoch ms; otherwise null. */
  frozenAt: number | null;
}

export class Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;
  private readonly listeners = new Set<(state: ClockState) => void>();

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

  advance(seconds: number): void {
    const ms = Math.round(seconds * 1000);
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
    this.changed();
  }

  set(epochMs: number): void {
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

  /** Takes a saved state as it is (a reset or a restore), then tells the listeners. */
  restore(state: ClockState): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
    this.changed();
  }

  /** Called after every change, e.g. to persist the clock so it survives a restart; returns the undo. */
  onChange(listener: (state: ClockState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener(this.state());
  }
}
