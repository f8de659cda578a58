/**
 * The request log: every /oauth and /v2 request with who made it (account, app, user, grant, token)
 * and, for each refusal, why in words. Kept in memory in a bounded ring (the oldest entries drop
 * out); entries are appended in batches after the response so that logging adds no latency. On
 * PostgreSQL every process writes into one table instead (`requestlog/shared.ts`), behind the same
 * `RequestLogStore` interface.
 */

import type { CapturedBodies } from './capture.js';

export interface RequestLogEntry {
  /** Increasing sequence number within this Zemu process; the paging cursor. */
  id: number;
  /** Emulated time the request arrived, epoch ms. */
  at: number;
  /** Real (wall-clock) time the request arrived, epoch ms. */
  realAt: number;
  method: string;
  /** Path without the query string (query strings may carry secrets). */
  path: string;
  status: number;
  /** Zoom's `code` on /v2 errors. */
  code: number | null;
  /** OAuth's `error` on /oauth errors. */
  error: string | null;
  durationMs: number;
  accountId: string | null;
  clientId: string | null;
  userId: string | null;
  grantType: string | null;
  grantId: string | null;
  /** The access token the request presented (its `jti`). */
  tokenId: string | null;
  /** On /oauth/token successes: the token that was issued. */
  issuedTokenId: string | null;
  /**
   * Why the request was refused, in words; on a success, what Zemu changed about the request as
   * written (a clamped ttl) or what a fault did to it; otherwise null.
   */
  reason: string | null;
  /** The rate-limit category and type that refused it, when it was a 429 of the limiter. */
  rateLimit: { category: string; type: string } | null;
  /** The fault rule that shaped this response, if any. */
  faultId: string | null;
  /** With body capture on: the request and response bodies, redacted and bounded. */
  bodies?: CapturedBodies;
  /** How a /v2 operation was answered: `stateful` or `generated` (from the spec); null off /v2 routes. */
  emulated: 'stateful' | 'generated' | null;
}

export interface RequestLogFilter {
  method?: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string;
  /** Exact status, or a class such as `4xx`. */
  status?: string;
  code?: string;
  accountId?: string;
  clientId?: string;
  userId?: string;
  tokenId?: string;
  grantId?: string;
  grantType?: string;
  /** true: only refused (status >= 400); false: only successes. */
  refused?: boolean;
  /** Emulated-time bounds, epoch ms, inclusive. */
  from?: number;
  to?: number;
}

export function matchesFilter(e: RequestLogEntry, f: RequestLogFilter): boolean {
  if (f.method && e.method !== f.method) return false;
  if (f.path) {
    if (f.path.endsWith('*')) {
      if (!e.path.startsWith(f.path.slice(0, -1))) return false;
    } else if (e.path !== f.path) return false;
  }
  if (f.status) {
    if (/^[1-5]xx$/i.test(f.status)) {
      if (Math.floor(e.status / 100) !== Number(f.status[0])) return false;
    } else if (String(e.status) !== f.status) return false;
  }
  if (f.code && String(e.code ?? e.error ?? '') !== f.code) return false;
  if (f.accountId && e.accountId !== f.accountId) return false;
  if (f.clientId && e.clientId !== f.clientId) return false;
  if (f.userId && e.userId !== f.userId) return false;
  if (f.tokenId && e.tokenId !== f.tokenId && e.issuedTokenId !== f.tokenId) return false;
  if (f.grantId && e.grantId !== f.grantId) return false;
  if (f.grantType && e.grantType !== f.grantType) return false;
  if (f.refused !== undefined && e.status >= 400 !== f.refused) return false;
  if (f.from !== undefined && e.at < f.from) return false;
  if (f.to !== undefined && e.at > f.to) return false;
  return true;
}

export type Subscriber = (entries: readonly RequestLogEntry[]) => void;

export interface RequestLogPage {
  total: number;
  entries: RequestLogEntry[];
  next: number | null;
}

/** What the hooks, the control API and the console use: the ring here, or the shared table. */
export interface RequestLogStore {
  readonly capacity: number;
  readonly captureBodies: boolean;
  add(entry: Omit<RequestLogEntry, 'id'>): void;
  query(
    filter: RequestLogFilter,
    pageSize: number,
    before?: number,
  ): RequestLogPage | Promise<RequestLogPage>;
  find(id: number): RequestLogEntry | undefined | Promise<RequestLogEntry | undefined>;
  /** How many entries are kept now. */
  kept(): number | Promise<number>;
  clear(): void | Promise<void>;
  /**
   * Live batches of new entries; with `after`, the entries after that id come first (what a
   * reconnecting stream missed, as far as the log holds), with no gap before the live ones.
   */
  subscribe(subscriber: Subscriber, after?: number): (() => void) | Promise<() => void>;
}

