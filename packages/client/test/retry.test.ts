/** Retry decisions, Retry-After parsing and backoff arithmetic. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type AttemptFailure,
  backoffDelay,
  decideRetry,
  parseRetryAfter,
  type RetryState,
} from '@zemu/client';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-31T00:00:00Z');
  test('seconds, fractional seconds, HTTP date, ISO date; past dates wait 0', () => {
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 1.5 ', now), 1500);
    assert.equal(parseRetryAfter('Sun, 31 May 2026 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('2026-05-31T00:01:00Z', now), 60_000);
    assert.equal(parseRetryAfter('2026-05-30T00:00:00Z', now), 0);
  });
  test('absent or unreadable: undefined (the caller falls back to backoff)', () => {
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-3', now), undefined);
  });
});

describe('backoffDelay', () => {
  const options = (random: number) => ({ initialDelayMs: 500, maxDelayMs: 8000, random: () => random });
  test('doubles per retry, half fixed and half jitter, capped', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((i) => backoffDelay(i, options(0))),
      [250, 500, 1000, 2000, 4000, 4000],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((i) => backoffDelay(i, options(1))),
      [500, 1000, 2000, 4000, 8000, 8000],
    );
  });
});

describe('decideRetry', () => {
  const backoffs: number[] = [];
  const policy = {
    maxRetries: 2,
    maxRetryAfterMs: 60_000,
    backoff: (i: number) => {
      backoffs.push(i);
      return 100 * (i + 1);
    },
  };
  const state = (over: Partial<RetryState> = {}): RetryState => ({
    idempotent: true,
    retries: 0,
    renewed: false,
    ...over,
  });
  const answer = (status: number, code?: number, retryAfterMs?: number): AttemptFailure => ({
    kind: 'answer',
    status,
    code,
    retryAfterMs,
  });
  const noAnswer: AttemptFailure = { kind: 'no_answer' };

  test('no answer: idempotent methods back off while retries last; a POST never retries', () => {
    assert.deepEqual(decideRetry(noAnswer, state({ retries: 1 }), policy), {
      action: 'wait',
      reason: 'network_error',
      delayMs: 200,
    });
    assert.deepEqual(decideRetry(noAnswer, state({ retries: 2 }), policy), { action: 'throw' });
    assert.deepEqual(decideRetry(noAnswer, state({ idempotent: false }), policy), { action: 'throw' });
  });

  test('124: one renewal, then the error; a 401 without code 124 is thrown at once', () => {
    assert.deepEqual(decideRetry(answer(401, 124), state({ idempotent: false }), policy), {
      action: 'renew',
    });
    assert.deepEqual(decideRetry(answer(401, 124), state({ renewed: true }), policy), { action: 'throw' });
    assert.deepEqual(decideRetry(answer(401), state(), policy), { action: 'throw' });
  });

  test('429: any method waits Retry-After (else backoff); a wait past maxRetryAfterMs is thrown', () => {
    assert.deepEqual(decideRetry(answer(429, 429, 1500), state({ idempotent: false }), policy), {
      action: 'wait',
      reason: 'rate_limited',
      delayMs: 1500,
    });
    assert.deepEqual(decideRetry(answer(429), state({ retries: 1 }), policy), {
      action: 'wait',
      reason: 'rate_limited',
      delayMs: 200,
    });
    assert.deepEqual(decideRetry(answer(429, 429, 60_001), state(), policy), { action: 'throw' });
    assert.deepEqual(decideRetry(answer(429, 429, 10), state({ retries: 2 }), policy), { action: 'throw' });
  });

  test('5xx: idempotent methods wait Retry-After or backoff, capped to maxRetryAfterMs', () => {
    assert.deepEqual(decideRetry(answer(503, undefined, 120_000), state(), policy), {
      action: 'wait',
      reason: 'server_error',
      delayMs: 60_000,
    });
    assert.deepEqual(decideRetry(answer(500), state(), policy), {
      action: 'wait',
      reason: 'server_error',
      delayMs: 100,
    });
    assert.deepEqual(decideRetry(answer(500), state({ idempotent: false }), policy), { action: 'throw' });
    assert.deepEqual(decideRetry(answer(502), state({ retries: 2 }), policy), { action: 'throw' });
  });

  test('other answers are thrown; backoff is drawn only when a decision needs it', () => {
    backoffs.length = 0;
    for (const status of [400, 403, 404, 409]) {
      assert.deepEqual(decideRetry(answer(status), state(), policy), { action: 'throw' });
    }
    decideRetry(answer(429, 429, 5), state(), policy);
    decideRetry(answer(500), state({ idempotent: false }), policy);
    decideRetry(noAnswer, state({ retries: 2 }), policy);
    assert.deepEqual(backoffs, []);
  });
});
