import type { OAuthRefusal } from '../errors/oauth.js';
import type { ZoomRefusal } from '../errors/zoom.js';
import type { Caller } from '../guard/caller.js';
import type { Principal } from '../guard/principal.js';
import type { ScopeRule } from '../guard/scopes.js';
import type { Dispatch, DispatchedOperation } from './route-config.js';

/** Zoom's rate-limit categories; every /v2 route names its own. */
export type RateLimitLabel = 'Light' | 'Medium' | 'Heavy' | 'Resource-intensive';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Scopes the operation accepts: the one place they are named. Required on /v2 (guard/caller.ts);
     * the handler checks them through `request.caller`.
     */
    scopes?: ScopeRule;
    /** Zoom's rate-limit label of the operation. */
    rateLimitLabel?: RateLimitLabel;
    /** How the operation is answered: `stateful` (a handler of Zemu's world) or `generated` (from the spec). */
    emulated?: 'stateful' | 'generated';
    /**
     * Set on the one route that serves many operations (api/generated/routes.ts): the routes it stands
     * for, which the consumers of `onRoute` take instead of it, and their matcher.
     */
    dispatch?: Dispatch;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** On /v2, from the pre-handler: the principal and the route's scope rule. */
    caller: Caller | null;
    /** The Zoom or OAuth error this request was answered with, for the log. */
    zemuError: ZoomRefusal | OAuthRefusal | null;
    /** On a dispatch route: the operation the request names (null: none), once matched (http/route-config.ts). */
    zemuOperation: DispatchedOperation | null | undefined;
  }
}
