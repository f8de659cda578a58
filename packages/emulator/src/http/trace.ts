/**
 * What the stages of a request tell the request log about it: a fault that hit it, the rate limit
 * that refused it, a note on what Zemu changed, the token it issued. Every stage above (limits,
 * faults, grants, the routes) writes here and the request log reads it, so none of them needs the
 * others. Set lazily: most requests never need one.
 */
import type { FastifyRequest } from 'fastify';
import type { TokenRecord } from '../store/models.js';

export interface RequestTrace {
  faultId?: string;
  rateLimit?: { category: string; type: string };
  /** What a fault did to the request (delayed it, reset the connection, dropped the response). */
  fault?: string;
  /** What Zemu changed about the request as written (a ttl clamped to its maximum), in words. */
  note?: string;
  issued?: {
    tokenId: string;
    grantId: string | null;
    accountId: string | null;
    userId: string | null;
    grantType: string | null;
  };
  logged?: boolean;
  /** With body capture on: the response payload as sent (onSend), redacted when the entry is built. */
  response?: { payload: unknown; contentType: unknown };
}

declare module 'fastify' {
  interface FastifyRequest {
    zemuTrace: RequestTrace | null;
  }
}

export function traceOf(request: FastifyRequest): RequestTrace {
  if (!request.zemuTrace) request.zemuTrace = {};
  return request.zemuTrace;
}

/**
 * The access token's record, on the token endpoint's response object under a symbol: the request log
 * reads it (grant, account, user of the issued token) and JSON never sees it.
 */
export const ISSUED_TOKEN: unique symbol = Symbol('zemu.issuedToken');

/** A response body that may carry the record of the token it issued. */
export interface IssuingBody {
  [ISSUED_TOKEN]?: TokenRecord;
}
