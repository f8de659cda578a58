/**
 * From the outbox to the customer's endpoint. A pass (1) fans queued events out into one delivery per
 * (event, subscription that wants it), (2) re-validates subscriptions whose 72 h are up and (3) makes
 * every attempt that is due on the emulated clock. Passes run one at a time per process; every piece
 * of work is claimed in the database first, so processes sharing PostgreSQL never do one twice.
 *
 * What starts a pass: an event being recorded, the clock changing (a jump can make retries due), a
 * real-time poll (events of other processes, the normal passing of time), and `deliverNow()`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { BACKGROUND_START_DELAY_MS } from '../config.js';
import { SerialPasses } from '../serial.js';
import type { App, Attempt, Delivery, OutboxEvent, Subscription } from '../store/models.js';
import type { DeliveryOutcome } from '../store/repos/webhooks/deliveries.js';
import type { Store } from '../store/store.js';
import { onEventRecorded } from './emit.js';
import { sendSigned } from './sender.js';
import { envelopeBody } from './signer.js';
import { appSecret, revalidate } from './subscriptions.js';

/** Zoom retries 5 min after the first attempt, 20 min after the first retry, 60 min after the second. */
export const RETRY_DELAYS_MS = [5 * 60_000, 20 * 60_000, 60 * 60_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Real-time ms between polls. */
const POLL_MS = 1000;
/** Real-time ms a claim lasts: longer than any attempt (3 s), so only a dead process's claim lapses. */
const CLAIM_MS = 30_000;
const PARALLEL_ATTEMPTS = 8;

export interface PassSummary {
  fanned_out: number;
  deliveries_created: number;
  revalidated: number;
  attempted: number;
  delivered: number;
  retrying: number;
  given_up: number;
}

const emptySummary = (): PassSummary => ({
  fanned_out: 0,
  deliveries_created: 0,
  revalidated: 0,
  attempted: 0,
  delivered: 0,
  retrying: 0,
  given_up: 0,
});

const USER_AUTHORIZED: readonly App['type'][] = ['oauth_user', 'oauth_account'];

/**
 * Turns a stored event's payload into what is sent: the payload, and fields the envelope carries
 * beside it (recording.completed's `download_token`), derived at sending time so no secret is stored.
 */
export type EnvelopeFinisher = (
  event: string,
  payload: Record<string, unknown>,
) => { payload: Record<string, unknown>; extra?: Record<string, unknown> };

export class WebhookDispatcher {
  /** Names this process's claims. */
  readonly owner = randomUUID();
  /** A pass not yet started will see everything committed before it starts: callers join it. */
  private readonly passes = new SerialPasses<PassSummary>(() => this.pass());
  private soonTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  private paused = false;
  private held = 0;
  private abort = new AbortController();
  /** Several processes on one PostgreSQL: asks whether the shared switch is paused before a pass. */
  private pausedCheck: (() => Promise<boolean>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    /** What is sent for a stored payload (e.g. a token signed at sending time); the payload itself by default. */
    private readonly finish: EnvelopeFinisher = (_event, payload) => ({ payload }),
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    // Shortly after: the recording transaction may not have committed yet (the poll catches stragglers).
    const offRecorded = onEventRecorded(this.clock, () => this.soon(20));
    const offClock = this.clock.onChange(() => this.soon(0));
    this.unsubscribe = () => {
      offRecorded();
      offClock();
    };
    this.pollTimer = setInterval(() => this.soon(0), POLL_MS);
    this.pollTimer.unref();
    this.soon(BACKGROUND_START_DELAY_MS);
  }

  /** Stops automatic passes and in-flight requests (their deliveries are released untried). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.pollTimer = null;
    this.soonTimer = null;
    this.abort.abort();
    await this.passes.idle();
  }

  /**
   * Runs `work` while no pass runs: in-flight attempts are aborted (their deliveries released
   * untried), the running pass is awaited, and passes start again afterwards. A reset, a restore or
   * an import replaces the tables under the dispatcher this way, never in the middle of a pass.
   */
  async whileHeld<T>(work: () => Promise<T>): Promise<T> {
    this.held++;
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.soonTimer = null;
    this.abort.abort();
    try {
      await this.passes.idle();
      return await work();
    } finally {
      this.held--;
      if (this.held === 0) {
        this.abort = new AbortController();
        this.soon(0);
      }
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Paused: nothing is delivered automatically; `deliverNow()` still is. In memory; on PostgreSQL
   * the control API also shares it (`cluster/sync.ts`), and `checkPausedWith` reads it before passes.
   */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.soon(0);
  }

  /** Before every automatic pass, `check` says whether the shared switch is paused (and brings the clock up to date). */
  checkPausedWith(check: () => Promise<boolean>): void {
    this.pausedCheck = check;
  }

  /** Runs a pass that starts after this call and resolves when it is done. */
  deliverNow(): Promise<PassSummary> {
    return this.runPass();
  }

  /** Something changed (a re-validation passed, ...): look again soon. */
  poke(): void {
    this.soon(0);
  }

  async status() {
    return {
      paused: this.paused,
      queued_events: await this.store.webhooks.fanout.count(),
      pending_deliveries: await this.store.webhooks.deliveries.countPending(),
    };
  }

  private soon(delayMs: number): void {
    if (this.stopped || this.paused || this.held > 0 || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      if (this.stopped || this.paused || this.held > 0) return;
      const run = () => {
        if (this.stopped || this.paused || this.held > 0) return;
        return this.runPass();
      };
      const check = this.pausedCheck;
      (check ? check().then(run) : Promise.resolve(run())).catch((err: unknown) =>
        this.log.error({ err }, 'webhook dispatch pass failed'),
      );
    }, delayMs);
    this.soonTimer.unref();
  }

  private runPass(): Promise<PassSummary> {
    return this.passes.next();
  }

  private async pass(): Promise<PassSummary> {
    const summary = emptySummary();
    if (this.stopped && this.abort.signal.aborted) return summary;
    await this.fanOut(summary);
    await this.revalidateDue(summary);
    await this.deliverDue(summary);
    return summary;
  }

  // --- (1) fan-out ---

  private async fanOut(summary: PassSummary): Promise<void> {
    for (;;) {
      const events = await this.store.webhooks.fanout.queued(100);
      if (events.length === 0) return;
      const subscriptions = await this.subscriptionsWithApps();
      // The common case (no subscription lists the event): off the queue in bulk, no transaction each.
      const wanted = new Set(subscriptions.flatMap(({ sub }) => sub.events as string[]));
      const unwanted = events.filter((e) => !wanted.has(e.event)).map((e) => e.id);
      let claimed = await this.store.webhooks.fanout.drop(unwanted);
      summary.fanned_out += claimed;
      for (const event of events) {
        if (!wanted.has(event.event)) continue;
        const created = await this.store.transaction(async (trx) => {
          if (!(await trx.webhooks.fanout.dequeue(event.id))) return -1;
          const targets = await this.targets(trx, event, subscriptions);
          const now = this.clock.now();
          for (const { sub, skip } of targets) {
            await trx.webhooks.deliveries.insert({
              id: randomUUID(),
              eventId: event.id,
              event: event.event,
              accountId: event.accountId,
              subscriptionId: sub.id,
              clientId: sub.clientId,
              endpointUrl: sub.endpointUrl,
              status: skip ? 'skipped' : 'pending',
              attemptCount: 0,
              nextAttemptAt: skip ? null : now,
              lastError: skip,
              createdAt: now,
              completedAt: skip ? now : null,
            });
          }
          return targets.length;
        });
        if (created >= 0) {
          claimed++;
          summary.fanned_out++;
          summary.deliveries_created += created;
        }
      }
      // Another process took every one of these: let it finish rather than spin on them.
      if (claimed === 0) return;
    }
  }

  private async subscriptionsWithApps(): Promise<{ sub: Subscription; app: App }[]> {
    const subs = await this.store.webhooks.subscriptions.list();
    const apps = new Map<string, App | undefined>();
    const out: { sub: Subscription; app: App }[] = [];
    for (const sub of subs) {
      if (!apps.has(sub.clientId)) apps.set(sub.clientId, await this.store.apps.findByClientId(sub.clientId));
      const app = apps.get(sub.clientId);
      if (app) out.push({ sub, app });
    }
    return out;
  }

  /**
   * Who receives an event: subscriptions listing it, of apps of the event's account, and of OAuth apps
   * of other accounts that hold a live grant in the event's account. `app_deauthorized` goes only to
   * the app it is about. Disabled apps and unvalidated subscriptions get a `skipped` record instead.
   */
  private async targets(
    store: Store,
    event: OutboxEvent,
    subscriptions: { sub: Subscription; app: App }[],
  ): Promise<{ sub: Subscription; skip: string | null }[]> {
    const out: { sub: Subscription; skip: string | null }[] = [];
    let payload: Record<string, unknown> | undefined;
    for (const { sub, app } of subscriptions) {
      if (!sub.events.includes(event.event as never)) continue;
      if (event.event === 'app_deauthorized') {
        payload ??= JSON.parse(event.payload) as Record<string, unknown>;
        if (payload.client_id !== app.clientId) continue;
      } else if (app.accountId !== event.accountId) {
        if (!USER_AUTHORIZED.includes(app.type)) continue;
        if (!(await store.tokens.holdsGrantIn(app.clientId, event.accountId, this.clock.now()))) continue;
      }
      const skip = !app.enabled
        ? 'the app is disabled'
        : !sub.validated
          ? `the subscription is not validated: ${sub.lastValidationError ?? 'URL validation failed'}`
          : null;
      out.push({ sub, skip });
    }
    return out;
  }

  // --- (2) re-validation ---

  private async revalidateDue(summary: PassSummary): Promise<void> {
    const due = await this.store.webhooks.subscriptions.dueRevalidations(this.clock.now(), Date.now());
    for (const sub of due) {
      if (this.abort.signal.aborted) return;
      const claimed = await this.store.webhooks.subscriptions.claimRevalidation(
        sub.id,
        this.clock.now(),
        Date.now(),
        Date.now() + CLAIM_MS,
      );
      if (!claimed) continue;
      const failure = await revalidate(this.store, this.clock, sub, this.abort.signal);
      summary.revalidated++;
      if (failure) this.log.warn({ subscription: sub.id, failure }, 'webhook endpoint failed re-validation');
    }
  }

  // --- (3) attempts ---

  private async deliverDue(summary: PassSummary): Promise<void> {
    const skip = new Set<string>();
    while (!this.abort.signal.aborted) {
      const due = await this.store.webhooks.deliveries.due(
        this.clock.now(),
        Date.now(),
        [...skip].slice(-500),
        50,
      );
      if (due.length === 0) return;
      let index = 0;
      const worker = async () => {
        while (index < due.length && !this.abort.signal.aborted) {
          const delivery = due[index++] as Delivery;
          const outcome = await this.attempt(delivery);
          if (outcome === 'not-claimed') skip.add(delivery.id);
          else if (outcome !== 'released') {
            summary.attempted++;
            summary[outcome]++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_ATTEMPTS, due.length) }, worker));
    }
  }

  private async attempt(
    delivery: Delivery,
  ): Promise<'not-claimed' | 'released' | 'delivered' | 'retrying' | 'given_up'> {
    const realNow = Date.now();
    const claimed = await this.store.webhooks.deliveries.claim(
      delivery.id,
      this.owner,
      this.clock.now(),
      realNow,
      realNow + CLAIM_MS,
    );
    if (!claimed) return 'not-claimed';
    const event = await this.store.webhooks.outbox.findById(delivery.eventId);
    const at = this.clock.now();
    const number = delivery.attemptCount + 1;
    const record = (
      result: Pick<
        Awaited<ReturnType<typeof sendSigned>>,
        'ok' | 'statusCode' | 'error' | 'snippet' | 'durationMs' | 'timestamp' | 'trackingId'
      >,
    ) => {
      const outcome = result.ok ? 'delivered' : number >= MAX_ATTEMPTS ? 'given_up' : 'retrying';
      return this.recordAttempt(
        {
          id: randomUUID(),
          deliveryId: delivery.id,
          number,
          at,
          durationMs: result.durationMs,
          statusCode: result.statusCode,
          error: result.error,
          responseSnippet: result.snippet,
          ok: result.ok,
          requestTimestamp: result.timestamp,
          trackingId: result.trackingId,
        },
        {
          status: outcome === 'delivered' ? 'delivered' : outcome === 'given_up' ? 'failed' : 'pending',
          nextAttemptAt: outcome === 'retrying' ? at + (RETRY_DELAYS_MS[number - 1] as number) : null,
          lastError: result.error,
          completedAt: outcome === 'retrying' ? null : at,
        },
      ).then(() => outcome);
    };
    if (!event) {
      return record({
        ok: false,
        statusCode: null,
        error: 'the event is no longer in the outbox',
        snippet: null,
        durationMs: 0,
        timestamp: Math.floor(Date.now() / 1000),
        trackingId: '',
      });
    }
    const secret = await appSecret(this.store, this.clock, delivery.clientId);
    const sent = this.finish(event.event, JSON.parse(event.payload) as Record<string, unknown>);
    const body = envelopeBody(event.event, event.eventTs, sent.payload, sent.extra);
    const result = await sendSigned(delivery.endpointUrl, body, secret, { signal: this.abort.signal });
    if (this.abort.signal.aborted && !result.ok) {
      await this.store.webhooks.deliveries.releaseClaim(delivery.id, this.owner);
      return 'released';
    }
    return record(result);
  }

  /** Records an attempt and the delivery's new state, if this process still holds the claim. */
  private recordAttempt(attempt: Attempt, next: DeliveryOutcome): Promise<void> {
    return this.store.transaction(async (trx) => {
      if (await trx.webhooks.deliveries.settleAttempt(this.owner, attempt, next))
        await trx.webhooks.attempts.insert(attempt);
    });
  }
}
