/**
 * A group of routes served through ONE Fastify route (`<prefix>/*`) and a router built once per
 * process. Registering a Fastify route costs ~0.2 ms of every start (find-my-way compiles functions
 * for each, Fastify builds its context and hook lists); a test suite that starts a Zemu per test pays
 * that for every route of the group. The group's routes are defined as before, on a `RouteSink`
 * that records them: each start records its own handlers (they close over its `Ctx`), and the router,
 * which maps a request to the index of its route, is the same for every start whose routes are the
 * same (checked by their methods and URLs, in order).
 *
 * What a request goes through is unchanged: the group's hooks (the route lives in the group's
 * context), `request.params` as the route's own, Fastify's body parsing and reply. A route with
 * options of its own (a `bodyLimit`) stays a Fastify route. A path naming no route of the group
 * answers 404, 405 (with Allow) or 414 as Fastify's router does (http/errors.ts `answerUnrouted`);
 * the routes reach the consumers of `onRoute` as the dispatch route's `config.dispatch.routes`.
 */
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preValidationHookHandler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { answerUnrouted } from './errors.js';
import {
  type DispatchedOperation,
  MAX_PARAM_LENGTH,
  operationOf,
  TOO_LONG,
  type VirtualRoute,
} from './route-config.js';

/** What a group's route modules use of a Fastify instance. */
export type RouteSink = Pick<
  FastifyInstance,
  'get' | 'post' | 'put' | 'patch' | 'delete' | 'route' | 'addHook'
>;

/** The handler of an operation that answers 204 No Content once `run` has done its work, as Zoom's writes do. */
export function noContent<Route extends RouteGenericInterface>(
  run: (request: FastifyRequest<Route>) => unknown,
): RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Route> {
  const handler = async (request: FastifyRequest<Route>, reply: FastifyReply) => {
    await run(request);
    return reply.code(204).send();
  };
  // Fastify types a handler's reply by the route's Reply, which these routes leave open: a 204 has no body.
  return handler as unknown as RouteHandlerMethod<
    RawServerDefault,
    RawRequestDefaultExpression,
    RawReplyDefaultExpression,
    Route
  >;
}

/** A route as a module defined it on a `RouteSink`. */
export interface RecordedRoute {
  methods: string[];
  /** Relative to the group's prefix. */
  url: string;
  config: FastifyContextConfig;
  handler: RouteHandlerMethod;
}

export type DispatchRouter = FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;

/** A router of a dispatch route's operations, with Fastify's settings (see app.ts). */
export function dispatchRouter(): DispatchRouter {
  return FindMyWay({
    ignoreTrailingSlash: false,
    maxParamLength: MAX_PARAM_LENGTH,
    onMaxParamLength: () => undefined,
  });
}

/**
 * What `method url` names in `router`: the store it was registered with and the path's values; null
 * for nothing, TOO_LONG for a path segment over the parameter limit (414).
 */
export function lookup<S>(
  router: DispatchRouter,
  method: string,
  url: string,
): { store: S; params: Record<string, string> } | null | typeof TOO_LONG {
  const found = router.find(method as HTTPMethod, url);
  if (!found) return null;
  // The max-param-length answer has no store.
  if (found.store === null) return TOO_LONG;
  return { store: found.store as S, params: found.params as Record<string, string> };
}

/** Every method a dispatch route takes: those it serves none of answer 405 or 404 through it. */
const DISPATCH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const NO_CONFIG: FastifyContextConfig = Object.freeze({});

/** Routers by the group's prefix and routes; a start whose routes differ gets its own. */
const routers = new Map<string, { router: DispatchRouter; routes: VirtualRoute[] }>();

interface Matched extends DispatchedOperation {
  index: number;
}

/** What identifies a group's routes: its prefix and each route's methods and URL, in order. */
export function routesKey(prefix: string, recorded: readonly RecordedRoute[]): string {
  return `${prefix}\n${recorded.map((r) => `${r.methods.join(',')} ${r.url}`).join('\n')}`;
}

