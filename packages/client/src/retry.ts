/**
 * When and how long to retry, and the backoff and Retry-After arithmetic: pure (stripe-node's
 * `_shouldRetry`), so that tests check every decision without a server or a clock.
 */
import type { RetryInfo } from './hooks.js';

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

/** What went wrong with one attempt. */
export type AttemptFailure =
  | { kind: 'no_answer' }
  | { kind: 'answer'; status: number; code: number | undefined; retryAfterMs: number | undefined };

export interface RetryState {
  /** Whether the method may be sent twice (a POST that got no answer may have been acted on). */
  idempotent: boolean;
  /** Retries spent so far (the renewal after 124 does not count). */
  retries: number;
  /** Whether the token was already renewed once for this call. */
  renewed: boolean;
}

export interface RetryPolicy {
  maxRetries: number;
  /** A 429 asking for a longer wait than this is thrown at once; a 5xx's wait is capped to it. */
  maxRetryAfterMs: number;
  /** The backoff of the n-th retry; called only when a decision needs it. */
  backoff: (retryIndex: number) => number;
}

export type RetryDecision =
  | { action: 'throw' }
  /** Fetch one new token and try again at once, if the token changed. */
  | { action: 'renew' }
  | { action: 'wait'; reason: Exclude<RetryInfo['reason'], 'invalid_token'>; delayMs: number };

/**
 * What to do after a failed attempt:
 * - no answer: retry idempotent methods after backoff;
 * - code 124 (the token is dead: expired early, revoked, superseded): one new token, one retry, no loop;
 * - 429: retry any method (the server did nothing) after Retry-After, else backoff, unless the wait
 *   is longer than `maxRetryAfterMs` (a daily limit): then throw at once;
 * - 5xx: retry idempotent methods after Retry-After or backoff, capped to `maxRetryAfterMs`.
 */
export function decideRetry(failure: AttemptFailure, state: RetryState, policy: RetryPolicy): RetryDecision {
  const left = state.retries < policy.maxRetries;
  if (failure.kind === 'no_answer') {
    return state.idempotent && left
      ? { action: 'wait', reason: 'network_error', delayMs: policy.backoff(state.retries) }
      : { action: 'throw' };
  }
  if (failure.code === 124 && !state.renewed) return { action: 'renew' };
  if (failure.status === 429) {
    const delayMs = failure.retryAfterMs ?? policy.backoff(state.retries);
    return left && delayMs <= policy.maxRetryAfterMs
      ? { action: 'wait', reason: 'rate_limited', delayMs }
      : { action: 'throw' };
  }
  if (failure.status >= 500 && state.idempotent && left) {
    const delayMs = Math.min(failure.retryAfterMs ?? policy.backoff(state.retries), policy.maxRetryAfterMs);
    return { action: 'wait', reason: 'server_error', delayMs };
  }
  return { action: 'throw' };
}

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
