/**
 * The control API is open to loopback callers of a loopback-bound server. Anything else (a
 * non-loopback bind, or a caller from the network) needs `Authorization: Bearer $ZEMU_ADMIN_TOKEN`.
 */
import type { FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../config.js';
import type { Ctx } from '../context.js';
import { constantTimeEqual } from '../crypto.js';
import { zoomErrors } from '../errors/zoom.js';

export function adminGate(ctx: Ctx) {
  const boundToLoopback = isLoopbackHost(ctx.config.host);
  return async (request: FastifyRequest) => {
    const callerIsLoopback = isLoopbackHost(request.socket.remoteAddress ?? '');
    if (boundToLoopback && callerIsLoopback) return;
    const expected = ctx.config.adminToken;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!expected || !match || !constantTimeEqual(match[1] as string, expected)) {
      throw zoomErrors.adminTokenRequired();
    }
  };
}
