/**
 * Writes every /oauth and /v2 request to the request log once its response is sent. The hook only
 * copies a few fields into an object; filtering, serialisation and streaming happen off the request.
 */
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { OAuthRefusal } from '../errors/oauth.js';
import { routeConfig } from '../http/route-config.js';
import { ISSUED_TOKEN, type IssuingBody, type RequestTrace, traceOf } from '../http/trace.js';
import { type CapturedBodies, captureRequest, captureResponse } from './capture.js';
import type { RequestLogEntry, RequestLogStore } from './log.js';

function isLogged(url: string): boolean {
  return url.startsWith('/v2/') || url.startsWith('/oauth/') || url === '/v2';
}

/** client_id of an /oauth request: Basic credentials first, then the parameters. */
export function oauthClientId(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (auth && /^basic\s/i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return decoded.slice(0, colon).slice(0, 128);
  }
  for (const source of [request.body, request.query]) {
    if (
      source &&
      typeof source === 'object' &&
      typeof (source as Record<string, unknown>).client_id === 'string'
    ) {
      return ((source as Record<string, string>).client_id as string).slice(0, 128);
    }
  }
  return null;
}

export function oauthParam(request: FastifyRequest, name: string): string | null {
  for (const source of [request.body, request.query]) {
    if (source && typeof source === 'object') {
      const value = (source as Record<string, unknown>)[name];
      if (typeof value === 'string') return value.slice(0, 128);
    }
  }
  return null;
}

/** Claims of a JWT this Zemu just issued (its signature is ours; only the payload is read). */
function jwtClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

type Presented = Partial<Record<'jti' | 'aid' | 'cid' | 'uid' | 'gty', string>>;

function presentedClaims(authorization: string | undefined): Presented | null {
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  const claims = match ? jwtClaims(match[1] as string) : null;
  if (!claims) return null;
  const out: Presented = {};
  for (const key of ['jti', 'aid', 'cid', 'uid', 'gty'] as const) {
    const value = claims[key];
    if (typeof value === 'string' && value.length <= 128) out[key] = value;
  }
  return out;
}

export function buildEntry(
  clock: Clock,
  request: FastifyRequest,
  status: number,
  elapsedMs: number,
  captureBodies = false,
): Omit<RequestLogEntry, 'id'> {
  const now = clock.now();
  const url = request.url;
  const q = url.indexOf('?');
  const principal = request.principal;
  const error = request.zemuError;
  const trace = request.zemuTrace;
  const oauth = url.startsWith('/oauth/');
  let reason: string | null = null;
  let code: number | null = null;
  let oauthError: string | null = null;
  if (error) {
    if (error instanceof OAuthRefusal) {
      oauthError = error.error;
      reason = error.detail ?? error.reason;
    } else {
      code = error.code;
      reason = error.reason ?? error.message;
    }
  }
  if (trace?.note) reason = reason ? `${reason}; ${trace.note}` : trace.note;
  if (trace?.fault) reason = reason ? `${reason}; ${trace.fault}` : trace.fault;
  const token = principal?.token;
  const issued = trace?.issued;
  // A refused bearer token still names itself: read (not trust) its claims for the lineage.
  const presented = !principal && error && !oauth ? presentedClaims(request.headers.authorization) : null;
  return {
    at: clock.frozen ? now : now - elapsedMs,
    realAt: Date.now() - elapsedMs,
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    status,
    code,
    error: oauthError,
    durationMs: elapsedMs,
    accountId:
      principal?.accountId ??
      issued?.accountId ??
      presented?.aid ??
      (oauth ? oauthParam(request, 'account_id') : null),
    clientId: principal?.app.clientId ?? presented?.cid ?? (oauth ? oauthClientId(request) : null),
    userId: principal?.user?.id ?? token?.userId ?? issued?.userId ?? presented?.uid ?? null,
    grantType:
      token?.grantType ??
      issued?.grantType ??
      presented?.gty ??
      (oauth ? oauthParam(request, 'grant_type') : null),
    grantId: token?.grantId ?? issued?.grantId ?? null,
    tokenId: token?.id ?? presented?.jti ?? null,
    issuedTokenId: issued?.tokenId ?? null,
    reason,
    rateLimit: trace?.rateLimit ?? null,
    faultId: trace?.faultId ?? null,
    emulated: emulatedOf(routeConfig(request)),
    ...(captureBodies ? { bodies: captured(request, trace) } : {}),
  };
}

function emulatedOf(config: FastifyContextConfig): 'stateful' | 'generated' | null {
  return config.emulated ?? (config.scopes ? 'stateful' : null);
}

function captured(request: FastifyRequest, trace: RequestTrace | null): CapturedBodies {
  return {
    request: captureRequest(request),
    response: captureResponse(trace?.response?.payload, trace?.response?.contentType),
  };
}

/**
 * Records a request the onResponse hook will not see: a response that never reached the client
 * (fault), or an error the router answered before any hook ran (bad URL).
 */
export function recordOutsideHooks(
  log: RequestLogStore,
  clock: Clock,
  request: FastifyRequest,
  status: number,
  elapsedMs: number,
): void {
  if (!isLogged(request.url)) return;
  const trace = traceOf(request);
  if (trace.logged) return;
  trace.logged = true;
  log.add(buildEntry(clock, request, status, elapsedMs, log.captureBodies));
}

export function installRequestLog(app: FastifyInstance, log: RequestLogStore, clock: Clock): void {
  app.decorateRequest('zemuTrace', null);
  if (log.captureBodies) {
    app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
      if (isLogged(request.url))
        traceOf(request).response = { payload, contentType: reply.getHeader('content-type') };
      done(null, payload);
    });
  }
  // The token endpoint's answer carries the record of the token it issued (under a symbol JSON does
  // not see): the log's lineage (grant, account, user) without parsing the body or a lookup.
  app.addHook('preSerialization', (request: FastifyRequest, _reply, payload: unknown, done) => {
    const record =
      typeof payload === 'object' && payload !== null ? (payload as IssuingBody)[ISSUED_TOKEN] : undefined;
    if (record) {
      traceOf(request).issued = {
        tokenId: record.id,
        grantId: record.grantId,
        accountId: record.accountId,
        userId: record.userId,
        grantType: record.grantType,
      };
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (isLogged(request.url) && !request.zemuTrace?.logged) {
      log.add(buildEntry(clock, request, reply.statusCode, reply.elapsedTime, log.captureBodies));
    }
    done();
  });
}
