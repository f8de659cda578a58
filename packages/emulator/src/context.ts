/** What every handler gets: settings, the clock, the store and the services built on them. */
import type { FastifyBaseLogger } from 'fastify';
import type { OperationRegistry } from './api/generated/registry.js';
import type { Clock } from './clock.js';
import type { SharedSync } from './cluster/sync.js';
import type { ZemuConfig } from './config.js';
import type { Keys } from './crypto.js';
import type { FaultRules } from './faults/rules.js';
import type { RateLimiter } from './limits/limiter.js';
import type { DailyQuotas } from './limits/quotas.js';
import type { TokenService } from './oauth/tokens.js';
import type { ZakService } from './oauth/zak.js';
import type { RequestLogStore } from './requestlog/log.js';
import type { StateService } from './state/service.js';
import type { Retention } from './store/retention.js';
import type { Store } from './store/store.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';
import type { DemoCredentials } from './world/demo.js';
import type { World } from './world/world.js';

export interface Ctx {
  config: ZemuConfig;
  clock: Clock;
  store: Store;
  keys: Keys;
  tokens: TokenService;
  zaks: ZakService;
  world: World;
  /** Zoom's per-day caps (user creations per account, meeting writes per host). */
  quotas: DailyQuotas;
  /** Zoom's rate limits by label and plan (counters in memory or Redis, shared with `quotas`). */
  limiter: RateLimiter;
  /** Fault rules set from the control API or the seed file. */
  faults: FaultRules;
  /** Every /oauth and /v2 request, newest last, bounded. */
  requestLog: RequestLogStore;
  log: FastifyBaseLogger;
  /** Webhook delivery: outbox -> subscriptions -> signed POSTs with Zoom's retries. */
  webhooks: WebhookDispatcher;
  /** Reset, snapshots, export and import of the whole state, and the gate requests pass. */
  state: StateService;
  /** Prunes expired tokens, codes and finished webhook work on the emulated clock. */
  retention: Retention;
  demo: DemoCredentials | null;
  /** On PostgreSQL: keeps the clock, fault rules, switches and caches in step with other processes; else null. */
  cluster: SharedSync | null;
  /** Every operation of Zoom's documents and how this Zemu answers it (GET /_zemu/operations). */
  operations: OperationRegistry;
  /** The origin clients reach Zemu at (http://127.0.0.1:9600), known once the server listens. */
  publicUrl(): string;
}
