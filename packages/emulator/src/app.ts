/**
 * Builds a Zemu from a config: store, clock, keys, services, and the HTTP server with its three
 * faces: zoom.us/oauth/*, api.zoom.us/v2/* and the /_zemu control API. Routing is by path only.
 */
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import pino from 'pino';
import { OperationRegistry } from './api/generated/registry.js';
import { registrantsRoutes } from './api/meetings/registrants/routes.js';
import { meetingsRoutes } from './api/meetings/routes.js';
import { pastMeetingsRoutes } from './api/past-meetings/routes.js';
import { recordingDownloadRoutes } from './api/recordings/download.js';
import { recordingsRoutes } from './api/recordings/routes.js';
import { reportsRoutes } from './api/reports/routes.js';
import { installSpecValidation } from './api/spec/validate.js';
import { usersRoutes } from './api/users/routes.js';
import { v2Routes } from './api/v2.js';
import { Clock, parseClockState } from './clock.js';
import { ClockSaver, SharedSync } from './cluster/sync.js';
import type { ZemuConfig } from './config.js';
import { consoleShellRoutes } from './console/shell.js';
import type { Ctx } from './context.js';
import { controlRoutes, ZEMU_VERSION } from './control/routes.js';
import { hashPasswordAhead, Keys } from './crypto.js';
import { zoomErrors } from './errors/zoom.js';
import { authenticate } from './guard/bearer.js';
import { installCaller } from './guard/caller.js';
import { installBodyParsers } from './http/body.js';
import { installErrorHandling, sendError } from './http/errors.js';
import { syncFirstHook } from './http/hooks.js';
import { MAX_PARAM_LENGTH, unrouted } from './http/route-config.js';
import { withDownloadToken } from './recordings/produce.js';
import { prebuilt } from './store/prebuilt.js';
import './http/types.js';
import { installFaults } from './faults/hooks.js';
import { FaultRules } from './faults/rules.js';
import { trackingId } from './ids.js';
import { createWindowCounters, RedisWindowCounters, type WindowCounters } from './limits/counters.js';
import { RateLimiter } from './limits/limiter.js';
import { DailyQuotas } from './limits/quotas.js';
import { Sweeper } from './live/sweeper.js';
import { authorizeRoutes } from './oauth/authorize.js';
import { oauthRoutes } from './oauth/routes.js';
import { TokenService } from './oauth/tokens.js';
import { ZakService } from './oauth/zak.js';
import { meetingPageRoutes } from './pages/meeting-pages.js';
import { installRequestLog, recordOutsideHooks } from './requestlog/hooks.js';
import { RequestLog } from './requestlog/log.js';
import { SharedRequestLog } from './requestlog/shared.js';
import { readStateDocument } from './state/read.js';
import { StateService } from './state/service.js';
import { openDatabase } from './store/db.js';
import { Retention } from './store/retention.js';
import { Store } from './store/store.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { DEMO_PASSWORD, demoCredentials, ensureDemo } from './world/demo.js';
import { applySeed, readSeedFile, type SeedFile, type SeedSummary } from './world/seed.js';
import { World } from './world/world.js';

export interface BuiltZemu {
  app: FastifyInstance;
  ctx: Ctx;
  seeded: SeedSummary | null;
  storeLocation: string;
  /** Every route the app serves (method, URL pattern), as Fastify registered them; HEAD left out. */
  routes: readonly { method: string; url: string }[];
  /** Closes meetings at their scheduled end and prunes old past meetings (live/sweeper.ts). */
  sweeper: Sweeper;
  /** Sets the origin clients use, once the listening port is known. */
  setPublicUrl(url: string): void;
  /** Sets the HTTPS origin (with `tls`): answers to requests that came through it point at it. */
  setTlsUrl(url: string): void;
  close(): Promise<void>;
}

/** The state API itself, health, and the long-lived request stream do not wait at the state gate. */
const UNGATED = /^\/_zemu\/(reset|snapshots|export|import|health|requests\/stream)(?:[/?]|$)/;

/** How long a start waits for Redis before counting in memory (real ms). */
const REDIS_START_WAIT_MS = 3000;

function keyId(master: Buffer): string {
  return createHash('sha256').update(master).digest('base64url').slice(0, 12);
}

