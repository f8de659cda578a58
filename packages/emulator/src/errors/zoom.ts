/**
 * Zoom API errors (`{"code", "message"}` bodies on /v2) from one catalog. Handlers throw them; one
 * error handler renders them. `reason` is Zemu's own explanation in words for logs, never sent.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ZoomError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldError[],
    readonly reason?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ZoomError';
  }

  body(): { code: number; message: string; errors?: FieldError[] } {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

export const zoomErrors = {
  invalidToken: (reason?: string) => new ZoomError(401, 124, 'Invalid access token.', undefined, reason),
  expiredToken: (reason?: string) => new ZoomError(401, 124, 'Access token is expired.', undefined, reason),
  tokenInQuery: () =>
    new ZoomError(
      401,
      124,
      'Invalid access token, this access token is not supported as query parameter string.',
      undefined,
      'access token sent as a query parameter',
    ),
  missingScopes: (accepted: readonly string[], style: 'granular' | 'classic') =>
    new ZoomError(
      400,
      4711,
      style === 'granular'
        ? `Invalid access token, does not contain scopes:[${accepted.join(', ')}].`
        : `Invalid access token, does not contain scopes: [${accepted.join(', ')}].`,
      undefined,
      `missing scope: one of ${accepted.join(' ')}`,
    ),
  userNotFound: (userId: string) => new ZoomError(404, 1001, `User does not exist: ${userId}.`),
  validation: (errors: FieldError[]) => new ZoomError(400, 300, 'Validation Failed.', errors),
  invalidJson: () => new ZoomError(400, 300, 'Request Body should be a valid JSON object.'),
  bodyTooLarge: (limit: number) =>
    new ZoomError(413, 300, `Request Body is too large. The limit is ${limit} bytes.`),
  unsupportedMediaType: (type: string) =>
    new ZoomError(415, 300, `Unsupported Content-Type: ${type}. Send application/json.`),
  badUrl: () =>
    new ZoomError(400, 300, 'Invalid request URL: a path segment is not valid percent-encoded UTF-8.'),
  uriTooLong: () => new ZoomError(414, 300, 'Request URI Too Long.'),
  routeNotFound: () => new ZoomError(404, 404, 'Not Found.'),
  methodNotAllowed: (method: string) =>
    new ZoomError(405, 405, `Method ${method} is not allowed on this resource.`),
  internal: () => new ZoomError(500, 500, 'Internal Error. Zemu hit an unexpected error; see its log.'),
  adminTokenRequired: () =>
    new ZoomError(
      401,
      124,
      'The control API needs Authorization: Bearer <ZEMU_ADMIN_TOKEN> when Zemu is reached over the network.',
    ),
  controlNotFound: (what: string, id: string) => new ZoomError(404, 1001, `${what} does not exist: ${id}.`),
  conflict: (message: string) => new ZoomError(409, 1005, message),
} as const;
