/**
 * Body capture for the request log (`--capture-bodies`, off by default): the request's query, form or
 * JSON body and the response's JSON body, redacted when captured (nothing secret is ever kept in the
 * ring) and cut to a bounded size per body.
 *
 * Redacted: the Authorization header's credentials; the string values of keys that carry secrets
 * (`client_secret`, `refresh_token`, `access_token`, `code_verifier`, `code`, `token`, `zak`, any
 * `*password*`, `*passcode*`, `*secret*`, `*token*` key ...); anything shaped like a JWT wherever it
 * appears; and the `zak`, `pwd`, `tk`, `code`, `token` and secret parameters of URLs inside strings (a
 * meeting's `start_url` carries the host's ZAK, a registrant's `join_url` their own `tk`).
 */

/** Characters kept of each captured body; the rest is cut and `truncated` set. */
export const CAPTURE_LIMIT = 4096;
export const REDACTED = '[redacted]';

export interface CapturedRequest {
  /** The query string, redacted, without `?`; null when there is none. */
  query: string | null;
  content_type: string | null;
  /** `Basic [redacted]`, `Bearer [redacted]`: the scheme only. */
  authorization: string | null;
  /** A form body re-encoded from its parsed fields, or a JSON body re-serialised; redacted. */
  body: string | null;
  truncated: boolean;
}

export interface CapturedResponse {
  content_type: string | null;
  /** The JSON answer, redacted; other content types are described, not kept. */
  body: string | null;
  truncated: boolean;
}

export interface CapturedBodies {
  request: CapturedRequest;
  response: CapturedResponse;
}

const SECRET_KEYS = new Set([
  'authorization',
  'client_secret',
  'refresh_token',
  'access_token',
  'id_token',
  'code_verifier',
  'code',
  'token',
  'zak',
  'pwd',
  'tk',
  'assertion',
  'api_secret',
  'secret_token',
  'plaintoken',
  'encryptedtoken',
  'signature',
]);

/** Named like a secret but not one. */
const PUBLIC_KEYS = new Set(['token_type', 'next_page_token', 'token_id', 'issued_token_id', 'expires_in']);

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  if (PUBLIC_KEYS.has(k)) return false;
  return SECRET_KEYS.has(k) || /password|passcode|secret|token/.test(k);
}

const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const URL_SECRET_PARAM =
  /([?&](?:zak|pwd|tk|code|token|access_token|refresh_token|client_secret|code_verifier|password)=)[^&#\s"]*/gi;

function redactString(value: string): string {
  return value.replace(JWT, REDACTED).replace(URL_SECRET_PARAM, `$1${REDACTED}`);
}

/** A deep copy with every secret replaced; numbers and booleans under secret keys are kept (Zoom's `code: 124`). */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] =
      isSecretKey(key) && (typeof v === 'string' || (typeof v === 'object' && v !== null))
        ? REDACTED
        : redact(v, depth + 1);
  }
  return out;
}

function cut(text: string): { text: string; truncated: boolean } {
  return text.length > CAPTURE_LIMIT
    ? { text: text.slice(0, CAPTURE_LIMIT), truncated: true }
    : { text, truncated: false };
}

function formText(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(redact(fields) as Record<string, unknown>)) {
    params.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return params.toString();
}

function mediaType(header: unknown): string | null {
  if (typeof header !== 'string' || header === '') return null;
  return (header.split(';')[0] as string).trim().toLowerCase().slice(0, 128);
}

export function captureRequest(request: {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}): CapturedRequest {
  const q = request.url.indexOf('?');
  const query =
    q < 0 || q === request.url.length - 1
      ? null
      : formText(Object.fromEntries(new URLSearchParams(request.url.slice(q + 1))));
  const contentType = mediaType(request.headers['content-type']);
  const auth = request.headers.authorization;
  const authorization =
    typeof auth === 'string' && auth !== ''
      ? `${(auth.split(/\s+/)[0] as string).slice(0, 16)} ${REDACTED}`
      : null;
  let body: string | null = null;
  if (request.body !== undefined && request.body !== null) {
    body =
      contentType === 'application/x-www-form-urlencoded' && typeof request.body === 'object'
        ? formText(request.body as Record<string, unknown>)
        : JSON.stringify(redact(request.body));
  }
  const queryCut = query === null ? null : cut(query);
  const bodyCut = body === null ? null : cut(body);
  return {
    query: queryCut?.text ?? null,
    content_type: contentType,
    authorization,
    body: bodyCut?.text ?? null,
    truncated: Boolean(queryCut?.truncated || bodyCut?.truncated),
  };
}

export function captureResponse(payload: unknown, contentTypeHeader: unknown): CapturedResponse {
  const contentType = mediaType(contentTypeHeader);
  let text: string | null = null;
  if (typeof payload === 'string') text = payload;
  else if (Buffer.isBuffer(payload)) text = payload.toString('utf8');
  if (text === null || text === '') return { content_type: contentType, body: null, truncated: false };
  if (contentType !== 'application/json') {
    return {
      content_type: contentType,
      body: `[${Buffer.byteLength(text)} bytes of ${contentType ?? 'unknown type'}, not captured]`,
      truncated: false,
    };
  }
  let redacted: string;
  try {
    redacted = JSON.stringify(redact(JSON.parse(text)));
  } catch {
    redacted = redactString(text);
  }
  const { text: kept, truncated } = cut(redacted);
  return { content_type: contentType, body: kept, truncated };
}
