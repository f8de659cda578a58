/**
 * Zoom's special daily caps, counted per UTC day of the emulated clock: user creations per account
 * (POST /users action=create) and meeting creates/updates per host user. Counts live behind the
 * `CounterStore` interface so several Zemu processes can share them (memory now; Redis with limits).
 */
import type { Clock } from '../clock.js';
import { zoomErrors } from '../errors/zoom.js';
import type { Plan } from '../store/models.js';
import { MEETING_WRITES_PER_HOST_DAILY, USER_CREATE_DAILY } from './table.js';

export interface CounterStore {
  /** Adds 1 to `key` (created with the given expiry) and returns the new count. */
  increment(key: string, expiresAtMs: number): Promise<number>;
  /** Takes back one count, e.g. when the operation it was counted for failed. */
  decrement(key: string): Promise<void>;
}

export type QuotaKind = 'user_create' | 'meeting_write';

export interface QuotaResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Next 00:00 UTC of the emulated clock, when the count starts again. */
  resetsAt: number;
}

export function nextUtcMidnight(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export class DailyQuotas {
  constructor(
    private readonly clock: Clock,
    public counters: CounterStore,
  ) {}

  /** Counts one use of `kind` for `subject` (account id or host user id) against `limit` per UTC day. */
  async consume(kind: QuotaKind, subject: string, limit: number): Promise<QuotaResult> {
    const now = this.clock.now();
    const resetsAt = nextUtcMidnight(now);
    const day = new Date(now).toISOString().slice(0, 10);
    const key = `quota:${kind}:${subject}:${day}`;
    const count = await this.counters.increment(key, resetsAt);
    if (count > limit) {
      await this.counters.decrement(key);
      return { allowed: false, limit, remaining: 0, resetsAt };
    }
    return { allowed: true, limit, remaining: limit - count, resetsAt };
  }

  /** Counts one user creation (action=create) for the account, or throws Zoom's 429 for the cap. */
  async requireUserCreate(accountId: string, plan: Plan): Promise<QuotaResult> {
    const result = await this.consume(
      'user_create',
      accountId,
      USER_CREATE_DAILY[plan] ?? USER_CREATE_DAILY.pro,
    );
    if (!result.allowed) throw zoomErrors.userCreateDailyLimit(result.limit, result.resetsAt);
    return result;
  }

  /** Counts one meeting create/update for the host, or throws Zoom's 429 for the cap. */
  async requireMeetingWrite(hostUserId: string): Promise<QuotaResult> {
    const result = await this.consume('meeting_write', hostUserId, MEETING_WRITES_PER_HOST_DAILY);
    if (!result.allowed) throw zoomErrors.meetingWriteDailyLimit(result.limit, result.resetsAt);
    return result;
  }
}
