/** OAuth errors of zoom.us/oauth/* : `{"reason", "error"}` bodies. `detail` is Zemu's own words for logs. */
export class OAuthRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(reason);
    this.name = 'OAuthRefusal';
  }

  body(): { reason: string; error: string } {
    return { reason: this.reason, error: this.error };
  }
}

export const oauthErrors = {
  invalidCode: (detail: string) =>
    new OAuthRefusal(400, 'invalid_grant', 'Invalid authorization code', detail),
  invalidRefreshToken: (detail: string) => new OAuthRefusal(400, 'invalid_grant', 'Invalid Token!', detail),
  redirectMismatch: (detail: string) =>
    new OAuthRefusal(400, 'invalid_grant', 'Redirect URI mismatch.', detail),
  invalidCodeVerifier: () =>
    new OAuthRefusal(400, 'invalid_grant', 'Invalid code_verifier', 'PKCE verification failed'),
  invalidClient: (detail: string) =>
    new OAuthRefusal(400, 'invalid_client', 'Invalid client_id or client_secret', detail),
  unsupportedGrant: (detail: string) =>
    new OAuthRefusal(400, 'unsupported_grant_type', 'unsupported grant type', detail),
  missingAccountId: () =>
    new OAuthRefusal(
      400,
      'invalid_request',
      'Missing account_id',
      'account_id is required for account_credentials',
    ),
  invalidAccountId: (accountId: string) =>
    new OAuthRefusal(
      400,
      'invalid_request',
      'Invalid account_id',
      `account_id ${accountId} is not the app's account`,
    ),
  invalidRequest: (reason: string) => new OAuthRefusal(400, 'invalid_request', reason),
  appDisabled: () =>
    new OAuthRefusal(400, 'invalid_client', 'The app has been disabled', 'the app is disabled'),
  invalidBody: () => new OAuthRefusal(400, 'invalid_request', 'Invalid request body'),
  /** D-OERR 4740: a legacy-mode `index` outside the app's token tolerance. */
  indexOutOfTolerance: (tolerance: number, reason: string) =>
    new OAuthRefusal(
      400,
      'invalid_request',
      `The index is out of the tolerance range (0 to ${tolerance - 1}).`,
      reason,
    ),
  /** What Zemu depends on (PostgreSQL, Redis) is away: the same answer a fault rule's 503 gives. */
  unavailable: (reason: string) =>
    new OAuthRefusal(503, 'server_error', 'Service Unavailable.', `service unavailable: ${reason}`),
  /** What a fault rule answered on /oauth, as the request log records it. */
  injected: (status: number, error: string, text: string, reason: string) =>
    new OAuthRefusal(status, error, text, reason),
} as const;
