/**
 * ZoomClient: the request pipeline (auth -> send -> retry/backoff -> typed error) and the resources
 * hung on it. Resources only build paths and types; everything about tokens, retries and errors
 * happens here, once: sending in transport.ts, the retry rules in retry.ts, the loop here.
 */
import { MemoryTokenStore, type TokenStore } from './auth/store.js';
import {
  ClientCredentialsAuth,
  type ClientCredentialsAuthConfig,
  ServerToServerAuth,
  type ServerToServerAuthConfig,
  type StaticAuthConfig,
  StaticTokenAuth,
  type StrategyContext,
} from './auth/strategies.js';
import type { AuthStrategy, TokenSet } from './auth/types.js';
import { UserOAuth, type UserOAuthConfig } from './auth/user-oauth.js';
import { apiErrorFrom, type ZoomError } from './errors.js';
import type { Hooks } from './hooks.js';
import type {
  CallOptions,
  DownloadOptions,
  Requester,
  RequestOptions,
  ZoomDownload,
  ZoomResponse,
} from './request.js';
import { MeetingsResource } from './resources/meetings.js';
import { PastMeetingsResource } from './resources/past-meetings.js';
import { RecordingsResource } from './resources/recordings.js';
import { ReportsResource } from './resources/reports.js';
import { UsersResource } from './resources/users.js';
import {
  type AttemptFailure,
  backoffDelay,
  decideRetry,
  sleep as defaultSleep,
  IDEMPOTENT_METHODS,
  parseRetryAfter,
  type RetryPolicy,
  type RetryState,
} from './retry.js';
import { type FailureWording, send, type TransportContext } from './transport.js';

export const ZOOM_OAUTH_URL = 'https://zoom.us';
export const ZOOM_API_URL = 'https://api.zoom.us/v2';

export type AuthConfig =
  | ServerToServerAuthConfig
  | UserOAuthConfig
  | ClientCredentialsAuthConfig
  | StaticAuthConfig;

