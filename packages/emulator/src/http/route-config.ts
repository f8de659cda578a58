/**
 * The route config of a request, for the hooks that read it (guard, limiter, caller, request log).
 * A request to a dispatch route (the one route serving every generated operation) has the config of
 * the operation it names, matched once on first use; one that names none has an empty config.
 */
import type { FastifyContextConfig, FastifyRequest } from 'fastify';

/** A route that a dispatch route serves: as `onRoute` would have seen it (full URL, its config). */
export interface VirtualRoute {
  method: string;
  url: string;
  config: FastifyContextConfig;
}

/** An operation a request to a dispatch route was matched to. */
export interface DispatchedOperation {
  config: FastifyContextConfig;
  params: Record<string, string>;
}

export interface Dispatch {
  routes: readonly VirtualRoute[];
  /** The operation `method url` names; null for none, TOO_LONG when a path segment is too long (414). */
  match(method: string, url: string): DispatchedOperation | null | typeof TOO_LONG;
}

export const TOO_LONG: unique symbol = Symbol('zemu.dispatch.tooLong');

/** The longest path parameter the routers take (Fastify's default, 100, is below Zoom's ids and tokens). */
export const MAX_PARAM_LENGTH = 2048;

const NO_CONFIG: FastifyContextConfig = Object.freeze({});

/**
 * The operation a dispatch route's request names; null when it names none (the route answers 404,
 * 405 or 414 as Fastify's router would have). Undefined for a request to any other route.
 */
export function operationOf(request: FastifyRequest): DispatchedOperation | null | undefined {
  const dispatch = request.routeOptions?.config?.dispatch;
  if (!dispatch) return undefined;
  if (request.zemuOperation === undefined) {
    const found = dispatch.match(request.method, request.url);
    request.zemuOperation = found === TOO_LONG ? null : found;
  }
  return request.zemuOperation;
}

/** Whether a dispatch route's request names no operation (so it is neither guarded nor counted). */
export function unrouted(request: FastifyRequest): boolean {
  return operationOf(request) === null;
}

export function routeConfig(request: FastifyRequest): FastifyContextConfig {
  const config = request.routeOptions?.config;
  if (!config?.dispatch) return config ?? NO_CONFIG;
  return operationOf(request)?.config ?? NO_CONFIG;
}
