/** Hook plumbing for the hot path. */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * A callback-style hook from a check that answers synchronously when it can (returns, or throws) and
 * with a promise when it must wait: an async hook costs a promise and a microtask turn per request
 * even when it has nothing to wait for.
 */
export function syncFirstHook(
  check: (request: FastifyRequest, reply: FastifyReply) => void | Promise<void>,
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  return (request, reply, done) => {
    let result: void | Promise<void>;
    try {
      result = check(request, reply);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (result instanceof Promise) result.then(() => done(), done);
    else done();
  };
}
