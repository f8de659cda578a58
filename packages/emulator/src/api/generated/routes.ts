/**
 * Every operation of Zoom's documents that no stateful route serves, answered from the spec. The route
 * goes through what a stateful one does: the bearer guard and the limiter (onRequest, from the route's
 * `scopes` and `rateLimitLabel`), the spec hook (query and body, 400 code 300), the fault hooks and the
 * request log. The handler then checks the operation's scopes (4711), resolves the user and the meeting
 * the path names against the world (the documented 1001 / 3001 when there is none), and answers the
 * documented success with a body generated from the response schema, carrying the world's ids.
 */
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { Ctx } from '../../context.js';
import { ZoomRefusal, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import type { Principal } from '../../guard/principal.js';
import { requireScopes } from '../../guard/scopes.js';
import { resolveUser } from '../../guard/target.js';
import { answerUnrouted } from '../../http/errors.js';
import {
  type DispatchedOperation,
  MAX_PARAM_LENGTH,
  operationOf,
  TOO_LONG,
  type VirtualRoute,
} from '../../http/route-config.js';
import type { Meeting } from '../../store/models.js';
import { isObject } from '../input.js';
import { meetingErrors } from '../meetings/errors.js';
import { specValidator } from '../spec/validate.js';
import {
  type DocumentedError,
  OPERATIONS,
  type OperationInfo,
  operationKey,
  operationSchemas,
  scopeRuleOf,
} from './catalog.js';
import { generate, type Schema, substitute } from './generate.js';
import type { OperationRegistry } from './registry.js';

export const EMULATED_HEADER = 'x-zemu-emulated';
const MAX_ECHO = 256;

/** `/users/{userId}/assistants` -> `/users/:userId/assistants`. */
export function routeUrl(template: string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** The document's own 1001 / 3001 text for this operation, with the value the path gave. */
function documented(doc: DocumentedError | undefined, code: number, value: string): ZoomRefusal | undefined {
  if (!doc) return undefined;
  return zoomErrors.documented(doc.status, code, doc.text.replace('{}', value.slice(0, MAX_ECHO)));
}

/** Zoom documents double-encoded meeting UUIDs (`/` and `//` in them): undo a second encoding. */
function decodeOnceMore(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The meeting `{meetingId}` (a number, or an instance uuid) names in the caller's account. */
async function worldMeeting(ctx: Ctx, principal: Principal, value: string): Promise<Meeting | undefined> {
  let meeting: Meeting | undefined;
  if (/^\d{1,15}$/.test(value)) meeting = await ctx.store.meetings.findById(Number(value));
  else if (value.length > 0 && value.length <= MAX_ECHO) {
    meeting = await ctx.store.meetings.findByUuid(decodeOnceMore(value));
  }
  return meeting && meeting.accountId === principal.accountId ? meeting : undefined;
}

/** `webinarId` -> `webinar_id`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The base bodies, one per operation, generated once: generation is deterministic, and a request only
 * changes top-level fields (a shallow copy is enough).
 */
const bases = new Map<string, unknown>();

function baseBody(key: string, schema: Schema): unknown {
  let base = bases.get(key);
  if (base === undefined) {
    base = generate(schema);
    bases.set(key, base);
  }
  return isObject(base) ? { ...base } : base;
}

function handlerFor(ctx: Ctx, op: OperationInfo) {
  const key = operationKey(op.method, op.path);
  const params = [...op.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);
  const last = params.at(-1);
  return async (
    request: { caller: Caller | null },
    reply: {
      code(status: number): { send(body?: unknown): unknown };
      header(name: string, value: string): unknown;
    },
    path: Record<string, string>,
  ) => {
    const { principal, rule } = request.caller as Caller;
    // Set first: the 1001/3001/4711 this handler decides are answers of the generated operation too.
    reply.header(EMULATED_HEADER, 'generated');
    // Zoom checks the token's scopes before it looks anything up: any accepted scope first.
    requireScopes(principal.scopes, rule, { isMe: true, isSelf: true });
    const values: Record<string, unknown> = { account_id: principal.accountId };
    for (const name of params) {
      const value = path[name];
      if (value === undefined) continue;
      values[snake(name)] = value;
      if (name === last) values.id = value;
    }
    let target = { isMe: false, isSelf: true };
    if (path.userId !== undefined) {
      const userId = path.userId;
      try {
        const resolved = await resolveUser(ctx.store, principal, userId);
        target = resolved.viaSharedAccess ? { ...resolved, isSelf: true } : resolved;
        values.user_id = resolved.user.id;
        values.host_id = resolved.user.id;
        values.host_email = resolved.user.email;
        if (last === 'userId') values.id = resolved.user.id;
      } catch (error) {
        if (error instanceof ZoomRefusal && error.code === 1001) {
          throw documented(op.notFound.user, 1001, userId) ?? error;
        }
        throw error;
      }
    }
    const meetingParam = path.meetingId ?? path.meetingUUID;
    if (meetingParam !== undefined) {
      const meeting = await worldMeeting(ctx, principal, meetingParam);
      if (!meeting) {
        throw (
          documented(op.notFound.meeting, 3001, meetingParam) ??
          meetingErrors.notFound(meetingParam.slice(0, MAX_ECHO), 'no such meeting in this account')
        );
      }
      target = { isMe: false, isSelf: meeting.hostId === principal.user?.id };
      Object.assign(values, {
        meeting_id: meeting.id,
        uuid: meeting.uuid,
        host_id: meeting.hostId,
        topic: meeting.topic,
      });
      if (last === 'meetingId' || last === 'meetingUUID') values.id = meeting.id;
    }
    // Acting on another user's things needs an `:admin` scope, as on the stateful routes.
    requireScopes(principal.scopes, rule, target);
    const schema = (await operationSchemas())[key]?.response;
    if (!schema || op.status === 204) return reply.code(op.status).send();
    const body = baseBody(key, schema);
    substitute(body, schema, values);
    return reply.code(op.status).send(body);
  };
}

type Handler = ReturnType<typeof handlerFor>;

/**
 * A generated operation as the dispatch route serves it: the same for every start of the process (its
 * validator is made on its first request, by any start); only the handler, which closes over a start's
 * `Ctx`, is each start's own (`index` into its handlers).
 */
interface Served {
  index: number;
  op: OperationInfo;
  config: FastifyContextConfig;
  validator?: ReturnType<typeof specValidator> | null;
}

/** A request's match: the operation and the values its path gave. */
interface Matched extends DispatchedOperation {
  served: Served;
}

/** The entry of a stateful operation in the dispatch router. */
const STATEFUL: unique symbol = Symbol('zemu.dispatch.stateful');

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

type Router = FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;

/**
 * Which operations the dispatch route serves and which need a route of their own, and the router of
 * the first: a pure function of the stateful operations and the prefix, so computed once per process
 * for each (every start of the same code registers the same stateful routes). The router is built on
 * the first request any start gets.
 */
interface Plan {
  served: Served[];
  /** Operations a stateful route's parameter would take: routes of their own. */
  own: { op: OperationInfo; config: FastifyContextConfig }[];
  routes: VirtualRoute[];
  router: () => Router;
}

const plans = new Map<string, Plan>();

function planFor(prefix: string, statefulOperations: { method: string; path: string }[]): Plan {
  const key = `${prefix}\n${statefulOperations.map((o) => `${o.method} ${o.path}`).join('\n')}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = makePlan(prefix, statefulOperations);
    plans.set(key, plan);
  }
  return plan;
}

function makePlan(prefix: string, statefulOperations: { method: string; path: string }[]): Plan {
  const statefulKeys = new Set(statefulOperations.map((o) => operationKey(o.method, o.path)));
  // A stateful route's parameter would take a generated operation's path (GET /users/{userId}
  // against GET /users/summary): such operations stay routes of their own, where Fastify's router
  // prefers the static path, as before.
  const stateful = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: MAX_PARAM_LENGTH });
  for (const { method, path } of statefulOperations) {
    try {
      stateful.on(method as HTTPMethod, routeUrl(path), () => {});
    } catch {
      // The same shape under another parameter name: already there.
    }
  }
  const served: Served[] = [];
  const own: Plan['own'] = [];
  for (const op of OPERATIONS) {
    if (statefulKeys.has(operationKey(op.method, op.path))) continue;
    const config: FastifyContextConfig = {
      scopes: scopeRuleOf(op),
      rateLimitLabel: op.label,
      emulated: 'generated',
    };
    const concrete = op.path.replace(/\{[A-Za-z0-9_]+\}/g, 'p1');
    if (stateful.find(op.method as HTTPMethod, concrete)) own.push({ op, config });
    else served.push({ index: served.length, op, config });
  }
  const routes: VirtualRoute[] = served.map(({ op, config }) => ({
    method: op.method,
    url: `${prefix}${routeUrl(op.path)}`,
    config,
  }));
  // The stateful operations are in the router too, as "none", so that an over-long segment of their
  // paths still answers 414 (the router tries every branch).
  let router: Router | undefined;
  const build = (): Router => {
    const r = FindMyWay({
      ignoreTrailingSlash: false,
      maxParamLength: MAX_PARAM_LENGTH,
      onMaxParamLength: () => undefined,
    });
    for (const s of served) r.on(s.op.method as HTTPMethod, `${prefix}${routeUrl(s.op.path)}`, () => {}, s);
    for (const { method, path } of statefulOperations) {
      try {
        r.on(method as HTTPMethod, `${prefix}${routeUrl(path)}`, () => {}, STATEFUL);
      } catch {
        // A stateful route of the same shape under another parameter name: already there.
      }
    }
    return r;
  };
  return { served, own, routes, router: () => (router ??= build()) };
}

/**
 * Serves every documented operation that no stateful route in `registry` serves, through ONE route
 * (`/v2/*`) and a router of their own (see `Plan`): registering some 300 Fastify routes was the
 * largest first-party cost of a start (docs/architecture.md, "Start-up"). What a request goes
 * through is unchanged: the guard and the limiter (onRequest, from the operation's `scopes` and
 * `rateLimitLabel`, read through http/route-config.ts), the spec hook (query and body, 400 code 300),
 * the fault hooks and the request log. A path that names no operation answers what Fastify's router
 * answered (404, 405 with Allow, 414 for an over-long segment), unguarded as before. The operations
 * reach the consumers of `onRoute` (the served list, the 405 router, the registry) as the route's
 * `dispatch.routes`.
 */
export function generatedRoutes(ctx: Ctx, registry: OperationRegistry) {
  return async (app: FastifyInstance) => {
    const plan = planFor(app.prefix, registry.statefulOperations());
    for (const { op, config } of plan.own) {
      const handler = handlerFor(ctx, op);
      app.route({
        method: op.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
        url: routeUrl(op.path),
        config,
        handler: (request, reply) => handler(request, reply, request.params as Record<string, string>),
      });
    }
    // This start's handlers, made on an operation's first request.
    const handlers: (Handler | undefined)[] = [];
    const match = (method: string, url: string): Matched | null | typeof TOO_LONG => {
      const found = plan.router().find(method as HTTPMethod, url);
      if (!found) return null;
      const s = found.store as Served | typeof STATEFUL | null;
      // The max-param-length answer has no store; a stateful operation's entry says "none here".
      if (s === null) return TOO_LONG;
      if (s === STATEFUL) return null;
      return { config: s.config, params: found.params as Record<string, string>, served: s };
    };
    const routes = plan.routes;
    app.route({
      method: [...METHODS],
      url: '/*',
      // Placeholder: each request gets its operation's own (http/route-config.ts).
      config: { scopes: { classic: [], granular: [] }, dispatch: { routes, match } },
      exposeHeadRoute: false,
      preValidation: (request, _reply, done) => {
        const s = (operationOf(request) as Matched | null)?.served;
        if (!s) return done();
        if (s.validator === undefined) s.validator = specValidator(s.op.method, s.op.path) ?? null;
        if (!s.validator) return done();
        let checked: void | Promise<void>;
        try {
          checked = s.validator(request);
        } catch (error) {
          return done(error as Error);
        }
        if (checked instanceof Promise) checked.then(() => done(), done);
        else done();
      },
      handler: (request: FastifyRequest, reply: FastifyReply) => {
        const matched = operationOf(request) as Matched | null;
        if (!matched) return answerUnrouted(request, reply, match(request.method, request.url) === TOO_LONG);
        const { index, op } = matched.served;
        let handler = handlers[index];
        if (!handler) {
          handler = handlerFor(ctx, op);
          handlers[index] = handler;
        }
        return handler(request, reply, matched.params);
      },
    });
  };
}
