/**
 * The gate between requests and a change of the whole state (reset, restore, import). Requests pass
 * it freely and are counted while in flight; a state change closes it, waits until the requests in
 * flight have answered, runs alone, then opens it again for the requests that waited. So a request
 * runs entirely in the old world or entirely in the new one, never partly in each.
 */
export class StateGate {
  private inFlight = 0;
  private closed: Promise<void> | null = null;
  private drained: (() => void) | null = null;
  /** One state change at a time, in order of arrival. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Counts a request in: `true` at once when open, else a promise that settles when it reopens. */
  enter(): true | Promise<void> {
    if (this.closed === null) {
      this.inFlight++;
      return true;
    }
    return this.closed.then(() => {
      const again = this.enter();
      return again === true ? undefined : again;
    });
  }

  /** Counts a request out (once per `enter`). */
  readonly leave = (): void => {
    this.inFlight--;
    if (this.inFlight === 0 && this.drained) this.drained();
  };

  /** Runs `work` with no request in flight; requests arriving meanwhile wait for it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      let open = () => {};
      this.closed = new Promise<void>((resolve) => {
        open = resolve;
      });
      try {
        if (this.inFlight > 0) {
          await new Promise<void>((resolve) => {
            this.drained = resolve;
          });
          this.drained = null;
        }
        return await work();
      } finally {
        this.closed = null;
        open();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
