/**
 * The caller of a /v2 operation: the token's principal and the operation's scope rule, which the
 * route's `config.scopes` names once. Handlers take both from here, so no handler names a scope.
 */
import type { FastifyInstance } from 'fastify';
import { routeConfig } from '../http/route-config.js';
import type { Principal } from './principal.js';
import type { ScopeRule } from './scopes.js';

export interface Caller {
  principal: Principal;
  /** The scopes the operation accepts (its route's `config.scopes`). */
  rule: ScopeRule;
}

/**
 * Gives every route registered after this call in `app` (the /v2 scope) its caller, and refuses to
 * register one that names no scopes: an operation without a rule would let any token through.
 *
 * The scope checks themselves stay in the handlers, at the point Zoom makes them: after the
 * operation's own input checks (a bad query or body is 300 whatever the token holds) and, for the
 * target-dependent ones, once the user or meeting is known.
 */
export function installCaller(app: FastifyInstance): void {
  app.decorateRequest('caller', null);
  app.addHook('onRoute', (route) => {
    // A dispatch route (api/v2.ts) stands for the operations it serves: each needs its own.
    for (const r of route.config?.dispatch?.routes ?? [route]) {
      if (!r.config?.scopes) {
        throw new Error(`${[r.method].flat().join(',')} ${r.url} declares no config.scopes`);
      }
    }
  });
  app.addHook('preHandler', (request, _reply, done) => {
    // The bearer guard ran (onRequest) and every route has a rule (onRoute): both are set.
    request.caller = { principal: request.principal as Principal, rule: routeConfig(request).scopes! };
    done();
  });
}
