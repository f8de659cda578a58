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
  invalidToken: (reason?: string) => new ZoomRefusal(401, 124, 'Invalid access token.', undefined, reason),
  expiredToken: (reason?: string) => new ZoomRefusal(401, 124, 'Access token is expired.', undefined, reason),
  tokenInQuery: () =>
    new ZoomRefusal(
      401,
      124,
      'Invalid access token, this access token is not supported as query parameter string.',
      undefined,
      'access token sent as a query parameter',
    ),
  missingScopes: (accepted: readonly string[], style: 'granular' | 'classic') =>
    new ZoomRefusal(
      400,
      4711,
      style === 'granular'
        ? `Invalid access token, does not contain scopes:[${accepted.join(', ')}].`
        : `Invalid access token, does not contain scopes: [${accepted.join(', ')}].`,
      undefined,
      `missing scope: one of ${accepted.join(' ')}`,
    ),
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
  internal: () => new ZoomRefusal(500, 500, 'Internal Error. Zemu hit an unexpected error; see its log.'),
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
  /** DELETE /users/{userId}: admins cannot be disassociated (S23). */
  cannotDisassociateAdmin: () => new ZoomRefusal(400, 1117, 'You can not disassociate an Admin user.'),
  /** PUT /users/{userId}/password on an owner or admin by someone else (S23). */
  cannotUpdateAdminPassword: () => new ZoomRefusal(400, 1117, "Can not update Admin's password"),
  /** PUT /users/{userId}/password for a user who does not sign in with a Zoom work email (S23). */
  notWorkEmailAccount: () =>
    new ZoomRefusal(400, 1123, 'Can only update password of Zoom work email account'),
  /** The account's password rules (S23 codes 1124-1131). */
  passwordRule: (code: 1124 | 1125 | 1126 | 1130 | 1131, message: string) =>
    new ZoomRefusal(400, code, message),
  /** PUT /users/{userId}/email by an admin on another admin (S23). */
  adminEmailChange: () => new ZoomRefusal(400, 1000, "Admin can not change other admin's email."),
  /** PATCH /users/{userId} with a vanity name another user holds (contract §3: 4100; text Zemu's). */
  vanityNameTaken: (name: string) =>
    new ZoomRefusal(400, 4100, `The personal meeting room name ${name} is already in use.`),
  /** PATCH /users/{userId} with a group_id that does not exist (S23/contract §3). */
  groupNotFound: (groupId: string) => new ZoomRefusal(404, 4130, `Group does not exist: ${groupId}`),
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
