/**
 * Fault rules: what a test asks Zemu to get wrong on purpose. A rule matches requests by method,
 * path pattern, app, account or user; fires a number of times or with a probability; and answers
 * with a status and body, adds latency, resets the connection, or lets the operation happen and
 * drops its response. Rules expire by themselves on the emulated clock. Kept in memory; on
 * PostgreSQL also in a table every process shares (a `FaultBackend`, `shared/sync.ts`): changes are
 * written through, and a counted rule's fire is taken from the table atomically, so a count is used
 * up exactly once across processes.
 */

import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { isObject, requireObjectField } from '../http/input.js';

export type FaultAction = 'error' | 'latency' | 'reset' | 'drop';
export const FAULT_ACTIONS: readonly FaultAction[] = ['error', 'latency', 'reset', 'drop'];

export interface FaultRuleInput {
  id?: string;
  method?: string;
  /** `/v2/users/*` (one segment), `/v2/**` (anything), `:userId` or `{userId}` (one segment). */
  path: string;
  client_id?: string;
  account_id?: string;
  user_id?: string;
  action: FaultAction;
  /** For `error`: the status and body to answer with (body defaults to Zoom's for the status). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Delay before acting (the whole effect of `latency`; may accompany any action). */
  latency_ms?: number;
  /** Fire at most this many times, then the rule is removed. */
  count?: number;
  /** Fire on this share of matching requests (0..1). Default 1. */
  probability?: number;
  /** Remove the rule this many emulated seconds after it was added. */
  ttl_seconds?: number;
  /** Or at this emulated time (ISO 8601). */
  expires_at?: string;
}

export interface FaultRule {
  id: string;
  method: string | null;
  path: string;
  pattern: RegExp;
  clientId: string | null;
  accountId: string | null;
  userId: string | null;
  action: FaultAction;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  latencyMs: number;
  remaining: number | null;
  probability: number;
  expiresAt: number | null;
  createdAt: number;
  fired: number;
}

export interface FaultSubject {
  method: string;
  path: string;
  clientId: string | null;
  accountId: string | null;
  userId: string | null;
}

