/**
 * Zoom webhooks: `x-zm-signature: v0=<hex HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")>` with
 * `x-zm-request-timestamp`. Verify the RAW body (a re-serialised JSON.parse result can differ byte for
 * byte), compare in constant time, and refuse stale timestamps so a captured request cannot be
 * replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ZoomWebhookVerificationError } from './errors.js';

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;
export type RawBody = string | Uint8Array;

export interface WebhookEvent<P = Record<string, unknown>> {
  event: string;
  event_ts: number;
  payload: P;
}

export interface VerifyWebhookOptions {
  /** The app's Secret Token (Marketplace > Feature > Event Subscriptions). */
  secretToken: string;
  headers: HeaderBag;
  /** The request body exactly as received: a string or the bytes, never a parsed object. */
  rawBody: RawBody;
  /** Largest accepted distance between the timestamp and now, seconds. Default 300. */
  toleranceSeconds?: number;
  now?: () => number;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const direct = headers[name] ?? headers[name.toLowerCase()];
  const value =
    direct ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(value) ? value[0] : value;
}

function bodyText(rawBody: RawBody): string {
  if (typeof rawBody === 'string') return rawBody;
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody).toString('utf8');
  throw new TypeError('rawBody must be the raw request body (string or bytes), not a parsed object');
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${body}`), as Zoom sends it. */
export function signWebhook(secretToken: string, timestamp: string | number, rawBody: RawBody): string {
  const mac = createHmac('sha256', secretToken)
    .update(`v0:${timestamp}:${bodyText(rawBody)}`)
    .digest('hex');
  return `v0=${mac}`;
}

/** Constant-time string comparison (lengths are not secret). */
function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Throws ZoomWebhookVerificationError unless the request is a fresh, correctly signed Zoom webhook. */
export function verifyWebhook<P = Record<string, unknown>>(options: VerifyWebhookOptions): WebhookEvent<P> {
  const text = bodyText(options.rawBody);
  const signature = header(options.headers, 'x-zm-signature');
  const timestamp = header(options.headers, 'x-zm-request-timestamp');
  if (!signature || !timestamp) {
    throw new ZoomWebhookVerificationError(
      'missing_headers',
      'missing x-zm-signature or x-zm-request-timestamp: not a signed Zoom webhook',
    );
  }
  if (!/^\d+$/.test(timestamp)) {
    throw new ZoomWebhookVerificationError(
      'bad_timestamp',
      `x-zm-request-timestamp is not a number: ${timestamp}`,
    );
  }
  // Zoom's samples send seconds; accept milliseconds too (13 digits), since the unit is undocumented.
  const raw = Number(timestamp);
  const sentMs = timestamp.length >= 13 ? raw : raw * 1000;
  const toleranceMs = (options.toleranceSeconds ?? 300) * 1000;
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - sentMs) > toleranceMs) {
    throw new ZoomWebhookVerificationError(
      'stale_timestamp',
      `webhook timestamp ${timestamp} is more than ${toleranceMs / 1000} s from now: replayed or clock skew`,
    );
  }
  if (!safeEqual(signature, signWebhook(options.secretToken, timestamp, text))) {
    throw new ZoomWebhookVerificationError(
      'bad_signature',
      'x-zm-signature does not match: wrong secret token, or the body was changed (verify the raw body)',
    );
  }
  return JSON.parse(text) as WebhookEvent<P>;
}

/** True when verifyWebhook would succeed. */
export function isValidWebhook(options: VerifyWebhookOptions): boolean {
  try {
    verifyWebhook(options);
    return true;
  } catch {
    return false;
  }
}

/** The answer to `endpoint.url_validation`: `{plainToken, encryptedToken: hex HMAC-SHA256(secret, plainToken)}`. */
export function urlValidationResponse(
  secretToken: string,
  plainToken: string,
): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: createHmac('sha256', secretToken).update(plainToken).digest('hex') };
}

/**
 * Verifies a webhook and builds the HTTP answer: 200 with the validation body for
 * `endpoint.url_validation`, 200 with no body for other events (then handle `event`), 401 when
 * verification fails.
 */
export function handleWebhook(
  options: VerifyWebhookOptions,
):
  | { status: 200; body: { plainToken: string; encryptedToken: string } | undefined; event: WebhookEvent }
  | { status: 401; body: { message: string }; error: ZoomWebhookVerificationError } {
  let event: WebhookEvent;
  try {
    event = verifyWebhook(options);
  } catch (error) {
    if (error instanceof ZoomWebhookVerificationError)
      return { status: 401, body: { message: error.message }, error };
    throw error;
  }
  if (event.event === 'endpoint.url_validation') {
    const plainToken = (event.payload as { plainToken?: unknown }).plainToken;
    if (typeof plainToken === 'string') {
      return { status: 200, body: urlValidationResponse(options.secretToken, plainToken), event };
    }
  }
  return { status: 200, body: undefined, event };
}
