/**
 * Zoom's rate limits per account plan and label (contract §6, Zoom's "Rate limits" page): a
 * per-second window (per-minute for Resource-intensive) and, where Zoom has one, a daily window.
 * On Pro and Business the Heavy and Resource-intensive labels share one daily cap.
 */
import type { RateLimitLabel } from '../http/types.js';
import type { Plan } from '../store/models.js';

export const LABELS: readonly RateLimitLabel[] = ['Light', 'Medium', 'Heavy', 'Resource-intensive'];

export interface LabelLimits {
  /** Requests allowed per window. */
  rate: number;
  /** Window length in ms: 1,000 (QPS) or 60,000 (Resource-intensive's per-minute). */
  windowMs: number;
  /** Requests per UTC day of the emulated clock, or null when Zoom sets none for this plan. */
  daily: number | null;
  /** Which daily counter this label draws from; labels sharing a cap share a bucket. */
  dailyBucket: string;
}

const SECOND = 1000;
const MINUTE = 60_000;

export const PLAN_LIMITS: Readonly<Record<Plan, Readonly<Record<RateLimitLabel, LabelLimits>>>> = {
  free: {
    Light: { rate: 4, windowMs: SECOND, daily: 6000, dailyBucket: 'Light' },
    Medium: { rate: 2, windowMs: SECOND, daily: 2000, dailyBucket: 'Medium' },
    Heavy: { rate: 1, windowMs: SECOND, daily: 1000, dailyBucket: 'Heavy' },
    'Resource-intensive': { rate: 10, windowMs: MINUTE, daily: 30000, dailyBucket: 'Resource-intensive' },
  },
  pro: {
    Light: { rate: 30, windowMs: SECOND, daily: null, dailyBucket: 'Light' },
    Medium: { rate: 20, windowMs: SECOND, daily: null, dailyBucket: 'Medium' },
    Heavy: { rate: 10, windowMs: SECOND, daily: 30000, dailyBucket: 'Heavy+Resource-intensive' },
    'Resource-intensive': {
      rate: 10,
      windowMs: MINUTE,
      daily: 30000,
      dailyBucket: 'Heavy+Resource-intensive',
    },
  },
  business: {
    Light: { rate: 80, windowMs: SECOND, daily: null, dailyBucket: 'Light' },
    Medium: { rate: 60, windowMs: SECOND, daily: null, dailyBucket: 'Medium' },
    Heavy: { rate: 40, windowMs: SECOND, daily: 60000, dailyBucket: 'Heavy+Resource-intensive' },
    'Resource-intensive': {
      rate: 20,
      windowMs: MINUTE,
      daily: 60000,
      dailyBucket: 'Heavy+Resource-intensive',
    },
  },
};

/** Per-account replacements of the table, e.g. a raised limit Zoom granted (or a benchmark's). */
export type LimitOverrides = Partial<Record<RateLimitLabel, { rate?: number; daily?: number | null }>>;

export function effectiveLimits(
  plan: Plan,
  overrides: LimitOverrides | undefined,
): Record<RateLimitLabel, LabelLimits> {
  const base = PLAN_LIMITS[plan] ?? PLAN_LIMITS.pro;
  if (!overrides) return base;
  const out = { ...base };
  for (const label of LABELS) {
    const o = overrides[label];
    if (!o) continue;
    out[label] = {
      ...base[label],
      ...(o.rate === undefined ? {} : { rate: o.rate }),
      ...(o.daily === undefined ? {} : { daily: o.daily }),
    };
  }
  return out;
}

/** POST /users action=create per account and UTC day (S25). */
export const USER_CREATE_DAILY: Readonly<Record<Plan, number>> = { free: 50, pro: 1500, business: 10_000 };
/** Meeting creates and updates per host user and UTC day (contract §6). */
export const MEETING_WRITES_PER_HOST_DAILY = 100;