export async function buildZemu(config: ZemuConfig): Promise<BuiltZemu> {
  // A first start creates the demo owner with a scrypt hash: begun now, it runs beside the start.
  if (config.demo) hashPasswordAhead(DEMO_PASSWORD, prebuilt.hash(DEMO_PASSWORD));
  const logger = pino({ level: config.logLevel, base: { svc: 'zemu' } }, pino.destination(2));
  const opened = await openDatabase({
    memory: config.memory,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    onConnectionError: (err) =>
      logger.warn({ err }, 'an idle PostgreSQL connection failed; the next query opens another'),
  });
  const store = new Store(opened.db, opened.dialect);
  let counters: WindowCounters | undefined;
  try {
    // A document to start from is read and checked before anything is written.
    const importDoc = config.importFile ? readStateDocument(config.importFile) : undefined;
    let master: Buffer = Buffer.from(
      await store.meta.getOrInit('installation_key', () => randomBytes(64).toString('base64')),
      'base64',
    );
    const keys = new Keys(master);

    const savedClock = await store.meta.get('clock');
    const clockState = parseClockState(savedClock);
    if (savedClock !== undefined && !clockState) {
      // A damaged clock must not fail every request: real time, said loudly, and saved on next change.
      logger.warn(
        { stored: savedClock.slice(0, 200) },
        'the stored clock is unreadable or outside 1970..9999: running on real time (POST /_zemu/clock to set it)',
      );
    }
    const clock = new Clock(clockState ?? undefined);
    // A new store holds the clock's state from the start, as it will after any change, reset or
    // restore: the database is the same whether the clock was ever moved or not.
    if (savedClock === undefined) await store.meta.getOrInit('clock', () => JSON.stringify(clock.state()));
    const clockSaver = new ClockSaver(clock, store, logger as FastifyBaseLogger);

    let publicUrl =
      config.publicUrl ??
      `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    const world = new World(store, clock, keys);
    // One counter store (memory, or Redis shared by several processes) for limits and daily caps.
    counters = createWindowCounters(clock, config.redisUrl, config.redisPrefix, logger);
    // Counting starts in Redis when it answers at start; else in memory until it does (logged).
    if (counters instanceof RedisWindowCounters) await counters.ready(REDIS_START_WAIT_MS);
    const ctx: Ctx = {
      config,
      clock,
      store,
      keys,
      tokens: new TokenService(keys.accessToken, keyId(master), clock, store, config.retentionMs),
      zaks: new ZakService(keys.zak, clock),
      world,
      quotas: new DailyQuotas(clock, counters),
      limiter: new RateLimiter(clock, counters, (id) => store.accounts.findById(id), config.rateLimits),
      faults: new FaultRules(clock),
      // On PostgreSQL every process writes into one log, so any of them lists the requests of all.
      requestLog:
        store.dialect === 'postgres'
          ? new SharedRequestLog(
              store.shared,
              config.requestLogSize,
              config.captureBodies,
              logger as FastifyBaseLogger,
            )
          : new RequestLog(config.requestLogSize, config.captureBodies),
      log: logger,
      webhooks: new WebhookDispatcher(store, clock, logger as FastifyBaseLogger, (event, payload) =>
        withDownloadToken(keys.recordingDownload, event, payload),
      ),
      state: undefined as unknown as StateService,
      retention: new Retention(
        store,
        clock,
        {
          retentionMs: config.retentionMs,
          webhookRetentionMs: config.webhookRetentionMs,
          snapshotRetentionMs: config.snapshotRetentionMs,
        },
        logger as FastifyBaseLogger,
      ),
      demo: null,
      cluster: null,
      operations: new OperationRegistry(config.generated),
      publicUrl: () => publicUrl,
    };
    const seed = config.seed ?? (config.seedFile ? readSeedFile(config.seedFile) : undefined);
    ctx.state = new StateService(ctx, {
      seed,
      zemuVersion: ZEMU_VERSION,
      installationKey: () => master,
      // An import from another installation: every key derives from its master key.
      rekey,
    });
    function rekey(next: Buffer): void {
      master = next;
      ctx.keys = new Keys(next);
      ctx.tokens = new TokenService(ctx.keys.accessToken, keyId(next), clock, store);
      ctx.zaks = new ZakService(ctx.keys.zak, clock);
      ctx.world = new World(store, clock, ctx.keys);
    }
    if (store.dialect === 'postgres') {
      // Several processes on one database: the in-memory parts follow it (cluster/sync.ts).
      ctx.cluster = new SharedSync(
        ctx,
        clockSaver,
        async () => {
          // Another process reset, restored or imported: what this one derived from the old state goes.
          const key = Buffer.from(
            await store.meta.getOrInit('installation_key', () => master.toString('base64')),
            'base64',
          );
          if (!key.equals(master)) rekey(key);
          ctx.tokens.forgetVerified();
          ctx.limiter.invalidateAll();
          ctx.demo = config.demo ? await demoCredentials(store, ctx.keys) : null;
        },
        logger as FastifyBaseLogger,
      );
      await ctx.cluster.sync();
    }
    if (config.demo) ctx.demo = await ensureDemo(store, world, keys);
    const seeded = seed
      ? await applySeed(ctx.cluster ? withSeedFaultIds(seed) : seed, store, world, clock, ctx.faults)
      : null;
    await ctx.cluster?.settled();
    if (importDoc) await ctx.state.importDocument(importDoc);

    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      // Per-request lines would drown the log; the request log (control API) records requests instead.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: config.bodyLimit,
      routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
      // Zoom documents no HEAD on any operation; each automatic HEAD twin doubles a GET route's cost
      // at start (docs/compatibility.md).
      exposeHeadRoutes: false,
      return503OnClosing: true,
      // Errors the router raises before any route runs still answer in Zoom's shape.
      frameworkErrors: (error, request, reply) => {
        const mapped =
          error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? zoomErrors.uriTooLong() : zoomErrors.badUrl();
        reply.header('x-zm-trackingid', trackingId());
        request.zemuError = mapped;
        void sendError(reply, mapped, request.url);
        // No hook runs for these: the request log is told directly.
        if (config.requestLog) recordOutsideHooks(ctx.requestLog, clock, request, mapped.status, 0);
      },
    });
    // Each route as it is defined, or a dispatch route's operations: listed only when asked for.
    const defined: (readonly { method: string | string[]; url: string }[])[] = [];
    app.addHook('onRoute', (route) => {
      defined.push(route.config?.dispatch?.routes ?? [route]);
    });
    let routes: { method: string; url: string }[] | undefined;
    const listRoutes = () => {
      if (!routes) {
        routes = [];
        for (const r of defined.flat()) {
          for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
        }
      }
      return routes;
    };
    app.decorateRequest('principal', null);
    app.decorateRequest('zemuOperation', undefined);
    // Every request but the state API's own (and the request log's stream) passes the state gate.
    const gate = ctx.state.gate;
    app.addHook('onRequest', (request, reply, done) => {
      if (request.url.startsWith('/_zemu/') && UNGATED.test(request.url)) return done();
      const entered = gate.enter();
      if (entered === true) {
        reply.raw.once('close', gate.leave);
        return done();
      }
      entered.then(() => {
        reply.raw.once('close', gate.leave);
        done();
      }, done);
    });
    const cluster = ctx.cluster;
    if (cluster) {
      // Every request starts from what the database holds: a change on another process holds here
      // from this request on. A control answer waits until its own change is committed.
      app.addHook('onRequest', (_request, _reply, done) => {
        cluster.sync().then(() => done(), done);
      });
      app.addHook('onSend', (request, _reply, payload, done) => {
        if (!request.url.startsWith('/_zemu/')) return done(null, payload);
        cluster.settled().then(
          () => done(null, payload),
          (err: Error) => done(err),
        );
      });
    }
    app.decorateRequest('zemuError', null);
    // Hooks on the hot path are callback-style: an async hook costs a promise and a microtask turn.
    app.addHook('onRequest', (_request, reply, done) => {
      reply.header('x-zm-trackingid', trackingId());
      done();
    });
    installErrorHandling(app, listRoutes, config.bodyLimit);
    installBodyParsers(app);
    let tlsUrl: string | undefined;
    if (config.tls && !config.publicUrl) {
      // Handlers build URLs from the one public origin; a request that came in over HTTPS gets them
      // pointing at the HTTPS origin it came through. Only with --tls, so HTTP pays nothing for it.
      app.addHook('onSend', (request, _reply, payload, done) => {
        const encrypted = (request.raw.socket as { encrypted?: boolean }).encrypted === true;
        if (!encrypted || !tlsUrl || typeof payload !== 'string') return done(null, payload);
        done(null, payload.replace(originPattern(publicUrl), tlsUrl));
      });
    }
    if (config.requestLog) {
      installRequestLog(app, ctx.requestLog, clock);
    } else {
      app.decorateRequest('zemuTrace', null);
    }
    installFaults(app, ctx.faults, ctx.requestLog, clock);

    // Route groups are called, not registered, unless they need a prefix: none adds a hook or a
    // decorator of its own, and each encapsulated plugin costs about a millisecond of every start.
    await oauthRoutes(ctx)(app);
    await authorizeRoutes(ctx)(app);
    await meetingPageRoutes(ctx)(app);
    await recordingDownloadRoutes(ctx)(app);
    await app.register(
      async (v2) => {
        // Synchronous on the common path (SQLite, memory counters); a promise on PostgreSQL, during
        // an open transaction, for an account's first request in a second, or with Redis counters.
        v2.addHook(
          'onRequest',
          syncFirstHook((request) => {
            // A path the dispatch route serves no operation for answers 404/405 unguarded, as before.
            if (unrouted(request)) return;
            const principal = authenticate(
              ctx,
              request.headers.authorization,
              (request.query as Record<string, unknown>).access_token,
            );
            if (!(principal instanceof Promise)) {
              request.principal = principal;
              return;
            }
            return principal.then((p) => {
              request.principal = p;
            });
          }),
        );
        if (config.rateLimits) {
          v2.addHook(
            'onRequest',
            syncFirstHook((request, reply) => ctx.limiter.enforce(request, reply)),
          );
        }
        installSpecValidation(v2);
        installCaller(v2);
        ctx.operations.install(v2);
        // One dispatch route for every operation (api/v2.ts): the stateful ones as their resource
        // folders define them, then, unless --generated off, every other one answered from the spec.
        const resources = [
          usersRoutes,
          meetingsRoutes,
          registrantsRoutes,
          pastMeetingsRoutes,
          reportsRoutes,
          recordingsRoutes,
        ];
        await v2Routes(ctx, v2, async (sink) => {
          for (const routes of resources) await routes(ctx)(sink);
        });
      },
      { prefix: '/v2' },
    );
    await app.register(controlRoutes(ctx), { prefix: '/_zemu' });
    // The console's frame and assets carry no data: outside the gate (its fragments are inside).
    await app.register(consoleShellRoutes(), { prefix: '/_zemu/console' });
    ctx.webhooks.start();
    ctx.retention.start();
    // Moving the clock can make a great deal expire at once: prune soon, in batches, off the request.
    clock.onChange(() => ctx.retention.poke());
    // Meetings whose scheduled end the clock passed end now (webhooks sent), not on their next read.
    const sweeper = new Sweeper(ctx, logger as FastifyBaseLogger);
    sweeper.start();
    clock.onChange(() => sweeper.poke());

    return {
      app,
      ctx,
      seeded,
      get routes() {
        return listRoutes();
      },
      sweeper,
      storeLocation: opened.location,
      setPublicUrl(url: string) {
        publicUrl = config.publicUrl ?? url;
      },
      setTlsUrl(url: string) {
        tlsUrl = url;
      },
      async close() {
        if (ctx.requestLog instanceof SharedRequestLog) ctx.requestLog.close();
        await sweeper.stop();
        await ctx.retention.stop();
        await ctx.webhooks.stop();
        await app.close();
        await counters?.close();
        await store.close();
      },
    };
  } catch (error) {
    await counters?.close();
    await store.close();
    throw error;
  }
}

/**
 * Seed fault rules without an id get one from their place in the file, so that every process
 * starting from the seed on one database adds the same rules instead of one copy each.
 */
function withSeedFaultIds(seed: SeedFile): SeedFile {
  if (!seed.faults) return seed;
  return { ...seed, faults: seed.faults.map((rule, i) => ({ ...rule, id: rule.id ?? `seed-${i + 1}` })) };
}

const patterns = new Map<string, RegExp>();
/** The origin as it appears in URLs Zemu wrote: followed by a path, a quote, or the end. */
function originPattern(origin: string): RegExp {
  let pattern = patterns.get(origin);
  if (!pattern) {
    pattern = new RegExp(`${origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?=[/"?]|$)`, 'g');
    patterns.set(origin, pattern);
  }
  return pattern;
}
