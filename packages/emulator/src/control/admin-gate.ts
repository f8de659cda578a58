/**
 * The control API is open to loopback callers of a loopback-bound server. Anything else (a
 * non-loopback bind, or a caller from the network) needs `Authorization: Bearer $ZEMU_ADMIN_TOKEN`.
 *
 * A browser page of another origin is refused whatever the caller: the loopback rule would otherwise
 * let any web page the developer visits write to their Zemu with a simple cross-site POST (CSRF). The
 * browser names the page's origin in `Origin` on such requests; the console's own requests name Zemu's.
 */
import type { FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../config.js';
import type { Ctx } from '../context.js';
import { constantTimeEqual } from '../crypto.js';
import { zoomErrors } from '../errors/zoom.js';
import { unrouted } from '../http/route-config.js';

function crossOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (!URL.canParse(origin)) return true;
  return new URL(origin).host !== request.headers.host;
}

export function adminGate(ctx: Ctx) {
  return async (request: FastifyRequest) => {
    // A path that names no route answers 404 (or 405) ungated, as Fastify's router answered it before
    // the control API was one dispatch route (http/dispatch.ts).
    if (unrouted(request)) return;
    if (crossOrigin(request)) throw zoomErrors.controlCrossOrigin();
    // Read on each request (cheap): the bind is what the config says it is.
    const boundToLoopback = isLoopbackHost(ctx.config.host);
    const callerIsLoopback = isLoopbackHost(request.socket.remoteAddress ?? '');
    if (boundToLoopback && callerIsLoopback) return;
    const expected = ctx.config.adminToken;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!expected || !match || !constantTimeEqual(match[1] as string, expected)) {
      throw zoomErrors.adminTokenRequired();
    }
  };
}