export interface ZoomClientOptions {
  /** A Zemu (or other Zoom look-alike) origin: sets oauthUrl to it and apiUrl to `${baseUrl}/v2`. */
  baseUrl?: string;
  /** The OAuth host. Default `https://zoom.us`. */
  oauthUrl?: string;
  /**
   * The API base including `/v2`. Default: the `api_url` returned with the token plus `/v2`, else
   * `https://api.zoom.us/v2`. An explicit value (or baseUrl) wins over `api_url`.
   */
  apiUrl?: string;
  auth: AuthConfig | AuthStrategy;
  /** Where tokens are kept; MemoryTokenStore by default, RedisTokenStore to share across processes. */
  tokenStore?: TokenStore;
  /** Retries after 429, 5xx and network errors (the one retry after code 124 is extra). Default 2. */
  maxRetries?: number;
  /** Per attempt, ms. Default 30 000. */
  timeoutMs?: number;
  /** A 429 whose Retry-After is longer than this is thrown at once instead of waited for. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Fetch a new token this long before expiry. Default 60 s (capped at half the token's lifetime). */
  refreshMarginMs?: number;
  /** First backoff step, ms (doubles per retry, equal jitter). Default 500. */
  initialRetryDelayMs?: number;
  /** Cap of a backoff step, ms. Default 8 000. */
  maxRetryDelayMs?: number;
  hooks?: Hooks;
  userAgent?: string;
  /** Test seams. */
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export class ZoomClient implements Requester {
  readonly auth: AuthStrategy;
  readonly oauthUrl: string;
  readonly users: UsersResource;
  readonly meetings: MeetingsResource;
  readonly pastMeetings: PastMeetingsResource;
  readonly reports: ReportsResource;
  readonly recordings: RecordingsResource;
  readonly #apiUrl: string | undefined;
  readonly #transport: TransportContext;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #hooks: Hooks;
  readonly #timeoutMs: number;
  readonly #retryPolicy: RetryPolicy;
  readonly #userAgent: string;

  constructor(options: ZoomClientOptions) {
    if (!options?.auth) throw new TypeError('ZoomClient needs an auth option');
    const base = options.baseUrl ? trimSlash(options.baseUrl) : undefined;
    this.oauthUrl = trimSlash(options.oauthUrl ?? base ?? ZOOM_OAUTH_URL);
    this.#apiUrl = options.apiUrl ? trimSlash(options.apiUrl) : base ? `${base}/v2` : undefined;
    const fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#hooks = options.hooks ?? {};
    this.#transport = { fetch, now: this.#now, hooks: this.#hooks };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const backoff = {
      initialDelayMs: options.initialRetryDelayMs ?? 500,
      maxDelayMs: options.maxRetryDelayMs ?? 8_000,
      random: options.random ?? Math.random,
    };
    this.#retryPolicy = {
      maxRetries: options.maxRetries ?? 2,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      backoff: (retryIndex) => backoffDelay(retryIndex, backoff),
    };
    this.#userAgent = options.userAgent ?? 'zemu-client/0.1.0';
    const ctx: StrategyContext = {
      oauthUrl: this.oauthUrl,
      fetch,
      now: this.#now,
      timeoutMs: this.#timeoutMs,
      refreshMarginMs: options.refreshMarginMs ?? 60_000,
      hooks: this.#hooks,
      store: options.tokenStore ?? new MemoryTokenStore(),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    };
    this.auth = createAuth(options.auth, ctx);
    this.users = new UsersResource(this);
    this.meetings = new MeetingsResource(this);
    this.pastMeetings = new PastMeetingsResource(this);
    this.reports = new ReportsResource(this);
    this.recordings = new RecordingsResource(this);
  }

  /** The API base a token's calls go to: explicit option, else the token's api_url, else Zoom's. */
  apiBaseFor(token: TokenSet | undefined): string {
    if (this.#apiUrl) return this.#apiUrl;
    if (token?.apiUrl) return `${token.apiUrl}/v2`;
    return ZOOM_API_URL;
  }

  /** A current access token (fetched once for any number of concurrent callers). */
  async getAccessToken(options: { signal?: AbortSignal } = {}): Promise<string> {
    return (await this.auth.getToken(options)).accessToken;
  }

  /** Any API call: `path` is relative to the API base, e.g. `/users/me`. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ZoomResponse<T>> {
    const query = serializeQuery(options.query);
    const hasBody = options.body !== undefined;
    return this.#send<T>(method.toUpperCase(), options, {
      url: (token) => `${this.apiBaseFor(token)}${path}${query}`,
      body: hasBody ? JSON.stringify(options.body) : undefined,
    });
  }

  /**
   * GET a file Zoom serves outside the API, a cloud recording's `download_url`: the answer's body as
   * a stream, after the same retries as any call. The credential is the recording's `download_token`
   * (from recording.completed, or `download_access_token` of GET /meetings/{meetingId}/recordings)
   * when given, else the client's own access token; both go in the Authorization header, never in
   * the URL, so that no log of URLs holds them. The access token is only sent to Zoom's own hosts
   * (zoom.us and its subdomains) and to the client's OAuth and API origins: a URL read from an
   * unverified webhook cannot collect it.
   */
  async download(url: string, options: DownloadOptions = {}): Promise<ZoomDownload> {
    const target = new URL(url);
    const { downloadToken, ...call } = options;
    if (!downloadToken && !this.#mayReceiveToken(target))
      throw new TypeError(
        `download(): ${target.origin} is neither Zoom nor this client's API, so the access token is not sent there; pass the recording's downloadToken instead`,
      );
    const answer = await this.#send<ReadableStream<Uint8Array> | null>('GET', call, {
      url: () => target.href,
      stream: true,
      ...(downloadToken ? { bearer: downloadToken } : {}),
    });
    const length = Number(answer.headers.get('content-length'));
    const disposition = answer.headers.get('content-disposition') ?? '';
    const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    return {
      status: answer.status,
      headers: answer.headers,
      body: answer.data ?? new ReadableStream({ start: (c) => c.close() }),
      contentType: answer.headers.get('content-type') ?? undefined,
      size: Number.isFinite(length) && answer.headers.has('content-length') ? length : undefined,
      fileName: fileName ? decodeFileName(fileName) : undefined,
    };
  }

  #mayReceiveToken(target: URL): boolean {
    if (
      target.protocol === 'https:' &&
      (target.hostname === 'zoom.us' || target.hostname.endsWith('.zoom.us'))
    )
      return true;
    const origins = [this.oauthUrl, this.#apiUrl]
      .filter((u): u is string => !!u)
      .map((u) => new URL(u).origin);
    return origins.includes(target.origin);
  }

  /** The attempt loop of every call: token, send, then retry, renew or throw as retry.ts decides. */
  async #send<T>(
    method: string,
    options: CallOptions,
    how: {
      url: (token: TokenSet | undefined) => string;
      body?: string | undefined;
      stream?: boolean;
      /** A credential of the caller's own (a download token) instead of the client's access token. */
      bearer?: string;
    },
  ): Promise<ZoomResponse<T>> {
    const policy =
      options.maxRetries === undefined
        ? this.#retryPolicy
        : { ...this.#retryPolicy, maxRetries: options.maxRetries };
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const userSignal = options.signal;
    let token = how.bearer === undefined ? await this.auth.getToken({ signal: userSignal }) : undefined;
    const state: RetryState = { idempotent: IDEMPOTENT_METHODS.has(method), retries: 0, renewed: false };

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token?.accessToken ?? how.bearer}`,
        accept: how.stream ? '*/*' : 'application/json',
        'user-agent': this.#userAgent,
        ...options.headers,
      };
      if (how.body !== undefined) headers['content-type'] = 'application/json';
      const url = how.url(token);
      const sent = await send(this.#transport, {
        kind: 'api',
        method,
        url,
        headers,
        body: how.body,
        attempt,
        timeoutMs,
        signal: userSignal,
        wording: API_WORDING,
        ...(how.stream ? { stream: true } : {}),
      });

      let error: ZoomError;
      let failure: AttemptFailure;
      if (!sent.answered) {
        error = sent.error;
        failure = { kind: 'no_answer' };
      } else {
        if (sent.ok) return { status: sent.status, headers: sent.headers, data: sent.body as T };
        const retryAfterMs = parseRetryAfter(sent.headers.get('retry-after'), this.#now());
        const apiError = apiErrorFrom({
          status: sent.status,
          headers: sent.headers,
          body: sent.body,
          method,
          url,
          retryAfter: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
        });
        error = apiError;
        failure = { kind: 'answer', status: sent.status, code: apiError.code, retryAfterMs };
      }

      const decision = decideRetry(failure, state, policy);
      if (decision.action === 'throw') throw error;
      if (decision.action === 'renew') {
        state.renewed = true;
        // A caller's own credential is not the client's to renew.
        const next = token && (await this.auth.renewToken(token.accessToken, { signal: userSignal }));
        if (!token || !next || next.accessToken === token.accessToken) throw error;
        token = next;
        if (this.#hooks.onRetry)
          await this.#hooks.onRetry({ request: sent.request, reason: 'invalid_token', delayMs: 0, error });
        continue;
      }
      state.retries++;
      if (this.#hooks.onRetry)
        await this.#hooks.onRetry({
          request: sent.request,
          reason: decision.reason,
          delayMs: decision.delayMs,
          error,
        });
      await this.#sleep(decision.delayMs, userSignal);
    }
  }
}

const API_WORDING: FailureWording = {
  timedOut: ({ method, url, timeoutMs }) => `${method} ${url} timed out after ${timeoutMs} ms.`,
  unreachable: ({ method, url }, why) =>
    `${method} ${url} failed before any answer (${why}). Check the API URL, the network, and that the server is running.`,
  brokeOff: ({ method, url }, why) => `${method} ${url}: the answer broke off (${why}).`,
};

/** A Content-Disposition file name: percent-decoded (RFC 5987) when it decodes, as sent otherwise. */
function decodeFileName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function createAuth(auth: AuthConfig | AuthStrategy, ctx: StrategyContext): AuthStrategy {
  if ('getToken' in auth && typeof auth.getToken === 'function') return auth;
  const config = auth as AuthConfig;
  switch (config.type) {
    case 'server_to_server':
      return new ServerToServerAuth(config, ctx);
    case 'user':
      return new UserOAuth(config, ctx);
    case 'client_credentials':
      return new ClientCredentialsAuth(config, ctx);
    case 'static':
      return new StaticTokenAuth(config);
    default:
      throw new TypeError(`unknown auth type: ${(config as { type?: string }).type}`);
  }
}

function serializeQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
