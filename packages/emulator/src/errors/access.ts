/**
 * The guard's refusals: a token that is not good (401 code 124), one without the operation's scopes
 * (4711), a user-level token reaching beyond its own user (4700, 403 3001).
 */
import { ZoomRefusal } from './zoom.js';

export const accessErrors = {
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
  /** SK: a user-level token on another user's id. Status 400 like 4711 [U]. */
  notAuthorized: (reason: string) =>
    new ZoomRefusal(
      400,
      4700,
      'Invalid access token, does not contain scopes. The user is not authorized',
      undefined,
      reason,
    ),
  /** D-ERR 403 "has not authorized shared access permissions"; body text from SK [U]. */
  noSharedAccess: (reason: string) =>
    new ZoomRefusal(
      403,
      3001,
      'Authenticated user has not permitted access to the targeted resource.',
      undefined,
      reason,
    ),
} as const;
