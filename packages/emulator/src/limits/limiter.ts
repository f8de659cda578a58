/**
 * Zoom's rate limiter: per account, per label, a per-second (or per-minute) window and, where the
 * plan has one, a daily window that resets at 00:00 UTC of the emulated clock. Runs after the
 * guard (it needs the token's account) and before the handler. Refused requests do not count.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { type FieldError, type ZoomRefusal, zoomErrors } from '../errors/zoom.js';
import { requireObjectField } from '../http/input.js';
import { routeConfig } from '../http/route-config.js';
import { traceOf } from '../http/trace.js';
import type { RateLimitLabel } from '../http/types.js';
import type { Account, Plan } from '../store/models.js';
import type { WindowCounters, WindowHit } from './counters.js';
import { effectiveLimits, LABELS, type LabelLimits, type LimitOverrides } from './table.js';

const DAY = 86_400_000;
/** How long an account's plan and switches are trusted before they are read again (real ms). */
const ACCOUNT_CACHE_MS = 1000;

/** The per-account switches, kept in the account's `settings.rate_limits`. */
export interface AccountLimitSettings {
  /** false turns every limit off for the account. Default true. */
  enabled?: boolean;
  /** true leaves `Retry-After` out of 429s, as Zoom sometimes does. Default false. */
  omit_retry_after?: boolean;
  overrides?: LimitOverrides;
}

interface AccountLimitInfo {
  plan: Plan;
  enabled: boolean;
  omitRetryAfter: boolean;
  limits: Record<RateLimitLabel, LabelLimits>;
  loadedAt: number;
}

export function limitSettingsOf(account: Account): AccountLimitSettings {
  const value = account.settings.rate_limits;
  return typeof value === 'object' && value !== null ? (value as AccountLimitSettings) : {};
}

