/**
 * One signed POST to an endpoint, as Zoom makes it: 3 s (real time) for the whole exchange, no
 * redirects followed, and the outcome in words (status, or why there was none) for the attempt log.
 */
import { trackingId } from '../ids.js';
import { signature, WEBHOOK_USER_AGENT } from './signer.js';

/** Zoom waits 3 s for an answer (contract §7). */
export const RESPONSE_TIMEOUT_MS = 3000;
const SNIPPET_CHARS = 512;

export interface SendResult {
  /** 200 or 204 in time. */
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The start of the response body, for the attempt log. */
  snippet: string | null;
  /** The full body when it is short enough to be a url_validation answer. */
  body: string | null;
  durationMs: number;
  /** `x-zm-request-timestamp` sent: real epoch seconds. */
  timestamp: number;
  trackingId: string;
}

export async function sendSigned(
  url: string,
  body: string,
  secretToken: string,
  options: { signal?: AbortSignal } = {},
): Promise<SendResult> {
  // Real time, not the emulated clock: receivers judge freshness against their own clock (see docs).
  const timestamp = Math.floor(Date.now() / 1000);
  const tracking = trackingId();
  const started = performance.now();
  const timeout = AbortSignal.timeout(RESPONSE_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'x-zm-request-timestamp': String(timestamp),
        'x-zm-signature': signature(secretToken, timestamp, body),
        'x-zm-trackingid': tracking,
      },
      body,
    });
    const text = await readLimited(response, 16 * 1024);
    const ok = response.status === 200 || response.status === 204;
    return {
      ok,
      statusCode: response.status,
      error: ok ? null : `the endpoint answered HTTP ${response.status}`,
      snippet: text.slice(0, SNIPPET_CHARS),
      body: text,
      durationMs: elapsed(),
      timestamp,
      trackingId: tracking,
    };
  } catch (error) {
    return {
      ok: false,
      statusCode: null,
      error: describeFailure(error, timeout.aborted),
      snippet: null,
      body: null,
      durationMs: elapsed(),
      timestamp,
      trackingId: tracking,
    };
  }
}

/** Reads at most `max` bytes of the body (a huge or endless answer must not hold the attempt). */
async function readLimited(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= max) await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

function describeFailure(error: unknown, timedOut: boolean): string {
  if (timedOut) return `no answer within ${RESPONSE_TIMEOUT_MS / 1000} s`;
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'AbortError') return 'Zemu stopped before the endpoint answered';
  const cause = err?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (cause?.code) return `request failed: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return `request failed: ${cause?.message ?? err?.message ?? String(error)}`;
}