function routerFor(prefix: string, recorded: readonly RecordedRoute[]) {
  const key = routesKey(prefix, recorded);
  let entry = routers.get(key);
  if (!entry) {
    const router = dispatchRouter();
    recorded.forEach((r, index) => {
      // The store is an object: find-my-way keeps a falsy one (index 0) as null.
      const store = { index };
      for (const method of r.methods) router.on(method as HTTPMethod, `${prefix}${r.url}`, () => {}, store);
    });
    const routes = recorded.flatMap((r) =>
      r.methods.map((method) => ({ method, url: `${prefix}${r.url}`, config: r.config })),
    );
    entry = { router, routes };
    routers.set(key, entry);
  }
  return entry;
}

/**
 * Runs `define` on a sink that records its routes. A route with options other than `config` (a
 * `bodyLimit`) is registered in `app` as a Fastify route of its own; hooks `define` adds go to `app`.
 */
export async function recordRoutes(
  app: FastifyInstance,
  define: (sink: RouteSink) => Promise<void> | void,
): Promise<RecordedRoute[]> {
  const recorded: RecordedRoute[] = [];
  const add = (method: string | string[], url: string, options: unknown, handler?: unknown): void => {
    const opts = (typeof options === 'function' ? {} : options) as Record<string, unknown>;
    const h = (typeof options === 'function' ? options : (handler ?? opts.handler)) as RouteHandlerMethod;
    const { handler: _handler, method: _method, url: _url, config, ...rest } = opts;
    if (Object.keys(rest).length > 0) {
      app.route({ ...rest, ...(config ? { config } : {}), method: method as HTTPMethod, url, handler: h });
      return;
    }
    recorded.push({
      methods: [method].flat(),
      url,
      config: (config as FastifyContextConfig | undefined) ?? NO_CONFIG,
      handler: h,
    });
  };
  const shorthand = (method: string) => (url: string, options: unknown, handler?: unknown) =>
    add(method, url, options, handler);
  const sink = {
    get: shorthand('GET'),
    post: shorthand('POST'),
    put: shorthand('PUT'),
    patch: shorthand('PATCH'),
    delete: shorthand('DELETE'),
    route: (options: { method: string | string[]; url: string }) => add(options.method, options.url, options),
    addHook: app.addHook.bind(app),
  };
  // Fastify's overloads of these methods cannot be written out by an object literal; the sink takes
  // every form a route module uses (url, [options,] handler) and (options with handler).
  await define(sink as unknown as RouteSink);
  return recorded;
}

/** Defines `define`'s routes in `app` (a prefixed context) through one dispatch route. */
export async function dispatchGroup(
  app: FastifyInstance,
  define: (sink: RouteSink) => Promise<void> | void,
): Promise<void> {
  const recorded = await recordRoutes(app, define);
  const { router, routes } = routerFor(app.prefix, recorded);
  const handlers = recorded.map((r) => r.handler);
  const match = (method: string, url: string): Matched | null | typeof TOO_LONG => {
    const found = lookup<{ index: number }>(router, method, url);
    if (found === null || found === TOO_LONG) return found;
    const { index } = found.store;
    return { config: (recorded[index] as RecordedRoute).config, params: found.params, index };
  };
  dispatchRoute(app, {
    routes,
    match,
    serve(request, reply, matched) {
      request.params = matched.params;
      return (handlers[matched.index] as RouteHandlerMethod).call(this, request, reply);
    },
  });
}

/**
 * Registers a group's one route (`<prefix>/*`, every method): `serve` answers a request that names one
 * of `routes` (as `match` found it); one that names none answers 404, 405 or 414 as Fastify's router.
 */
export function dispatchRoute<M extends DispatchedOperation>(
  app: FastifyInstance,
  options: {
    routes: readonly VirtualRoute[];
    match: (method: string, url: string) => M | null | typeof TOO_LONG;
    /** The route's own config beside `dispatch`: the hooks read the matched operation's instead. */
    config?: FastifyContextConfig;
    preValidation?: preValidationHookHandler;
    serve: (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, matched: M) => unknown;
  },
): void {
  const { routes, match, serve } = options;
  app.route({
    method: [...DISPATCH_METHODS],
    url: '/*',
    config: { ...options.config, dispatch: { routes, match } },
    ...(options.preValidation ? { preValidation: options.preValidation } : {}),
    handler(request, reply) {
      const matched = operationOf(request) as M | null;
      if (!matched) return answerUnrouted(request, reply, match(request.method, request.url) === TOO_LONG);
      return serve.call(this, request, reply, matched);
    },
  });
}
