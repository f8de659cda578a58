/** Request/response hooks, for logging and tracing. */

export interface RequestInfo {
  /** `api` for /v2 calls, `oauth` for token requests. */
  kind: 'api' | 'oauth';
  method: string;
  url: string;
  /** Mutable: a hook may add headers. Holds the Authorization header, so do not log it whole. */
  headers: Record<string, string>;
  /** 0 for the first try, then 1, 2, ... */
  attempt: number;
}

export interface ResponseInfo {
  request: RequestInfo;
  status: number;
  headers: Headers;
  durationMs: number;
}

export interface RetryInfo {
  request: RequestInfo;
  reason: 'rate_limited' | 'server_error' | 'network_error' | 'invalid_token';
  /** How long the client waits before the next try, ms. */
  delayMs: number;
  error: unknown;
}

export interface Hooks {
  onRequest?(info: RequestInfo): void | Promise<void>;
  onResponse?(info: ResponseInfo): void | Promise<void>;
  onRetry?(info: RetryInfo): void | Promise<void>;
}
