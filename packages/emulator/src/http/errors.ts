/**
 * The one place errors become responses. /oauth speaks OAuth's `{"reason","error"}`, everything else
 * Zoom's `{"code","message"}`. Nothing unexpected leaks a stack trace; it is logged and answered 500.
 * A dependency that is away (PostgreSQL, Redis) answers 503, logged once a second at most.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { OAuthRefusal, oauthErrors } from '../errors/oauth.js';
import { ZoomRefusal, zoomErrors } from '../errors/zoom.js';
import { unavailableDependency } from './unavailable.js';

export function isOAuthPath(url: string): boolean {
  return url.startsWith('/oauth/');
}

/** What the request itself says about a body error: the route's body limit and the content type sent. */
export interface RequestFacts {
  bodyLimit?: number | undefined;
  contentType?: string | undefined;
}

/** Turns whatever was thrown into the error Zoom would give. */
export function toZoomOrOAuthError(
  error: unknown,
  url: string,
  facts: RequestFacts = {},
): ZoomRefusal | OAuthRefusal | undefined {
  if (error instanceof ZoomRefusal || error instanceof OAuthRefusal) return error;
  const fe = error as FastifyError;
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // Fastify's message carries no number: the limit is the route's own (the server's bodyLimit).
      return zoomErrors.bodyTooLarge(facts.bodyLimit ?? 0);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      // The media type as sent, without parameters (`text/plain; charset=utf-8` -> `text/plain`).
      return zoomErrors.unsupportedMediaType(
        (facts.contentType ?? '').split(';')[0]?.trim().slice(0, 100) || 'none',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return zoomErrors.invalidJson();
    case 'FST_ERR_VALIDATION':
      return zoomErrors.validation(
        (fe.validation ?? []).map((v) => ({
          field:
            (v.instancePath.replace(/^\//, '').replace(/\//g, '.') ||
              (v.params as { missingProperty?: string })?.missingProperty) ??
            fe.validationContext ??
            'body',
          message: v.message ?? 'Invalid field.',
        })),
      );
  }
  if (fe instanceof SyntaxError || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return zoomErrors.invalidJson();
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return zoomErrors.framework(fe.statusCode, fe.message);
  }
  // PostgreSQL restarting, Redis gone, SQLite locked by another process: 503, which a client retries.
  const away = unavailableDependency(error);
  if (away !== undefined)
    return isOAuthPath(url) ? oauthErrors.unavailable(away) : zoomErrors.unavailable(away);
  return undefined;
}

export function sendError(reply: FastifyReply, error: ZoomRefusal | OAuthRefusal, url: string): FastifyReply {
  if (error instanceof OAuthRefusal) return reply.code(error.status).send(error.body());
  if (error.headers) reply.headers(error.headers);
  if (isOAuthPath(url)) {
    // Body problems on the OAuth host still answer in OAuth's shape.
    return reply.code(error.status).send({ reason: error.message, error: 'invalid_request' });
  }
  return reply.code(error.status).send(error.body());
}

let lastUnavailableLog = 0;
/** An outage fails every request: one warning a second is enough to say so. */
function logUnavailable(request: FastifyRequest, error: unknown): void {
  const now = Date.now();
  if (now - lastUnavailableLog < 1000) return;
  lastUnavailableLog = now;
  request.log.warn(
    { err: error, url: request.url.split('?')[0] },
    'a dependency is unavailable: answered 503',
  );
}

const METHODS: HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Zoom-shaped answers for every error, and for a path that names no route (404, or 405 with Allow
 * when the path is known under other methods). `routes` lists what the app serves, read when the
 * first unrouted request comes: most starts never answer one.
 */
export function installErrorHandling(
  app: FastifyInstance,
  routes: () => readonly { method: string; url: string }[],
  bodyLimit?: number,
): void {
  // A shadow router of every route, so that a known path with the wrong method can say 405.
  let known: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined;
  const knownRouter = () => {
    if (!known) {
      known = FindMyWay({ ignoreTrailingSlash: false });
      for (const { method, url } of routes()) {
        if (METHODS.includes(method as HTTPMethod)) known.on(method as HTTPMethod, url, () => {});
      }
    }
    return known;
  };
  allowedOf.set(app.server, (method, path) =>
    METHODS.filter((m) => m !== method && knownRouter().find(m, path)),
  );

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const contentType = request.headers['content-type'];
    const mapped = toZoomOrOAuthError(error, request.url, {
      bodyLimit: request.routeOptions?.bodyLimit ?? bodyLimit,
      contentType: Array.isArray(contentType) ? contentType[0] : contentType,
    });
    if (mapped) {
      request.zemuError = mapped;
      if (mapped.status === 503 && mapped !== error) logUnavailable(request, error);
      return sendError(reply, mapped, request.url);
    }
    request.log.error({ err: error }, 'unexpected error');
    const internal = zoomErrors.internal();
    request.zemuError = internal;
    return sendError(reply, internal, request.url);
  });

  app.setNotFoundHandler((request, reply) => answerUnrouted(request, reply));
}

/** The methods other than `method` that some route serves at `path`, by the app's HTTP server. */
const allowedOf = new WeakMap<object, (method: string, path: string) => HTTPMethod[]>();

/**
 * The answer to a request no route serves: 405 with Allow when the path is served for another method,
 * else 404; 414 when a path segment was too long for the router (`tooLong`).
 */
export function answerUnrouted(request: FastifyRequest, reply: FastifyReply, tooLong = false): FastifyReply {
  if (tooLong) {
    const error = zoomErrors.uriTooLong();
    request.zemuError = error;
    return sendError(reply, error, request.url);
  }
  const path = request.url.split('?')[0] ?? '/';
  const allowed = allowedOf.get(request.server.server)?.(request.method, path) ?? [];
  const error = allowed.length > 0 ? zoomErrors.methodNotAllowed(request.method) : zoomErrors.routeNotFound();
  if (allowed.length > 0) reply.header('allow', allowed.join(', '));
  request.zemuError = error;
  return sendError(reply, error, request.url);
}