/** Checks the switches as the control API and the seed file receive them. */
export function validateLimitSettings(body: unknown): AccountLimitSettings {
  const b = requireObjectField(body);
  const errors: FieldError[] = [];
  if (b.enabled !== undefined && typeof b.enabled !== 'boolean')
    errors.push({ field: 'enabled', message: 'Must be a boolean.' });
  if (b.omit_retry_after !== undefined && typeof b.omit_retry_after !== 'boolean')
    errors.push({ field: 'omit_retry_after', message: 'Must be a boolean.' });
  if (b.overrides !== undefined) {
    if (typeof b.overrides !== 'object' || b.overrides === null || Array.isArray(b.overrides)) {
      errors.push({ field: 'overrides', message: 'Must be an object keyed by label.' });
    } else {
      for (const [label, value] of Object.entries(b.overrides)) {
        if (!LABELS.includes(label as RateLimitLabel)) {
          errors.push({
            field: `overrides.${label}`,
            message: `Unknown label; one of ${LABELS.join(', ')}.`,
          });
          continue;
        }
        const v = value as Record<string, unknown>;
        if (typeof v !== 'object' || v === null) {
          errors.push({ field: `overrides.${label}`, message: 'Must be an object {rate?, daily?}.' });
          continue;
        }
        if (v.rate !== undefined && (!Number.isInteger(v.rate) || (v.rate as number) < 0))
          errors.push({ field: `overrides.${label}.rate`, message: 'Must be a non-negative integer.' });
        if (
          v.daily !== undefined &&
          v.daily !== null &&
          (!Number.isInteger(v.daily) || (v.daily as number) < 0)
        )
          errors.push({
            field: `overrides.${label}.daily`,
            message: 'Must be a non-negative integer or null.',
          });
      }
    }
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const out: AccountLimitSettings = {};
  if (b.enabled !== undefined) out.enabled = b.enabled as boolean;
  if (b.omit_retry_after !== undefined) out.omit_retry_after = b.omit_retry_after as boolean;
  if (b.overrides !== undefined) out.overrides = b.overrides as LimitOverrides;
  return out;
}

export class RateLimiter {
  private readonly accounts = new Map<string, AccountLimitInfo>();
  private lastStoreError = 0;

  constructor(
    private readonly clock: Clock,
    readonly counters: WindowCounters,
    private readonly loadAccount: (id: string) => Promise<Account | undefined>,
    /** The global switch (`--no-rate-limits`). */
    readonly enabled: boolean,
    /** Real time in epoch ms, for the account cache and the store-down warning (tests pass their own). */
    private readonly realNow: () => number = Date.now,
  ) {}

  /** Forget what is cached about an account, e.g. after its switches changed. */
  invalidate(accountId: string): void {
    this.accounts.delete(accountId);
  }

  /** Forget every cached account (the whole world was replaced). */
  invalidateAll(): void {
    this.accounts.clear();
  }

  /** The account's plan and switches when known and fresh, else undefined (load them). */
  private cachedInfo(accountId: string): AccountLimitInfo | undefined {
    const cached = this.accounts.get(accountId);
    return cached && this.realNow() - cached.loadedAt < ACCOUNT_CACHE_MS ? cached : undefined;
  }

  private async info(accountId: string): Promise<AccountLimitInfo | undefined> {
    const cached = this.cachedInfo(accountId);
    if (cached) return cached;
    const account = await this.loadAccount(accountId);
    if (!account) return undefined;
    const settings = limitSettingsOf(account);
    const info: AccountLimitInfo = {
      plan: account.plan,
      enabled: settings.enabled !== false,
      omitRetryAfter: settings.omit_retry_after === true,
      limits: effectiveLimits(account.plan, settings.overrides),
      loadedAt: this.realNow(),
    };
    this.accounts.set(accountId, info);
    return info;
  }

  /** The counter keys of one request: its label's short window, and its daily bucket if any. */
  windows(accountId: string, label: RateLimitLabel, limits: LabelLimits, now: number): WindowHit[] {
    const index = Math.floor(now / limits.windowMs);
    const hits: WindowHit[] = [
      {
        key: `rl:${accountId}:${label}:${limits.windowMs}:${index}`,
        expiresAt: (index + 1) * limits.windowMs,
      },
    ];
    if (limits.daily !== null) {
      const day = Math.floor(now / DAY);
      hits.push({ key: `rl:${accountId}:day:${limits.dailyBucket}:${day}`, expiresAt: (day + 1) * DAY });
    }
    return hits;
  }

  /**
   * Counts the request against its label, or throws Zoom's 429 with its headers. Synchronous (returns
   * nothing, or throws) when the account's settings are cached and the counters are in memory, the
   * common case; a promise when the account must be read or the counters are in Redis.
   */
  enforce(request: FastifyRequest, reply: FastifyReply): void | Promise<void> {
    const label = routeConfig(request).rateLimitLabel;
    const principal = request.principal;
    if (!this.enabled || !label || !principal) return;
    const cached = this.cachedInfo(principal.accountId);
    if (cached) return this.count(request, reply, label, principal.accountId, cached);
    return this.info(principal.accountId).then((info) =>
      info ? this.count(request, reply, label, principal.accountId, info) : undefined,
    );
  }

  private count(
    request: FastifyRequest,
    reply: FastifyReply,
    label: RateLimitLabel,
    accountId: string,
    info: AccountLimitInfo,
  ): void | Promise<void> {
    if (!info.enabled) return;
    const limits = info.limits[label];
    const now = this.clock.now();
    const windows = this.windows(accountId, label, limits, now);
    let result: number[] | Promise<number[]>;
    try {
      result = this.counters.hit(windows);
    } catch (error) {
      return this.storeDown(request, error);
    }
    if (Array.isArray(result)) return this.judge(request, reply, label, info, windows, now, result);
    return result.then(
      (counts) => this.judge(request, reply, label, info, windows, now, counts),
      (error: unknown) => this.storeDown(request, error),
    );
  }

  /**
   * A counter store that is down (Redis) must not take the emulator down: let the request through,
   * and say so once a minute.
   */
  private storeDown(request: FastifyRequest, error: unknown): void {
    if (this.realNow() - this.lastStoreError > 60_000) {
      this.lastStoreError = this.realNow();
      request.log.warn({ err: error }, 'rate-limit counters unavailable; requests are not limited');
    }
  }

  private judge(
    request: FastifyRequest,
    reply: FastifyReply,
    label: RateLimitLabel,
    info: AccountLimitInfo,
    windows: WindowHit[],
    now: number,
    counts: number[],
  ): void | Promise<void> {
    const limits = info.limits[label];
    const short = counts[0] as number;
    const daily = counts[1];
    let refusal: ZoomRefusal | undefined;
    if (limits.daily !== null && daily !== undefined && daily > limits.daily) {
      traceOf(request).rateLimit = { category: label, type: 'Daily-limit' };
      refusal = zoomErrors.rateLimitedDaily(
        label,
        limits.daily,
        info.omitRetryAfter ? null : (windows[1] as WindowHit).expiresAt,
        `rate limited in category ${label}: daily limit of ${limits.daily} (${limits.dailyBucket}) on the ${info.plan} plan reached; resets at 00:00 UTC`,
      );
    } else if (short > limits.rate) {
      const retryAfter = Math.max(1, Math.ceil(((windows[0] as WindowHit).expiresAt - now) / 1000));
      const per = limits.windowMs === 1000 ? 'second' : 'minute';
      traceOf(request).rateLimit = { category: label, type: 'QPS' };
      refusal = zoomErrors.rateLimitedQps(
        label,
        limits.rate,
        info.omitRetryAfter ? null : retryAfter,
        `rate limited in category ${label}: ${limits.rate} per ${per} on the ${info.plan} plan`,
      );
    }
    if (refusal) {
      // Refused requests do not count.
      const undone = this.counters.undo(windows.map((w) => w.key));
      const error = refusal;
      if (undone instanceof Promise) {
        return undone.then(() => {
          throw error;
        });
      }
      throw error;
    }
    if (limits.daily !== null && daily !== undefined) {
      reply.header('x-ratelimit-category', label);
      reply.header('x-ratelimit-limit', String(limits.daily));
      reply.header('x-ratelimit-remaining', String(Math.max(0, limits.daily - daily)));
    }
  }
}
