/**
 * Passes of work that never overlap (retention, the meeting sweeper, the webhook dispatcher, the
 * cluster's reads of the shared state): a pass asked for while one runs is queued to start after it,
 * so that it sees the state as it is when asked, and every ask while one is queued joins that one. A
 * failed pass does not stop the next.
 */
export class SerialPasses<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly pass: () => Promise<T>) {}

  /** One pass that starts after this call. */
  next(): Promise<T> {
    if (this.queued) return this.queued;
    const previous = this.running;
    const next: Promise<T> = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        this.running = next;
        return this.pass();
      })
      .finally(() => {
        if (this.running === next) this.running = null;
      });
    this.queued = next;
    return next;
  }

  /** Resolves when no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.running || this.queued) await Promise.allSettled([this.running, this.queued]);
  }
}