export function compilePattern(path: string): RegExp {
  let out = '';
  for (let i = 0; i < path.length; ) {
    if (path.startsWith('**', i)) {
      out += '.*';
      i += 2;
    } else if (path[i] === '*') {
      out += '[^/]*';
      i += 1;
    } else if (path[i] === ':' || path[i] === '{') {
      const end = path[i] === ':' ? path.slice(i + 1).search(/[^A-Za-z0-9_]/) : path.indexOf('}', i) - i - 1;
      const length = end < 0 ? path.length - i - 1 : end;
      out += '[^/]+';
      i += 1 + length + (path[i] === '{' ? 1 : 0);
    } else {
      out += (path[i] as string).replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  return new RegExp(`^${out}$`);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request.',
  401: 'Invalid access token.',
  403: 'Forbidden.',
  404: 'Not Found.',
  409: 'Conflict.',
  429: 'You have reached the maximum per-second rate limit for this API. Try again later.',
  500: 'Internal Error.',
  502: 'Bad Gateway.',
  503: 'Service Unavailable.',
  504: 'Gateway Timeout.',
};

/** Zoom's body for a status when the rule gives none: `{code, message}` on /v2, OAuth's on /oauth. */
export function defaultFaultBody(status: number, path: string): unknown {
  if (path.startsWith('/oauth/')) {
    return {
      reason: STATUS_TEXT[status] ?? 'Error.',
      error: status >= 500 ? 'server_error' : 'invalid_request',
    };
  }
  return { code: status === 401 ? 124 : status, message: STATUS_TEXT[status] ?? `Error ${status}.` };
}

export function validateFaultInput(input: unknown, prefix = ''): asserts input is FaultRuleInput {
  const r = requireObjectField(input, prefix || 'body');
  const errors: FieldError[] = [];
  const bad = (field: string, message: string) => errors.push({ field: `${prefix}${field}`, message });
  if (typeof r.path !== 'string' || !r.path.startsWith('/') || r.path.length > 512)
    bad('path', 'Required: a path pattern starting with /, e.g. /v2/users/*/token.');
  if (!FAULT_ACTIONS.includes(r.action as FaultAction))
    bad('action', `Must be one of ${FAULT_ACTIONS.join(', ')}.`);
  if (r.id !== undefined && (typeof r.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(r.id)))
    bad('id', 'Invalid field.');
  if (r.method !== undefined && (typeof r.method !== 'string' || !/^([A-Za-z]{1,10}|\*)$/.test(r.method)))
    bad('method', 'Must be an HTTP method or *.');
  for (const key of ['client_id', 'account_id', 'user_id'] as const) {
    if (r[key] !== undefined && (typeof r[key] !== 'string' || (r[key] as string).length > 128))
      bad(key, 'Must be a string.');
  }
  if (
    r.action === 'error' &&
    (!Number.isInteger(r.status) || (r.status as number) < 400 || (r.status as number) > 599)
  )
    bad('status', 'Required for action error: an HTTP status from 400 to 599.');
  if (r.body !== undefined && (typeof r.body !== 'object' || r.body === null))
    bad('body', 'Must be a JSON object.');
  if (
    r.headers !== undefined &&
    (typeof r.headers !== 'object' ||
      r.headers === null ||
      Object.values(r.headers).some((v) => typeof v !== 'string'))
  )
    bad('headers', 'Must be an object of strings.');
  if (
    r.latency_ms !== undefined &&
    (!Number.isInteger(r.latency_ms) || (r.latency_ms as number) < 0 || (r.latency_ms as number) > 600_000)
  )
    bad('latency_ms', 'Must be an integer from 0 to 600000.');
  if (r.action === 'latency' && r.latency_ms === undefined) bad('latency_ms', 'Required for action latency.');
  if (r.count !== undefined && (!Number.isInteger(r.count) || (r.count as number) < 1))
    bad('count', 'Must be a positive integer.');
  if (
    r.probability !== undefined &&
    (typeof r.probability !== 'number' || r.probability < 0 || r.probability > 1)
  )
    bad('probability', 'Must be a number from 0 to 1.');
  if (r.ttl_seconds !== undefined && (typeof r.ttl_seconds !== 'number' || !(r.ttl_seconds > 0)))
    bad('ttl_seconds', 'Must be a positive number of seconds.');
  if (
    r.expires_at !== undefined &&
    (typeof r.expires_at !== 'string' || Number.isNaN(Date.parse(r.expires_at)))
  )
    bad('expires_at', 'Must be an ISO 8601 time.');
  if (errors.length > 0) throw zoomErrors.validation(errors);
}

/** Where the rules are shared with other processes (PostgreSQL); absent: this process only. */
export interface FaultBackend {
  load(): Promise<SavedFaultRule[]>;
  put(rule: SavedFaultRule): Promise<void>;
  remove(id: string): Promise<void>;
  /** Replaces every rule (an empty list clears them). */
  replace(rules: SavedFaultRule[]): Promise<void>;
  /** Takes one fire of a counted rule: the count left, or null when none was left. */
  consume(id: string): Promise<number | null>;
  /** Counts a fire of a rule without a count (best effort). */
  fired(id: string): void;
}

export class FaultRules {
  private rules: FaultRule[] = [];
  private backend: FaultBackend | null = null;
  /** Write-through of changes to the backend, in order. */
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /** Shares the rules through `backend` from now on (PostgreSQL). */
  share(backend: FaultBackend): void {
    this.backend = backend;
  }

  get shared(): boolean {
    return this.backend !== null;
  }

  /** No write-through pending: what memory holds is what the backend holds (as far as this process knows). */
  get settledNow(): boolean {
    return this.pendingWrites === 0;
  }

  /** Resolves once every change made so far is written to the backend (rejects if a write failed). */
  settled(): Promise<void> {
    return this.writes;
  }

  /** Takes the backend's rules as they are now (no-op without one, or while own writes are pending). */
  async refresh(): Promise<void> {
    if (!this.backend || this.pendingWrites > 0) return;
    const saved = await this.backend.load();
    if (this.pendingWrites > 0) return;
    const rules: FaultRule[] = [];
    saved.forEach((rule, index) => {
      try {
        rules.push(restoreRule(rule, index));
      } catch {
        // A row this version cannot read is left out rather than failing every request.
      }
    });
    this.rules = rules;
  }

  private write(work: (backend: FaultBackend) => Promise<void>): void {
    const backend = this.backend;
    if (!backend) return;
    this.pendingWrites++;
    const next = this.writes
      .catch(() => undefined)
      .then(() => work(backend))
      .finally(() => {
        this.pendingWrites--;
      });
    // The chain keeps going after a failed write (the backend logs it); settled() reports the
    // failure to whoever waits.
    next.catch(() => undefined);
    this.writes = next;
  }

  /** True when there is nothing to match: the hot path's only cost. */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  add(input: FaultRuleInput): FaultRule {
    validateFaultInput(input);
    const now = this.clock.now();
    const rule: FaultRule = {
      id: input.id ?? `f_${randomBytes(6).toString('hex')}`,
      method: input.method && input.method !== '*' ? input.method.toUpperCase() : null,
      path: input.path,
      pattern: compilePattern(input.path),
      clientId: input.client_id ?? null,
      accountId: input.account_id ?? null,
      userId: input.user_id ?? null,
      action: input.action,
      status: input.status ?? 0,
      body: input.body,
      headers: input.headers ?? {},
      latencyMs: input.latency_ms ?? 0,
      remaining: input.count ?? null,
      probability: input.probability ?? 1,
      expiresAt:
        input.expires_at !== undefined
          ? Date.parse(input.expires_at)
          : input.ttl_seconds !== undefined
            ? now + Math.round(input.ttl_seconds * 1000)
            : null,
      createdAt: now,
      fired: 0,
    };
    // Same id: the new rule replaces the old one (a seed file loaded twice stays one rule).
    this.rules = this.rules.filter((r) => r.id !== rule.id);
    this.rules.push(rule);
    const saved = toSaved(rule);
    this.write((backend) => backend.put(saved));
    return rule;
  }

  list(): FaultRule[] {
    this.prune();
    return [...this.rules];
  }

  get(id: string): FaultRule | undefined {
    this.prune();
    return this.rules.find((r) => r.id === id);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    const removed = this.rules.length < before;
    if (removed) this.write((backend) => backend.remove(id));
    return removed;
  }

  clear(): void {
    this.rules = [];
    this.write((backend) => backend.replace([]));
  }

  /** The rules as plain data, counters included (a snapshot); `replace` takes them back. */
  saved(): SavedFaultRule[] {
    return this.rules.map(toSaved);
  }

  /** Replaces every rule by saved ones, checked first: a bad list changes nothing. */
  replace(saved: unknown): void {
    if (!Array.isArray(saved)) throw new TypeError('fault rules must be a list');
    const rules = saved.map((rule, index) => restoreRule(rule, index));
    this.rules = rules;
    const copy = rules.map(toSaved);
    this.write((backend) => backend.replace(copy));
  }

  private prune(): void {
    const now = this.clock.now();
    if (this.rules.some((r) => r.expiresAt !== null && r.expiresAt <= now)) {
      this.rules = this.rules.filter((r) => r.expiresAt === null || r.expiresAt > now);
    }
  }

  /**
   * The first live rule matching the request, counted as fired; undefined when none fires. A promise
   * only when a counted rule matches and the rules are shared: its fire is taken from the backend.
   */
  match(
    subject: FaultSubject,
    phase: 'arrival' | 'identified' = 'identified',
  ): FaultRule | undefined | Promise<FaultRule | undefined> {
    this.prune();
    return this.matchFrom(this.rules.slice(), 0, subject, phase);
  }

  private matchFrom(
    rules: FaultRule[],
    start: number,
    subject: FaultSubject,
    phase: 'arrival' | 'identified',
  ): FaultRule | undefined | Promise<FaultRule | undefined> {
    for (let i = start; i < rules.length; i++) {
      const rule = rules[i] as FaultRule;
      const identified = rule.clientId !== null || rule.accountId !== null || rule.userId !== null;
      if (identified !== (phase === 'identified')) continue;
      if (rule.method && rule.method !== subject.method) continue;
      if (!rule.pattern.test(subject.path)) continue;
      if (rule.clientId && rule.clientId !== subject.clientId) continue;
      if (rule.accountId && rule.accountId !== subject.accountId) continue;
      if (rule.userId && rule.userId !== subject.userId) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      const backend = this.backend;
      if (backend && rule.remaining !== null) {
        return backend.consume(rule.id).then((left) => {
          if (left === null) {
            // Used up by another process: gone here too; the next rule may match.
            this.rules = this.rules.filter((r) => r !== rule);
            return this.matchFrom(rules, i + 1, subject, phase);
          }
          rule.fired++;
          rule.remaining = left;
          if (left <= 0) this.rules = this.rules.filter((r) => r !== rule);
          return rule;
        });
      }
      if (backend) backend.fired(rule.id);
      rule.fired++;
      if (rule.remaining !== null && --rule.remaining <= 0) this.remove(rule.id);
      return rule;
    }
    return undefined;
  }
}

export type SavedFaultRule = Omit<FaultRule, 'pattern'>;

function toSaved({ pattern: _pattern, ...rule }: FaultRule): SavedFaultRule {
  return { ...rule, headers: { ...rule.headers } };
}

function restoreRule(input: unknown, index: number): FaultRule {
  const bad = (field: string): never => {
    throw new TypeError(`fault rule ${index}: ${field} is not valid`);
  };
  if (!isObject(input)) bad('the rule');
  const r = input as Record<string, unknown>;
  const str = (k: string) => typeof r[k] === 'string' || bad(k);
  const strOrNull = (k: string) => r[k] === null || typeof r[k] === 'string' || bad(k);
  const num = (k: string) => (typeof r[k] === 'number' && Number.isFinite(r[k])) || bad(k);
  const numOrNull = (k: string) => r[k] === null || num(k);
  str('id');
  str('path');
  strOrNull('method');
  strOrNull('clientId');
  strOrNull('accountId');
  strOrNull('userId');
  if (!FAULT_ACTIONS.includes(r.action as FaultAction)) bad('action');
  num('status');
  num('latencyMs');
  numOrNull('remaining');
  num('probability');
  numOrNull('expiresAt');
  num('createdAt');
  num('fired');
  if (
    typeof r.headers !== 'object' ||
    r.headers === null ||
    Object.values(r.headers).some((v) => typeof v !== 'string')
  )
    bad('headers');
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'object') bad('body');
  if (!(r.path as string).startsWith('/')) bad('path');
  const rule = r as unknown as SavedFaultRule;
  return { ...rule, headers: { ...rule.headers }, pattern: compilePattern(rule.path) };
}

export function presentFault(rule: FaultRule) {
  return {
    id: rule.id,
    method: rule.method ?? '*',
    path: rule.path,
    client_id: rule.clientId,
    account_id: rule.accountId,
    user_id: rule.userId,
    action: rule.action,
    ...(rule.action === 'error' ? { status: rule.status, body: rule.body ?? null } : {}),
    headers: rule.headers,
    latency_ms: rule.latencyMs,
    remaining: rule.remaining,
    probability: rule.probability,
    expires_at: rule.expiresAt === null ? null : new Date(rule.expiresAt).toISOString(),
    created_at: new Date(rule.createdAt).toISOString(),
    fired: rule.fired,
  };
}
