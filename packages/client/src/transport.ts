/**
 * The one way a request goes out, for API calls and the token endpoint alike: hooks around it, a
 * per-attempt timeout, the body read and parsed, and failures without an HTTP answer mapped to
 * ZoomTimeoutError / ZoomConnectionError. What an answer means (API or OAuth error) is the caller's.
 */
import { ZoomConnectionError, ZoomTimeoutError } from './errors.js';
import type { Hooks, RequestInfo } from './hooks.js';

export interface TransportContext {
  fetch: typeof fetch;
  now: () => number;
  hooks: Hooks;
}

/** The words of each failure, so that a message names what the caller was doing. */
export interface FailureWording {
  timedOut(request: OutgoingRequest): string;
  unreachable(request: OutgoingRequest, why: string): string;
  brokeOff(request: OutgoingRequest, why: string): string;
}

export interface OutgoingRequest extends RequestInfo {
  body?: string | undefined;
  timeoutMs: number;
  /** The caller's signal: its abort is rethrown as is, never mapped or retried. */
  signal?: AbortSignal | undefined;
  wording: FailureWording;
  /**
   * A successful answer's body is left unread and returned as its stream (a file download); the
   * timeout then covers the wait for the answer's headers, and the caller's signal the rest.
   */
  stream?: boolean;
}

export type Sent =
  | { answered: true; request: RequestInfo; status: number; ok: boolean; headers: Headers; body: unknown }
  /** No HTTP answer: the caller may retry an idempotent request. */
  | { answered: false; request: RequestInfo; error: ZoomConnectionError };

/**
 * Sends once. Returns an answer, or the failure to get one; throws when an answer broke off while
 * its body was read (not retried: the server may have acted) and when the caller's signal aborted.
 */
export async function send(ctx: TransportContext, outgoing: OutgoingRequest): Promise<Sent> {
  const { method, url, headers, body, timeoutMs, signal: userSignal } = outgoing;
  const request: RequestInfo = {
    kind: outgoing.kind,
    method,
    url,
    headers,
    attempt: outgoing.attempt,
  };
  if (ctx.hooks.onRequest) await ctx.hooks.onRequest(request);
  const started = ctx.hooks.onResponse ? ctx.now() : 0;
  // One controller and timer per attempt, cleared once the body is read: AbortSignal.timeout()
  // costs several times more per call (a weak timer behind a finalization registry).
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const signal = userSignal ? AbortSignal.any([userSignal, timeout.signal]) : timeout.signal;
  const failure = (cause: unknown, unanswered: (why: string) => string) =>
    timeout.signal.aborted
      ? new ZoomTimeoutError(outgoing.wording.timedOut(outgoing), { method, url, cause })
      : new ZoomConnectionError(unanswered(describe(cause)), { method, url, cause });

  let response: Response;
  try {
    response = await ctx.fetch(url, { method, headers, body, signal });
  } catch (cause) {
    clearTimeout(timer);
    if (userSignal?.aborted) throw userSignal.reason ?? cause;
    return {
      answered: false,
      request,
      error: failure(cause, (why) => outgoing.wording.unreachable(outgoing, why)),
    };
  }

  let payload: unknown;
  try {
    if (outgoing.stream && response.ok) payload = response.body;
    else payload = response.status === 204 ? undefined : await readBody(response);
  } catch (cause) {
    if (userSignal?.aborted) throw userSignal.reason ?? cause;
    throw failure(cause, (why) => outgoing.wording.brokeOff(outgoing, why));
  } finally {
    clearTimeout(timer);
  }

  if (ctx.hooks.onResponse) {
    await ctx.hooks.onResponse({
      request,
      status: response.status,
      headers: response.headers,
      durationMs: ctx.now() - started,
    });
  }
  return {
    answered: true,
    request,
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    body: payload,
  };
}

/** JSON when it parses, else the text (an HTML error page, a proxy's message), undefined when empty. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The low-level reason of a fetch failure: `ECONNREFUSED`, `ENOTFOUND`, ... */
export function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
