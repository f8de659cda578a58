/**
 * Retention on the emulated clock: what has stopped mattering is deleted a set time after it
 * stopped, so nothing grows without bound under load.
 *
 * - tokens and refresh tokens: `retentionMs` (ZEMU_RETENTION, default 24 h) after they expired or
 *   were revoked, with their legacy-tolerance rows;
 * - authorization codes: `retentionMs` after they expired (a used code expires like any other);
 * - webhook deliveries that are finished (delivered, failed, skipped, cancelled) with their
 *   attempts, `webhookRetentionMs` (ZEMU_WEBHOOK_RETENTION, default 7 days) after they finished,
 *   and events older than that with no delivery left and no fan-out pending;
 * - snapshots: `snapshotRetentionMs` (ZEMU_SNAPSHOT_RETENTION, default 7 days) of **real** time after
 *   they were taken. A snapshot carries its own clock and a restore sets it back, so its age on the
 *   emulated clock means nothing: a test that jumps the clock months ahead can still restore the
 *   snapshot it took a minute ago, while the leftovers of last week's sessions go.
 *
 * Off the request path: a timer runs a pass every `intervalMs` of real time, and a change of the
 * clock asks for one soon. A pass deletes in batches of `batchSize` rows, one statement (or one
 * short transaction) per batch, and yields to the event loop between batches; it stops after
 * `maxBatchesPerPass` batches and lets the next tick go on. On PostgreSQL, several processes may
 * prune at once: every delete is by key and idempotent.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { BACKGROUND_START_DELAY_MS } from '../config.js';
import { SerialPasses } from '../serial.js';
import type { DeliveryStatus } from './models.js';
import type { Store } from './store.js';

export interface RetentionOptions {
  retentionMs: number;
  webhookRetentionMs: number;
  snapshotRetentionMs: number;
  batchSize?: number;
  maxBatchesPerPass?: number;
  intervalMs?: number;
}

export interface PruneSummary {
  tokens: number;
  codes: number;
  deliveries: number;
  attempts: number;
  events: number;
  snapshots: number;
  /** False when the pass stopped at its batch budget with more left to delete. */
  complete: boolean;
}

const FINISHED: readonly DeliveryStatus[] = ['delivered', 'failed', 'skipped', 'cancelled'];
const SNAPSHOT_BATCH = 10;

export class Retention {
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private soonTimer: NodeJS.Timeout | null = null;
  private readonly passes = new SerialPasses<PruneSummary>(() => this.runPass());
  private stopped = false;
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: RetentionOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxBatches = options.maxBatchesPerPass ?? 40;
    this.intervalMs = options.intervalMs ?? 10_000;
  }

  get retentionMs(): number {
    return this.options.retentionMs;
  }

  start(): void {
    this.started = true;
    this.timer = setInterval(() => this.poke(), this.intervalMs);
    this.timer.unref();
    this.poke(BACKGROUND_START_DELAY_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.timer = null;
    this.soonTimer = null;
    await this.passes.idle();
  }

  /** Ask for a pass soon (the clock moved, or the timer ticked); passes never overlap. */
  poke(delayMs = 0): void {
    if (!this.started || this.stopped || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      if (this.stopped) return;
      // While a pass runs, this queues one after it (it would miss what the clock change made old).
      this.prune()
        .then((summary) => {
          if (!summary.complete) this.poke();
        })
        .catch((err: unknown) => this.log.error({ err }, 'retention pass failed'));
    }, delayMs);
    this.soonTimer.unref();
  }

  /**
   * One pass that starts after this call (so it sees the clock as it is now): up to the batch budget,
   * oldest first. Resolves with what it deleted. Passes never overlap: a call while one runs queues
   * the next, and calls while one is queued join it.
   */
  prune(): Promise<PruneSummary> {
    return this.passes.next();
  }

  private async runPass(): Promise<PruneSummary> {
    const now = this.clock.now();
    const tokenCutoff = now - this.options.retentionMs;
    const webhookCutoff = now - this.options.webhookRetentionMs;
    const summary: PruneSummary = {
      tokens: 0,
      codes: 0,
      deliveries: 0,
      attempts: 0,
      events: 0,
      snapshots: 0,
      complete: true,
    };
    let budget = this.maxBatches;
    const size = this.batchSize;

    /** Runs `batch` until it deletes less than a full batch or the budget is spent. */
    const drain = async (batch: () => Promise<number>): Promise<number> => {
      let total = 0;
      while (budget > 0 && !this.stopped) {
        budget--;
        const deleted = await batch();
        total += deleted;
        await yieldToRequests();
        if (deleted < size) return total;
      }
      summary.complete = false;
      return total;
    };

    const deleteTokens = (column: 'expires_at' | 'revoked_at') => () =>
      this.store.transaction(async (trx) => {
        const ids = await trx.tokens.idsEndedBefore(column, tokenCutoff, size);
        return ids.length === 0 ? 0 : trx.tokens.delete(ids);
      });
    summary.tokens += await drain(deleteTokens('expires_at'));
    summary.tokens += await drain(deleteTokens('revoked_at'));

    summary.codes += await drain(() => this.store.codes.pruneExpired(tokenCutoff, size));

    summary.deliveries += await drain(() =>
      this.store.transaction(async (trx) => {
        const ids = await trx.webhooks.deliveries.idsCompletedBefore(webhookCutoff, FINISHED, size);
        if (ids.length === 0) return 0;
        summary.attempts += await trx.webhooks.attempts.deleteOf(ids);
        return trx.webhooks.deliveries.delete(ids);
      }),
    );

    summary.events += await drain(() => this.store.webhooks.outbox.pruneSettled(webhookCutoff, size));

    // Snapshots are large (a whole state each): a handful per batch.
    const realCutoff = Date.now() - this.options.snapshotRetentionMs;
    const snapshotBatch = Math.min(SNAPSHOT_BATCH, size);
    await drain(async () => {
      const deleted = await this.store.snapshots.pruneTakenBefore(realCutoff, snapshotBatch);
      summary.snapshots += deleted;
      return deleted === snapshotBatch ? size : 0; // a full batch: maybe more
    });

    const deleted = summary.tokens + summary.codes + summary.deliveries + summary.events + summary.snapshots;
    if (deleted > 0) this.log.debug({ pruned: summary }, 'retention pass');
    return summary;
  }
}
