/**
 * One signed POST to an endpoint, as Zoom makes it: 3 s (real time) for the whole exchange, no
 * redirects followed, and the outcome in words (status, or why there was none) for the attempt log.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
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
    const { status, text } = await post(
      url,
      {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        'x-zm-request-timestamp': String(timestamp),
        'x-zm-signature': signature(secretToken, timestamp, body),
        'x-zm-trackingid': tracking,
      },
      body,
      signal,
    );
    const ok = status === 200 || status === 204;
    return {
      ok,
      statusCode: status,
      error: ok ? null : `the endpoint answered HTTP ${status}`,
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

const MAX_READ = 16 * 1024;

/**
 * One POST with node:http(s), which sends only the headers given plus `host`, `content-length` and
 * `connection` (fetch would add `accept`, `accept-language`, `accept-encoding` and `sec-fetch-mode`,
 * which Zoom does not send). Redirects are not followed; at most MAX_READ bytes of the answer are read.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const payload = Buffer.from(body);
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.byteLength), connection: 'close' },
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          res.destroy();
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).subarray(0, MAX_READ).toString('utf8'),
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.byteLength;
          // A huge or endless answer must not hold the attempt.
          if (size >= MAX_READ) finish();
        });
        res.on('end', finish);
        // Cut off before the end (the 3 s ran out, or Zemu stopped): no answer.
        res.on('close', () => {
          if (!settled) {
            settled = true;
            reject(signal.reason ?? new Error('the connection closed before the answer ended'));
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function describeFailure(error: unknown, timedOut: boolean): string {
  if (timedOut) return `no answer within ${RESPONSE_TIMEOUT_MS / 1000} s`;
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'AbortError') return 'Zemu stopped before the endpoint answered';
  const direct = (err as { code?: string })?.code;
  if (direct === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (direct && direct !== 'ABORT_ERR')
    return `request failed: ${direct}${err?.message ? ` (${err.message})` : ''}`;
  const cause = err?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (cause?.code) return `request failed: ${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return `request failed: ${cause?.message ?? err?.message ?? String(error)}`;
}