/** One page of `entries` (newest first): the matching total, up to `pageSize` before the cursor. */
export function pageOf(
  newestFirst: Iterable<RequestLogEntry>,
  filter: RequestLogFilter,
  pageSize: number,
  before?: number,
): RequestLogPage {
  const entries: RequestLogEntry[] = [];
  let total = 0;
  let next: number | null = null;
  for (const entry of newestFirst) {
    if (!matchesFilter(entry, filter)) continue;
    total++;
    if (before !== undefined && entry.id >= before) continue;
    if (entries.length < pageSize) entries.push(entry);
    else if (next === null) next = (entries[entries.length - 1] as RequestLogEntry).id;
  }
  return { total, entries, next };
}

export class RequestLog implements RequestLogStore {
  private readonly ring: (RequestLogEntry | undefined)[];
  /** Index the next entry goes to. */
  private head = 0;
  private size = 0;
  private nextId = 1;
  private pending: RequestLogEntry[] = [];
  private flushScheduled = false;
  private readonly subscribers = new Set<Subscriber>();

  constructor(
    readonly capacity: number,
    /** Keep request and response bodies (redacted, bounded) in each entry. */
    readonly captureBodies = false,
  ) {
    this.ring = new Array(Math.max(1, capacity));
  }

  /** Queues an entry; it becomes visible (and is streamed) on the next turn of the event loop. */
  add(entry: Omit<RequestLogEntry, 'id'>): void {
    (entry as RequestLogEntry).id = this.nextId++;
    this.pending.push(entry as RequestLogEntry);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Moves queued entries into the ring and hands them to live subscribers. */
  readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    for (const entry of batch) {
      this.ring[this.head] = entry;
      this.head = (this.head + 1) % this.ring.length;
      if (this.size < this.ring.length) this.size++;
    }
    for (const subscriber of this.subscribers) {
      try {
        subscriber(batch);
      } catch {
        // A broken stream must not stop the others.
      }
    }
  };

  subscribe(subscriber: Subscriber, after?: number): () => void {
    // Replay and subscription in the same turn of the event loop: no entry falls between them.
    if (after !== undefined) {
      const missed = this.since(after);
      if (missed.length > 0) subscriber(missed);
    }
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private *newestFirst(): Generator<RequestLogEntry> {
    for (let i = 1; i <= this.size; i++) {
      yield this.ring[(this.head - i + this.ring.length) % this.ring.length] as RequestLogEntry;
    }
  }

  /** Newest first. `before` is a cursor: only entries with a smaller id. */
  query(filter: RequestLogFilter, pageSize: number, before?: number): RequestLogPage {
    this.flush();
    return pageOf(this.newestFirst(), filter, pageSize, before);
  }

  /** Entries after `id`, oldest first: what a reconnecting stream missed (as far as the ring holds). */
  private since(id: number): RequestLogEntry[] {
    this.flush();
    const out: RequestLogEntry[] = [];
    for (let i = this.size; i >= 1; i--) {
      const entry = this.ring[(this.head - i + this.ring.length) % this.ring.length] as RequestLogEntry;
      if (entry.id > id) out.push(entry);
    }
    return out;
  }

  kept(): number {
    return this.length;
  }

  /** One entry by id, while the ring still holds it. */
  find(id: number): RequestLogEntry | undefined {
    this.flush();
    for (let i = 1; i <= this.size; i++) {
      const entry = this.ring[(this.head - i + this.ring.length) % this.ring.length] as RequestLogEntry;
      if (entry.id === id) return entry;
      if (entry.id < id) return undefined;
    }
    return undefined;
  }

  clear(): void {
    this.flush();
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  get length(): number {
    return this.size + this.pending.length;
  }
}

export function presentEntry(e: RequestLogEntry) {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    real_at: new Date(e.realAt).toISOString(),
    method: e.method,
    path: e.path,
    status: e.status,
    code: e.code,
    error: e.error,
    duration_ms: Math.round(e.durationMs * 1000) / 1000,
    account_id: e.accountId,
    client_id: e.clientId,
    user_id: e.userId,
    grant_type: e.grantType,
    grant_id: e.grantId,
    token_id: e.tokenId,
    issued_token_id: e.issuedTokenId,
    reason: e.reason,
    rate_limit: e.rateLimit,
    fault_id: e.faultId,
    ...(e.bodies ? { bodies: e.bodies } : {}),
    emulated: e.emulated,
  };
}
