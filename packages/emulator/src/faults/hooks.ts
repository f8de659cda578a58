/**
 * Applies fault rules to /oauth and /v2 requests, after the guard (so rules can name an app, account
 * or user) and before the handler. `drop` lets the handler run and then discards the response.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { oauthErrors } from '../errors/oauth.js';
import { zoomErrors } from '../errors/zoom.js';
import { traceOf } from '../http/trace.js';
import { oauthClientId, oauthParam, recordOutsideHooks } from '../requestlog/hooks.js';
import type { RequestLogStore } from '../requestlog/log.js';
import { defaultFaultBody, type FaultRule, type FaultRules } from './rules.js';

function destroySocket(request: FastifyRequest): void {
  const socket = request.raw.socket;
  // A TCP RST where the platform allows it: clients see ECONNRESET, as on a real network failure.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function appendNote(request: FastifyRequest, note: string): string {
  const before = request.zemuTrace?.fault;
  return before ? `${before}; ${note}` : note;
}

const dropRules = new WeakMap<FastifyRequest, FaultRule>();

export function installFaults(
  app: FastifyInstance,
  faults: FaultRules,
  log: RequestLogStore,
  clock: Clock,
): void {
  // Two moments: rules that name no app, account or user act as soon as the request arrives (Zoom
  // failing at its edge, before the token is even read); rules that name one act once the bearer
  // guard (or, on /oauth, the body) has said who is calling.
  const apply =
    (phase: 'arrival' | 'identified') =>
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (faults.empty) return done();
      const url = request.url;
      const oauth = url.startsWith('/oauth/');
      if (!oauth && !url.startsWith('/v2/')) return done();
      const q = url.indexOf('?');
      const principal = request.principal;
      const subject = {
        method: request.method,
        path: q < 0 ? url : url.slice(0, q),
        clientId: null as string | null,
        accountId: null as string | null,
        userId: null as string | null,
      };
      if (phase === 'identified') {
        subject.clientId = principal?.app.clientId ?? (oauth ? oauthClientId(request) : null);
        subject.accountId = principal?.accountId ?? (oauth ? oauthParam(request, 'account_id') : null);
        subject.userId = principal?.user?.id ?? null;
      }
      const matched = faults.match(subject, phase);
      if (matched instanceof Promise) {
        matched.then((rule) => (rule ? fire(rule) : done()), done);
        return;
      }
      if (!matched) return done();
      fire(matched);

      function fire(rule: FaultRule): void {
        traceOf(request).faultId = rule.id;
        if (rule.latencyMs > 0)
          traceOf(request).fault = `delayed ${rule.latencyMs} ms by fault rule ${rule.id}`;
        const act = () => {
          switch (rule.action) {
            case 'latency':
              return done();
            case 'drop':
              dropRules.set(request, rule);
              return done();
            case 'reset':
              traceOf(request).fault = appendNote(request, `connection reset by fault rule ${rule.id}`);
              recordOutsideHooks(log, clock, request, 0, reply.elapsedTime);
              reply.hijack();
              destroySocket(request);
              return;
            case 'error': {
              const body = (rule.body ?? defaultFaultBody(rule.status, url)) as Record<string, unknown>;
              const reason = `fault rule ${rule.id}: answered ${rule.status}`;
              request.zemuError = oauth
                ? oauthErrors.injected(
                    rule.status,
                    String(body.error ?? 'server_error'),
                    String(body.reason ?? ''),
                    reason,
                  )
                : zoomErrors.injected(
                    rule.status,
                    typeof body.code === 'number' ? body.code : rule.status,
                    String(body.message ?? ''),
                    reason,
                  );
              reply.code(rule.status).headers(rule.headers).send(body);
              return;
            }
          }
        };
        if (rule.latencyMs > 0) {
          sleep(rule.latencyMs).then(act, done);
          return;
        }
        act();
      }
    };
  app.addHook('onRequest', apply('arrival'));
  app.addHook('preHandler', apply('identified'));

  // `drop`: the operation ran (a token was issued and stored); the client never hears of it.
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    const rule = dropRules.get(request);
    if (!rule) return done(null, payload);
    traceOf(request).fault = appendNote(
      request,
      `response dropped by fault rule ${rule.id} after the operation was performed`,
    );
    recordOutsideHooks(log, clock, request, reply.statusCode, reply.elapsedTime);
    destroySocket(request);
    done(null, payload);
  });
}
