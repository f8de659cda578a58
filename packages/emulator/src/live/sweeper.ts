/**
 * The meeting lifecycle's sweeper, on the emulated clock:
 *
 * - meetings whose scheduled end has passed while they were live are settled: their instance closed
 *   at exactly that end, everyone still in leaving then, `meeting.participant_left` and
 *   `meeting.ended` recorded (engine.ts `settleOverdue`), so the webhooks arrive without anyone
 *   touching the meeting again;
 * - ended instances and their participants are deleted `PAST_MEETING_RETENTION_MS` after they ended
 *   (docs/compatibility.md: Zoom's own retention of past meetings is uncertain);
 * - cloud recordings and recording files are deleted for good `RECORDING_TRASH_MS` (30 days) after
 *   they went to the trash, as Zoom documents, with no webhook event (none is documented for it).
 *
 * Off the request path, like retention: every change of the clock asks for a pass at once, a timer
 * runs one every `intervalMs` of real time (10 s), and the first runs just after the start's first answers. A pass works in batches (`batchSize`
 * meetings or instances), each meeting in its own transaction under its row lock, and yields to the
 * event loop between batches; each kind of work stops after `maxBatchesPerPass` batches, and then
 * the pass asks for the next one.
 * Several processes on one PostgreSQL may sweep at once: a meeting is closed under `FOR UPDATE` and
 * checked again there (the one that waited finds it ended), and every delete is by key.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { BACKGROUND_START_DELAY_MS } from '../config.js';
import { SerialPasses } from '../serial.js';
import type { Store } from '../store/store.js';
import { type LiveDeps, settleOverdue } from './engine.js';

/** How long an ended instance (a past meeting) and its participants are kept: 730 days. */
export const PAST_MEETING_RETENTION_MS = 730 * 24 * 3600 * 1000;
/** How long the trash keeps a cloud recording or a recording file: 30 days. */
export const RECORDING_TRASH_MS = 30 * 24 * 3600 * 1000;

export interface SweeperOptions {
  batchSize?: number;
  maxBatchesPerPass?: number;
  intervalMs?: number;
  retentionMs?: number;
  /** The first pass after `start` (config.ts `BACKGROUND_START_DELAY_MS` by default). */
  startDelayMs?: number;
}

export interface SweepSummary {
  /** Meetings this pass closed at their scheduled end. */
  ended: number;
  /** Ended instances deleted after the retention. */
  pruned: number;
  /** Recordings and recording files the trash deleted after 30 days. */
  purged: number;
  /** False when the pass stopped at its batch budget with more left to do. */
  complete: boolean;
}

export class Sweeper {
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly intervalMs: number;
  readonly retentionMs: number;
  private timer: NodeJS.Timeout | null = null;
  private firstTimer: NodeJS.Timeout | null = null;
  private readonly startDelayMs: number;
  private readonly passes = new SerialPasses<SweepSummary>(() => this.runPass());
  private stopped = false;
  private started = false;

  private readonly store: Store;
  private readonly clock: Clock;

  constructor(
    private readonly deps: LiveDeps,
    private readonly log: FastifyBaseLogger,
    options: SweeperOptions = {},
  ) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.batchSize = options.batchSize ?? 200;
    this.maxBatches = options.maxBatchesPerPass ?? 20;
    this.intervalMs = options.intervalMs ?? 10_000;
    this.retentionMs = options.retentionMs ?? PAST_MEETING_RETENTION_MS;
    this.startDelayMs = options.startDelayMs ?? BACKGROUND_START_DELAY_MS;
  }

  /** Sweeps shortly after, every `intervalMs` of real time, and whenever the clock changes (`poke`). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => this.poke(), this.intervalMs);
    this.timer.unref();
    this.firstTimer = setTimeout(() => this.poke(), this.startDelayMs);
    this.firstTimer.unref();
  }

  /** No pass starts after this; resolves once the one running (and the one queued) are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.firstTimer) clearTimeout(this.firstTimer);
    this.timer = null;
    this.firstTimer = null;
    await this.idle();
  }

  /** Asks for a pass (the clock moved, or the timer ticked); passes never overlap. */
  poke(): void {
    if (!this.started || this.stopped) return;
    this.sweep()
      .then((summary) => {
        if (!summary.complete) this.poke();
      })
      .catch((err: unknown) => this.log.error({ err }, 'meeting sweep failed'));
  }

  /** Resolves when no pass is running or queued (tests wait here instead of on time). */
  async idle(): Promise<void> {
    await this.passes.idle();
  }

  /**
   * One pass that starts after this call (so it sees the clock as it is now). A call while one runs
   * queues the next; calls while one is queued join it. After `stop`, nothing is swept.
   */
  sweep(): Promise<SweepSummary> {
    return this.passes.next();
  }

  private async runPass(): Promise<SweepSummary> {
    const summary: SweepSummary = { ended: 0, pruned: 0, purged: 0, complete: true };
    if (this.stopped) return summary;
    const now = this.clock.now();
    const size = this.batchSize;

    // Keyset over meeting ids, so a meeting that cannot be closed (it failed) is not picked again.
    let afterId = 0;
    await this.phase(summary, async () => {
      const ids = await this.store.meetings.overdueIds(now, afterId, size);
      for (const id of ids) {
        try {
          if (await settleOverdue(this.deps, id)) summary.ended++;
        } catch (err) {
          this.log.error({ err, meetingId: id }, 'closing a meeting at its scheduled end failed');
        }
      }
      afterId = ids.at(-1) ?? afterId;
      return ids.length;
    });

    const cutoff = now - this.retentionMs;
    await this.phase(summary, async () => {
      const deleted = await this.store.transaction(async (trx) =>
        trx.instances.deleteEnded(await trx.instances.uuidsEndedBefore(cutoff, size)),
      );
      summary.pruned += deleted;
      return deleted;
    });

    const trashCutoff = now - RECORDING_TRASH_MS;
    await this.phase(summary, async () => {
      const purged = await this.store.transaction((trx) =>
        trx.recordings.purgeTrashedBefore(trashCutoff, size),
      );
      summary.purged += purged;
      return purged;
    });

    if (summary.ended + summary.pruned + summary.purged > 0)
      this.log.debug({ swept: summary }, 'meeting sweep');
    return summary;
  }

  /**
   * Runs `batch` (which answers how many rows it handled) until one handles less than a full batch,
   * yielding between batches, at most `maxBatchesPerPass` times: each kind of work has its own budget,
   * so that a long one never starves the next. Past the budget the pass is incomplete.
   */
  private async phase(summary: SweepSummary, batch: () => Promise<number>): Promise<void> {
    for (let budget = this.maxBatches; ; budget--) {
      if (budget <= 0 || this.stopped) {
        summary.complete = false;
        return;
      }
      const handled = await batch();
      await yieldToRequests();
      if (handled < this.batchSize) return;
    }
  }
}
