/** Retry-After parsing and backoff arithmetic. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, parseRetryAfter } from '@zemu/client';

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
