/**
 * The request log on PostgreSQL: every Zemu process on the database appends its entries to one
 * table (`zemu_requests`, in batches after the responses, as the ring does), so `GET /_zemu/requests`
 * and its stream on any process show the requests of all. Retention is the same as the ring's: the
 * newest `capacity` entries are listed; older rows are deleted every tenth of the capacity.
 *
 * Streams poll the table (every `pollMs` of real time, only while one is open). Ids come from a
 * sequence, and a row with a smaller id can commit after one with a larger id (two processes writing
 * at once): a missing id is waited for a while (`GAP_WAIT_MS`) before it is given up as never coming
 * (a rolled-back insert), so a slow commit is still streamed, in id order of arrival.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SharedRepo } from '../store/repos/shared.js';
import {
  pageOf,
  type RequestLogEntry,
  type RequestLogFilter,
  type RequestLogPage,
  type RequestLogStore,
  type Subscriber,
} from './log.js';

const GAP_WAIT_MS = 2000;
const POLL_BATCH = 1000;

export class SharedRequestLog implements RequestLogStore {
  private pending: RequestLogEntry[] = [];
  private flushScheduled = false;
  private writes: Promise<void> = Promise.resolve();
  private sincePrune = 0;
  private readonly subscribers = new Set<Subscriber>();
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Every id up to here was streamed (or given up as a gap). */
  private floor = 0;
  /** Ids above `floor` already streamed. */
  private readonly seen = new Set<number>();
  /** Ids above `floor` not seen yet, with the real time they were first missed. */
  private readonly gaps = new Map<number, number>();

  constructor(
    private readonly repo: SharedRepo,
    readonly capacity: number,
    readonly captureBodies: boolean,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 100,
  ) {}

  add(entry: Omit<RequestLogEntry, 'id'>): void {
    this.pending.push(entry as RequestLogEntry);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Writes the queued entries in one statement; resolves when every entry queued so far is stored. */
  private readonly flush = (): Promise<void> => {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length > 0) {
      this.pending = [];
      this.writes = this.writes.then(async () => {
        try {
          const texts = batch.map(({ id: _id, ...entry }) => JSON.stringify(entry));
          const ids = await this.repo.appendRequests(texts);
          batch.forEach((entry, i) => {
            entry.id = ids[i] as number;
          });
          this.sincePrune += batch.length;
          if (this.sincePrune >= Math.max(1, Math.floor(this.capacity / 10))) {
            this.sincePrune = 0;
            await this.repo.pruneRequests(this.capacity);
          }
        } catch (err) {
          // The request was answered; its entry is lost, said in the log (never a failed request).
          this.log.error({ err, entries: batch.length }, 'writing request log entries failed');
        }
      });
    }
    return this.writes;
  };

  async query(filter: RequestLogFilter, pageSize: number, before?: number): Promise<RequestLogPage> {
    await this.flush();
    const rows = await this.repo.newestRequests(this.capacity);
    return pageOf(rows.map(parseRow), filter, pageSize, before);
  }

  async find(id: number): Promise<RequestLogEntry | undefined> {
    await this.flush();
    const { newest } = await this.repo.requestsExtent();
    if (id <= newest - this.capacity) return undefined;
    const text = await this.repo.findRequest(id);
    return text === undefined ? undefined : parseRow({ id, entry: text });
  }

  async kept(): Promise<number> {
    await this.flush();
    return Math.min(this.capacity, (await this.repo.requestsExtent()).kept);
  }

  async clear(): Promise<void> {
    await this.flush();
    await this.repo.clearRequests();
  }

  async subscribe(subscriber: Subscriber, after?: number): Promise<() => void> {
    await this.flush();
    if (this.subscribers.size === 0) {
      // Live from the newest entry stored now.
      this.floor = (await this.repo.requestsExtent()).newest;
      this.seen.clear();
      this.gaps.clear();
      this.pollTimer = setInterval(() => {
        this.poll().catch((err: unknown) => this.log.error({ err }, 'reading the request log failed'));
      }, this.pollMs);
      this.pollTimer.unref();
    }
    if (after !== undefined && after < this.floor) {
      const { newest } = await this.repo.requestsExtent();
      const from = Math.max(after, newest - this.capacity);
      const missed = (await this.repo.requestsAfter(from, this.capacity))
        .filter((row) => row.id <= this.floor)
        .map(parseRow);
      if (missed.length > 0) subscriber(missed);
    }
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.pollTimer) {
        clearInterval(this.pollTimer);
        this.pollTimer = null;
      }
    };
  }

  /** One look at the table: new rows to every stream, in id order. Polls never overlap. */
  private poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    if (this.subscribers.size === 0) return;
    const rows = await this.repo.requestsAfter(this.floor, POLL_BATCH);
    const fresh: RequestLogEntry[] = [];
    let max = this.floor;
    for (const row of rows) {
      if (row.id > max) max = row.id;
      if (this.seen.has(row.id)) continue;
      this.seen.add(row.id);
      this.gaps.delete(row.id);
      fresh.push(parseRow(row));
    }
    const now = Date.now();
    for (let id = this.floor + 1; id < max; id++) {
      if (!this.seen.has(id) && !this.gaps.has(id)) this.gaps.set(id, now);
    }
    // Move the floor over what was streamed and over gaps waited for long enough.
    while (true) {
      const next = this.floor + 1;
      if (this.seen.delete(next)) this.floor = next;
      else if (this.gaps.has(next) && now - (this.gaps.get(next) as number) >= GAP_WAIT_MS) {
        this.gaps.delete(next);
        this.floor = next;
      } else break;
    }
    if (fresh.length === 0) return;
    for (const subscriber of this.subscribers) {
      try {
        subscriber(fresh);
      } catch {
        // A broken stream must not stop the others.
      }
    }
  }

  /** Stops polling (the server closes). */
  close(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.subscribers.clear();
  }
}

function parseRow(row: { id: number; entry: string }): RequestLogEntry {
  const entry = JSON.parse(row.entry) as RequestLogEntry;
  entry.id = Number(row.id);
  return entry;
}
