/**
 * Several Zemu processes on one PostgreSQL answer as one Zoom (issue 13 point 3). The world is in
 * the database already; what each process also holds in memory is made to follow the database:
 *
 * - the clock: saved in `zemu_meta` (as on SQLite); each request first reads it, and a state another
 *   process saved is adopted;
 * - the fault rules: in `zemu_faults` (`FaultRules` writes through a `FaultBackend`); the version in
 *   `zemu_shared` tells a process to reload them; a counted fire is an atomic decrement;
 * - the account limit switches: a version tells the limiter to forget its cached accounts;
 * - a reset, restore or import on another process: a version tells this one to forget its caches
 *   (keys after an import from elsewhere, the demo's credentials, cached accounts, verified tokens);
 * - the webhook dispatcher's pause: a value in `zemu_shared`, read before each automatic pass too.
 *
 * "From its next request on" is exact: every request (and every automatic webhook pass) starts with
 * one read of `zemu_shared` and the clock, begun after the request arrived, and a change is answered
 * only once it is committed (`settled()`, awaited by every /_zemu answer). Concurrent requests share
 * a read when it began after they arrived: at most one read runs and one waits, whatever the load.
 * Nothing of this runs on SQLite or in memory: one process owns everything there.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Clock, parseClockState } from '../clock.js';
import type { FaultBackend, FaultRules, SavedFaultRule } from '../faults/rules.js';
import type { RateLimiter } from '../limits/limiter.js';
import { SerialPasses } from '../serial.js';
import type { Store } from '../store/store.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';

export type SharedName = 'faults' | 'limits' | 'state' | 'dispatcher';

/** What the sync keeps in step; `Ctx` has them (declared apart to stay below `Ctx`). */
export interface SyncHost {
  readonly clock: Clock;
  readonly store: Store;
  readonly faults: FaultRules;
  readonly limiter: RateLimiter;
  readonly webhooks: WebhookDispatcher;
}

/**
 * Saves the clock after every local change, in order (the last change wins), and says whether a
 * save is pending; on PostgreSQL, `SharedSync` waits for it before answering and ignores the stored
 * clock meanwhile (it is about to be replaced by this process's own).
 */
export class ClockSaver {
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;

  constructor(clock: Clock, store: Store, log: FastifyBaseLogger) {
    clock.onChange((state, adopted) => {
      if (adopted) return;
      const text = JSON.stringify(state);
      this.pendingWrites++;
      const write = this.writes
        .catch(() => undefined)
        .then(() => store.meta.set('clock', text))
        .finally(() => {
          this.pendingWrites--;
        });
      write.catch((err: unknown) => log.error({ err }, 'saving the clock failed'));
      // settled() rejects when the last save failed, so a control answer does not say it held.
      this.writes = write;
    });
  }

  get pending(): boolean {
    return this.pendingWrites > 0;
  }

  settled(): Promise<void> {
    return this.writes;
  }
}

export class SharedSync {
  private readonly versions = new Map<string, number>();
  /** The reads of the shared state: one at a time, calls while one is queued sharing it. */
  private readonly reads = new SerialPasses(() => this.read());
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: SyncHost,
    private readonly clockSaver: ClockSaver,
    /** Another process replaced the whole state: forget what this one derived from the old one. */
    private readonly onStateReplaced: () => Promise<void>,
    private readonly log: FastifyBaseLogger,
  ) {
    host.faults.share(faultBackend(host.store, log, (work) => this.publishAfter('faults', work)));
    host.webhooks.checkPausedWith(async () => {
      await this.sync();
      return host.webhooks.isPaused;
    });
  }

  /**
   * Brings this process up to what the database holds, by a read that begins after this call: the
   * start of every request. Calls that arrive while a read runs share the next one.
   */
  sync(): Promise<void> {
    return this.reads.next();
  }

  /** Resolves when every change this process made so far is committed (clock, faults, versions). */
  async settled(): Promise<void> {
    await this.clockSaver.settled();
    await this.host.faults.settled();
    await this.writes;
  }

  /** Tells the other processes `name` changed (with its new value for `dispatcher`). */
  publish(name: SharedName, value: string | null = null): void {
    this.publishAfter(name, async () => {}, value);
  }

  private publishAfter(
    name: SharedName,
    work: () => Promise<void>,
    value: string | null = null,
  ): Promise<void> {
    const run = this.writes
      .catch(() => undefined)
      .then(async () => {
        await work();
        const version = await this.host.store.shared.bump(name, value);
        // Our own change: nothing to reload for it.
        if (this.versions.get(name) === version - 1) this.versions.set(name, version);
      });
    run.catch((err: unknown) => this.log.error({ err, name }, 'sharing a change failed'));
    this.writes = run;
    return run;
  }

  private async read(): Promise<void> {
    const { clock, faults, limiter, webhooks } = this.host;
    const rows = await this.host.store.shared.read();
    for (const row of rows) {
      if (row.name === 'clock') {
        if (this.clockSaver.pending || row.value === null) continue;
        const state = parseClockState(row.value);
        if (state) clock.adopt(state);
        continue;
      }
      if (this.versions.get(row.name) === row.version) continue;
      switch (row.name) {
        case 'faults':
          if (faults.settledNow) {
            await faults.refresh();
            this.versions.set(row.name, row.version);
          }
          continue;
        case 'limits':
          limiter.invalidateAll();
          break;
        case 'state':
          // The first read only learns the version: this process started from the current state.
          if (this.versions.has('state')) await this.onStateReplaced();
          break;
        case 'dispatcher':
          webhooks.setPaused(row.value === 'true');
          break;
      }
      this.versions.set(row.name, row.version);
    }
  }
}

/** Fault rules in `zemu_faults`; every change raises the `faults` version (through `publish`). */
function faultBackend(
  store: Store,
  log: FastifyBaseLogger,
  publish: (work: () => Promise<void>) => Promise<void>,
): FaultBackend {
  const split = (rule: SavedFaultRule) => {
    const { remaining, fired, ...rest } = rule;
    return { text: JSON.stringify(rest), remaining, fired };
  };
  return {
    async load() {
      const rows = await store.shared.faults();
      const rules: SavedFaultRule[] = [];
      for (const row of rows) {
        try {
          rules.push({
            ...(JSON.parse(row.rule) as SavedFaultRule),
            remaining: row.remaining,
            fired: row.fired,
          });
        } catch {
          log.warn({ id: row.id }, 'a stored fault rule is unreadable: left out');
        }
      }
      return rules;
    },
    put: (rule) =>
      publish(async () => {
        const { text, remaining, fired } = split(rule);
        await store.shared.putFault(rule.id, text, remaining, fired);
      }),
    remove: (id) =>
      publish(async () => {
        await store.shared.deleteFault(id);
      }),
    replace: (rules) =>
      publish(() =>
        store.transaction(async (trx) => {
          await trx.shared.clearFaults();
          for (const rule of rules) {
            const { text, remaining, fired } = split(rule);
            await trx.shared.putFault(rule.id, text, remaining, fired);
          }
        }),
      ),
    consume: (id) => store.shared.consumeFault(id),
    fired(id) {
      store.shared
        .firedFault(id)
        .catch((err: unknown) => log.warn({ err, id }, 'counting a fault fire failed'));
    },
  };
}
