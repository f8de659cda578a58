/** Backoff and Retry-After arithmetic, kept pure so that tests can check it without waiting. */

export interface BackoffOptions {
  /** First delay before jitter, ms. */
  initialDelayMs: number;
  /** Cap of any computed delay, ms. */
  maxDelayMs: number;
  random: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half random, so
 * that retries spread out but never collapse to zero (AWS architecture blog; stripe-node uses the
 * same idea).
 */
export function backoffDelay(retryIndex: number, options: BackoffOptions): number {
  const step = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retryIndex);
  return Math.round(step / 2 + options.random() * (step / 2));
}

/**
 * Retry-After as milliseconds from `now`: Zoom sends seconds on some 429s and an ISO time
 * (`2020-05-31T00:00:00Z`) on daily limits; HTTP also allows an HTTP date. Undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // A bare number that is not a valid delay (negative, signed) is unreadable, not a date.
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Sleeps `ms`, waking early (and rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
