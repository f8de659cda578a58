export const CLIENT_VERSION = '0.1.0';

export { type RedisLike, RedisTokenStore, type RedisTokenStoreOptions } from './auth/redis-store.js';
export { MemoryTokenStore, type TokenStore } from './auth/store.js';
export {
  ClientCredentialsAuth,
  type ClientCredentialsAuthConfig,
  ServerToServerAuth,
  type ServerToServerAuthConfig,
  type StaticAuthConfig,
  StaticTokenAuth,
} from './auth/strategies.js';
export type { AuthStrategy, GetTokenOptions, TokenSet } from './auth/types.js';
export {
  type AuthorizationRequest,
  createPkcePair,
  UserOAuth,
  type UserOAuthConfig,
} from './auth/user-oauth.js';
export {
  type AuthConfig,
  ZOOM_API_URL,
  ZOOM_OAUTH_URL,
  ZoomClient,
  type ZoomClientOptions,
} from './client.js';
export * from './errors.js';
export type { Hooks, RequestInfo, ResponseInfo, RetryInfo } from './hooks.js';
export { PageIterator } from './pagination.js';
export type {
  CallOptions,
  DownloadOptions,
  Requester,
  RequestOptions,
  ZoomDownload,
  ZoomResponse,
} from './request.js';
export * from './resources/meetings.js';
export * from './resources/past-meetings.js';
export * from './resources/recordings.js';
export * from './resources/registrants.js';
export * from './resources/reports.js';
export * from './resources/users.js';
export {
  type AttemptFailure,
  backoffDelay,
  decideRetry,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
  type RetryState,
} from './retry.js';
export * from './webhooks.js';
