/**
 * Typed errors. Every failure the client surfaces is a ZoomError; API answers are ZoomApiError
 * subclasses chosen by Zoom's `code` first and the HTTP status second, so that callers can write
 * `if (e instanceof ZoomNotFoundError)` instead of parsing strings (stripe-node's shape).
 */

export interface ZoomValidationIssue {
  field: string;
  message: string;
}

/** Base of everything this client throws. */
export class ZoomError extends Error {
  override name = 'ZoomError';
}

export interface ZoomApiErrorInit {
  status: number;
  code?: number | undefined;
  message: string;
  headers?: Headers | undefined;
  body?: unknown;
  method?: string | undefined;
  url?: string | undefined;
  /** Seconds to wait, when the server said so (Retry-After). */
  retryAfter?: number | undefined;
}

/** An HTTP answer from Zoom (or Zemu) that was not a success. */
export class ZoomApiError extends ZoomError {
  override name = 'ZoomApiError';
  readonly status: number;
  /** Zoom's numeric error code (`code` in the body), when there is one. */
  readonly code: number | undefined;
  /** Zoom's `x-zm-trackingid` header: quote it to Zoom support. */
  readonly trackingId: string | undefined;
  readonly headers: Headers;
  /** The parsed body (or its text when it was not JSON). */
  readonly body: unknown;
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** Seconds until a retry may succeed, from Retry-After; undefined when the server gave none. */
  readonly retryAfter: number | undefined;

  constructor(init: ZoomApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.headers = init.headers ?? new Headers();
    this.trackingId = this.headers.get('x-zm-trackingid') ?? undefined;
    this.body = init.body;
    this.method = init.method;
    this.url = init.url;
    this.retryAfter = init.retryAfter;
  }
}

/** 401 code 124: the access token is invalid, expired or revoked. */
export class ZoomInvalidTokenError extends ZoomApiError {
  override name = 'ZoomInvalidTokenError';
}

/** 400 code 4711 (or 4700): the token lacks the scopes the endpoint needs. */
export class ZoomMissingScopeError extends ZoomApiError {
  override name = 'ZoomMissingScopeError';
  /** The scopes Zoom listed as accepted, parsed from `... does not contain scopes:[a, b].` */
  readonly scopes: string[];
  constructor(init: ZoomApiErrorInit) {
    super(init);
    const match = /scopes\s*:\s*\[([^\]]*)\]/.exec(init.message);
    this.scopes = match?.[1]
      ? match[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  }
}

/** 403: the caller may not touch this resource. */
export class ZoomPermissionError extends ZoomApiError {
  override name = 'ZoomPermissionError';
}

/** 404 (code 1001 for users, 3001 for meetings, ...). */
export class ZoomNotFoundError extends ZoomApiError {
  override name = 'ZoomNotFoundError';
}

/** 409 / code 1005: e.g. an email that is already used. */
export class ZoomConflictError extends ZoomApiError {
  override name = 'ZoomConflictError';
}

/** Code 300: invalid input, with Zoom's per-field `errors[]` when present. */
export class ZoomValidationError extends ZoomApiError {
  override name = 'ZoomValidationError';
  readonly errors: ZoomValidationIssue[];
  constructor(init: ZoomApiErrorInit) {
    super(init);
    const errors = (init.body as { errors?: unknown } | undefined)?.errors;
    this.errors = Array.isArray(errors) ? (errors as ZoomValidationIssue[]) : [];
  }
}

/** 429: a per-second or daily rate limit. */
export class ZoomRateLimitError extends ZoomApiError {
  override name = 'ZoomRateLimitError';
  /** `X-RateLimit-Type`: `QPS` or `Daily-limit` (or whatever the server sent). */
  readonly rateLimitType: string | undefined;
  /** `X-RateLimit-Category`: Light, Medium, Heavy, Resource-intensive. */
  readonly rateLimitCategory: string | undefined;
  readonly rateLimitLimit: number | undefined;
  readonly rateLimitRemaining: number | undefined;
  constructor(init: ZoomApiErrorInit) {
    super(init);
    this.rateLimitType = this.headers.get('x-ratelimit-type') ?? undefined;
    this.rateLimitCategory = this.headers.get('x-ratelimit-category') ?? undefined;
    this.rateLimitLimit = numberHeader(this.headers, 'x-ratelimit-limit');
    this.rateLimitRemaining = numberHeader(this.headers, 'x-ratelimit-remaining');
  }
  /** True for `X-RateLimit-Type: Daily-limit`: retrying before the reset is pointless. */
  get daily(): boolean {
    return /daily/i.test(this.rateLimitType ?? '');
  }
}

/** 5xx from the server. */
export class ZoomServerError extends ZoomApiError {
  override name = 'ZoomServerError';
}

