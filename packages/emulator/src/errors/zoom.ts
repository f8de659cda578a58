/**
 * Zoom API errors (`{"code", "message"}` bodies on /v2) from one catalog. Handlers throw them; one
 * error handler renders them. `reason` is Zemu's own explanation in words for logs, never sent.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ZoomRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldError[],
    readonly reason?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ZoomRefusal';
  }

  body(): { code: number; message: string; errors?: FieldError[] } {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

function dailyCapHeaders(category: string, limit: number, resetsAt: number): Record<string, string> {
  return {
    'x-ratelimit-category': category,
    'x-ratelimit-type': 'Daily-limit',
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': '0',
    'retry-after': `${new Date(resetsAt).toISOString().slice(0, 19)}Z`,
  };
}

export const zoomErrors = {
  /** S23 1120: the user "did not accept the invitation on time and the invitation expired". */
  invitationExpired: () =>
    new ZoomRefusal(400, 1120, 'A valid invitation to join the Zoom account was not found for this user.'),
  userNotFound: (userId: string) => new ZoomRefusal(404, 1001, `User does not exist: ${userId}.`),
  validation: (errors: FieldError[]) => new ZoomRefusal(400, 300, 'Validation Failed.', errors),
  invalidJson: () => new ZoomRefusal(400, 300, 'Request Body should be a valid JSON object.'),
  bodyTooLarge: (limit: number) =>
    new ZoomRefusal(413, 300, `Request Body is too large. The limit is ${limit} bytes.`),
  unsupportedMediaType: (type: string) =>
    new ZoomRefusal(415, 300, `Unsupported Content-Type: ${type}. Send application/json.`),
  badUrl: () =>
    new ZoomRefusal(400, 300, 'Invalid request URL: a path segment is not valid percent-encoded UTF-8.'),
  uriTooLong: () => new ZoomRefusal(414, 300, 'Request URI Too Long.'),
  invalidPageToken: (reason: string) =>
    new ZoomRefusal(
      400,
      300,
      'The next page token is invalid or expired.',
      undefined,
      `next_page_token ${reason}`,
    ),
  routeNotFound: () => new ZoomRefusal(404, 404, 'Not Found.'),
  methodNotAllowed: (method: string) =>
    new ZoomRefusal(405, 405, `Method ${method} is not allowed on this resource.`),
  /** A 4xx Fastify raised itself (no route code of ours): its status and words, as code 300. */
  framework: (status: number, message: string) => new ZoomRefusal(status, 300, message),
  /** A refusal whose status, code and text an operation's document gives (generated operations). */
  documented: (status: number, code: number, message: string) => new ZoomRefusal(status, code, message),
  /** What a fault rule answered on /v2, as the request log records it. */
  injected: (status: number, code: number, message: string, reason: string) =>
    new ZoomRefusal(status, code, message, undefined, reason),
  internal: () => new ZoomRefusal(500, 500, 'Internal Error. Zemu hit an unexpected error; see its log.'),
  /** What Zemu depends on (PostgreSQL, Redis) is away: the same answer a fault rule's 503 gives. */
  unavailable: (reason: string) =>
    new ZoomRefusal(503, 503, 'Service Unavailable.', undefined, `service unavailable: ${reason}`),
  adminTokenRequired: () =>
    new ZoomRefusal(
      401,
      124,
      'The control API needs Authorization: Bearer <ZEMU_ADMIN_TOKEN> when Zemu is reached over the network.',
    ),
  controlCrossOrigin: () =>
    new ZoomRefusal(
      403,
      124,
      'The control API answers only Zemu itself and programs, not pages of another origin (Origin header).',
    ),
  controlNotFound: (what: string, id: string) => new ZoomRefusal(404, 1001, `${what} does not exist: ${id}.`),
  conflict: (message: string) => new ZoomRefusal(409, 1005, message),
  /** The endpoint did not pass `endpoint.url_validation`; `detail` says what it answered. */
  webhookUrlValidationFailed: (detail: string) =>
    new ZoomRefusal(
      400,
      300,
      'URL validation failed. Try again later.',
      [{ field: 'endpoint_url', message: detail }],
      `endpoint.url_validation failed: ${detail}`,
    ),
  /** A Users write refused for a reason Zoom reports as a plain code 300 message (no `errors`). */
  badRequest: (message: string, reason?: string) => new ZoomRefusal(400, 300, message, undefined, reason),
  /** Zoom's 400 code 200 ("No privilege." family): the operation is not allowed on this user. */
  notAllowed: (message: string, reason?: string) => new ZoomRefusal(400, 200, message, undefined, reason),
  /** Zoom's per-second 429 (DF-18928); `retryAfter` in seconds, or null when the account omits it. */
  rateLimitedQps: (category: string, limit: number, retryAfter: number | null, reason: string) =>
    new ZoomRefusal(
      429,
      429,
      'You have reached the maximum per-second rate limit for this API. Try again later.',
      undefined,
      reason,
      {
        'x-ratelimit-category': category,
        'x-ratelimit-type': 'QPS',
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        ...(retryAfter === null ? {} : { 'retry-after': String(retryAfter) }),
      },
    ),
  /** POST /users action=create past the account's daily cap (S23's 429 text). */
  userCreateDailyLimit: (limit: number, resetsAt: number) =>
    new ZoomRefusal(
      429,
      429,
      `You have exceeded the daily rate limit (${limit}) of user invite requests permitted for this account. You may resume these requests at GMT 00:00:00.`,
      undefined,
      `daily cap of ${limit} user creations for this account reached; resets at 00:00 UTC`,
      dailyCapHeaders('Light', limit, resetsAt),
    ),
  /** Meeting create/update past the host's 100 a day (DF-18928's 429 text). */
  meetingWriteDailyLimit: (limit: number, resetsAt: number) =>
    new ZoomRefusal(
      429,
      429,
      `You have exceeded the daily rate limit (${limit}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.`,
      undefined,
      `daily cap of ${limit} meeting creates/updates for this host reached; resets at 00:00 UTC`,
      dailyCapHeaders('Medium', limit, resetsAt),
    ),
  /** Zoom's daily 429; `Retry-After` is the ISO time of the next 00:00 UTC (contract §6). */
  rateLimitedDaily: (category: string, limit: number, resetsAt: number | null, reason: string) =>
    new ZoomRefusal(
      429,
      429,
      'You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.',
      undefined,
      reason,
      {
        'x-ratelimit-category': category,
        'x-ratelimit-type': 'Daily-limit',
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        ...(resetsAt === null ? {} : { 'retry-after': `${new Date(resetsAt).toISOString().slice(0, 19)}Z` }),
      },
    ),
} as const;
