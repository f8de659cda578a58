/**
 * Every /v2 operation through ONE Fastify route (`/v2/*`) and a router built once per process: the
 * stateful operations, defined by their resource folders' `routes.ts` on a recording `RouteSink`
 * (http/dispatch.ts), and every other operation of Zoom's documents, answered from the spec
 * (api/generated). Registering a Fastify route costs ~0.2 ms of every start, and a test suite that
 * starts a Zemu per test pays it for each of the ~40 stateful routes and the dispatch of ~300
 * generated ones (docs/architecture.md, "Start-up").
 *
 * What a request goes through is unchanged: the bearer guard and the limiter (onRequest, from the
 * operation's `scopes` and `rateLimitLabel`, read through http/route-config.ts), the spec hook (query
 * and body, 400 code 300, as this route's preValidation), the caller, the fault hooks and the request
 * log; the handler gets `request.params` as its own route's. Static paths win over parameters as in
 * Fastify's router (the same find-my-way): `GET /users/summary`, generated, over the stateful
 * `GET /users/{userId}`. A path naming no operation answers 404, 405 (with Allow) or 414 as Fastify's
 * router did, unguarded and uncounted. The operations reach the consumers of `onRoute` (the served
 * list, the 405 router, the registry) as the route's `config.dispatch.routes`.
 */
import type { FastifyContextConfig, FastifyInstance, RouteHandlerMethod } from 'fastify';
import type { HTTPMethod } from 'find-my-way';
import type { Ctx } from '../context.js';
import {
  type DispatchRouter,
  dispatchRoute,
  dispatchRouter,
  lookup,
  type RecordedRoute,
  type RouteSink,
  recordRoutes,
  routesKey,
} from '../http/dispatch.js';
import { syncFirstHook } from '../http/hooks.js';
import { type DispatchedOperation, operationOf, TOO_LONG, type VirtualRoute } from '../http/route-config.js';
import { OPERATIONS, type OperationInfo, operationKey } from './generated/catalog.js';
import { type GeneratedHandler, generatedConfig, generatedHandler, routeUrl } from './generated/routes.js';
import { type SpecCheck, specPath, specValidator } from './spec/validate.js';

/**
 * An operation in the router: the same for every start of the process. Its validator is made on its
 * first request, by any start; its handler is each start's own (`index` into that start's list).
 */
interface Entry {
  index: number;
  method: string;
  /** The spec's path template (`/users/{userId}`). */
  path: string;
  config: FastifyContextConfig;
  /** Set for an operation answered from the spec. */
  generated?: OperationInfo;
  validator?: SpecCheck | null;
}

interface Matched extends DispatchedOperation {
  entry: Entry;
}

interface Plan {
  /** The stateful routes' entries, in the order they were defined, then the generated ones. */
  entries: Entry[];
  routes: VirtualRoute[];
  router: () => DispatchRouter;
}

const plans = new Map<string, Plan>();

/** The plan for these stateful routes: computed once per process for each (every start defines the same). */
function planFor(prefix: string, stateful: readonly RecordedRoute[], generatedOn: boolean): Plan {
  const key = `${generatedOn}\n${routesKey(prefix, stateful)}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = makePlan(prefix, stateful, generatedOn);
    plans.set(key, plan);
  }
  return plan;
}

function makePlan(prefix: string, stateful: readonly RecordedRoute[], generatedOn: boolean): Plan {
  const entries: Entry[] = [];
  for (const r of stateful) {
    for (const method of r.methods) {
      entries.push({ index: entries.length, method, path: specPath(r.url, ''), config: r.config });
    }
  }
  if (generatedOn) {
    const statefulKeys = new Set(entries.map((e) => operationKey(e.method, e.path)));
    for (const op of OPERATIONS) {
      if (statefulKeys.has(operationKey(op.method, op.path))) continue;
      entries.push({
        index: entries.length,
        method: op.method,
        path: op.path,
        config: generatedConfig(op),
        generated: op,
      });
    }
  }
  const routes: VirtualRoute[] = entries.map((e) => ({
    method: e.method,
    url: `${prefix}${routeUrl(e.path)}`,
    config: e.config,
  }));
  // Built on the first request any start gets.
  let router: DispatchRouter | undefined;
  const build = (): DispatchRouter => {
    const r = dispatchRouter();
    for (const e of entries) r.on(e.method as HTTPMethod, `${prefix}${routeUrl(e.path)}`, () => {}, e);
    return r;
  };
  return { entries, routes, router: () => (router ??= build()) };
}

/** Defines every /v2 operation in `app` (the /v2 context): `define` adds the stateful routes. */
export async function v2Routes(
  ctx: Ctx,
  app: FastifyInstance,
  define: (sink: RouteSink) => Promise<void> | void,
): Promise<void> {
  const stateful = await recordRoutes(app, define);
  const plan = planFor(app.prefix, stateful, ctx.config.generated);
  // This start's handlers: the stateful ones as defined, the generated ones made on first use.
  const handlers: RouteHandlerMethod[] = stateful.flatMap((r) => r.methods.map(() => r.handler));
  const generated: (GeneratedHandler | undefined)[] = [];
  const match = (method: string, url: string): Matched | null | typeof TOO_LONG => {
    const found = lookup<Entry>(plan.router(), method, url);
    if (found === null || found === TOO_LONG) return found;
    return { config: found.store.config, params: found.params, entry: found.store };
  };
  dispatchRoute(app, {
    routes: plan.routes,
    match,
    // Stands for its operations' configs: the hooks read the matched operation's (http/route-config.ts).
    config: { scopes: { classic: [], granular: [] } },
    preValidation: syncFirstHook((request) => {
      const entry = (operationOf(request) as Matched | null)?.entry;
      if (!entry) return;
      if (entry.validator === undefined) entry.validator = specValidator(entry.method, entry.path) ?? null;
      return entry.validator?.(request);
    }),
    serve(request, reply, { entry, params }) {
      if (entry.generated) {
        let handler = generated[entry.index];
        if (!handler) {
          handler = generatedHandler(ctx, entry.generated);
          generated[entry.index] = handler;
        }
        return handler(request, reply, params);
      }
      request.params = params;
      return (handlers[entry.index] as RouteHandlerMethod).call(this, request, reply);
    },
  });
}