/** An error from the OAuth token endpoint: `{"reason": "...", "error": "invalid_client"}`. */
export class ZoomOAuthError extends ZoomApiError {
  override name = 'ZoomOAuthError';
  /** The OAuth error code (`error` in the body). */
  readonly error: string;
  /** Zoom's human text (`reason` in the body). */
  readonly reason: string;
  constructor(init: ZoomApiErrorInit & { error: string; reason: string }) {
    super(init);
    this.error = init.error;
    this.reason = init.reason;
  }
}
export class ZoomInvalidClientError extends ZoomOAuthError {
  override name = 'ZoomInvalidClientError';
}
export class ZoomInvalidGrantError extends ZoomOAuthError {
  override name = 'ZoomInvalidGrantError';
}
export class ZoomUnsupportedGrantTypeError extends ZoomOAuthError {
  override name = 'ZoomUnsupportedGrantTypeError';
}
export class ZoomInvalidRequestError extends ZoomOAuthError {
  override name = 'ZoomInvalidRequestError';
}
export class ZoomInvalidScopeError extends ZoomOAuthError {
  override name = 'ZoomInvalidScopeError';
}
export class ZoomAccessDeniedError extends ZoomOAuthError {
  override name = 'ZoomAccessDeniedError';
}

/** The request never got an HTTP answer: DNS, refused connection, reset socket. */
export class ZoomConnectionError extends ZoomError {
  override name = 'ZoomConnectionError';
  readonly method: string;
  readonly url: string;
  constructor(message: string, init: { method: string; url: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
  }
}

/** The request took longer than `timeoutMs`. */
export class ZoomTimeoutError extends ZoomConnectionError {
  override name = 'ZoomTimeoutError';
}

/** A webhook whose signature or timestamp did not check out. */
export class ZoomWebhookVerificationError extends ZoomError {
  override name = 'ZoomWebhookVerificationError';
  readonly reason: 'missing_headers' | 'bad_signature' | 'stale_timestamp' | 'bad_timestamp';
  constructor(reason: ZoomWebhookVerificationError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const OAUTH_ERRORS: Record<
  string,
  new (
    init: ZoomApiErrorInit & { error: string; reason: string },
  ) => ZoomOAuthError
> = {
  invalid_client: ZoomInvalidClientError,
  invalid_grant: ZoomInvalidGrantError,
  unsupported_grant_type: ZoomUnsupportedGrantTypeError,
  invalid_request: ZoomInvalidRequestError,
  invalid_scope: ZoomInvalidScopeError,
  access_denied: ZoomAccessDeniedError,
  unauthorized_client: ZoomInvalidClientError,
};

/** Builds the right error class for a failed OAuth token-endpoint answer. */
export function oauthErrorFrom(init: Omit<ZoomApiErrorInit, 'message'> & { body: unknown }): ZoomOAuthError {
  const body = (init.body ?? {}) as { error?: unknown; reason?: unknown; error_description?: unknown };
  const error = typeof body.error === 'string' ? body.error : 'server_error';
  const reason =
    typeof body.reason === 'string'
      ? body.reason
      : typeof body.error_description === 'string'
        ? body.error_description
        : `token endpoint answered HTTP ${init.status}`;
  const Class = OAUTH_ERRORS[error] ?? ZoomOAuthError;
  return new Class({ ...init, message: `${error}: ${reason}`, error, reason });
}

/** Builds the right error class for a failed API answer (`{"code": n, "message": "..."}`). */
export function apiErrorFrom(
  init: Omit<ZoomApiErrorInit, 'message' | 'code'> & { body: unknown },
): ZoomApiError {
  const body = init.body as { code?: unknown; message?: unknown } | undefined;
  const code = typeof body?.code === 'number' ? body.code : undefined;
  const message =
    typeof body?.message === 'string' && body.message
      ? body.message
      : typeof init.body === 'string' && init.body
        ? init.body.slice(0, 300)
        : `HTTP ${init.status}`;
  const full = { ...init, code, message };
  if (code === 124) return new ZoomInvalidTokenError(full);
  if (code === 4711 || code === 4700) return new ZoomMissingScopeError(full);
  if (code === 1001) return new ZoomNotFoundError(full);
  if (code === 1005) return new ZoomConflictError(full);
  if (code === 300) return new ZoomValidationError(full);
  if (init.status === 429) return new ZoomRateLimitError(full);
  if (init.status === 401) return new ZoomInvalidTokenError(full);
  if (init.status === 403) return new ZoomPermissionError(full);
  if (init.status === 404) return new ZoomNotFoundError(full);
  if (init.status === 409) return new ZoomConflictError(full);
  if (init.status >= 500) return new ZoomServerError(full);
  return new ZoomApiError(full);
}
