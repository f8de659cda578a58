/** The one interface every auth strategy implements (octokit's idea: small interchangeable objects). */

/** An access token with what the client needs to use it and to know when to replace it. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch ms at which the server stops accepting the token. */
  expiresAt: number;
  /** Epoch ms from which the client fetches a new token ahead of expiry. */
  refreshAt: number;
  scope: string[];
  /** The regional API host returned with the token (`api_url`), without `/v2`. */
  apiUrl?: string | undefined;
  /** User OAuth only: the (rotating) refresh token that goes with this access token. */
  refreshToken?: string | undefined;
}

export interface GetTokenOptions {
  signal?: AbortSignal | undefined;
}

export interface AuthStrategy {
  /** `server_to_server`, `user`, `client_credentials`, `static`, or a custom name. */
  readonly type: string;
  /** A token that is not due for refresh; one request serves every concurrent caller. */
  getToken(options?: GetTokenOptions): Promise<TokenSet>;
  /**
   * Called once after the API answered 401 code 124 for `rejected`: a different token, or undefined
   * when this strategy cannot get one (a static token). The client retries once with it, never more.
   */
  renewToken(rejected: string, options?: GetTokenOptions): Promise<TokenSet | undefined>;
}
