/**
 * The seam between ZoomClient and its resources, below both: resources depend on this, never on
 * client.ts, so that the client can construct them without a type cycle.
 */

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null> | object | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface ZoomResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

/** Per call: abort signal, timeout, retries. */
export type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs' | 'maxRetries' | 'headers'>;

/** What a resource needs from the client. */
export interface Requester {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<ZoomResponse<T>>;
}
