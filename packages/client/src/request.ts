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

export interface DownloadOptions extends CallOptions {
  /**
   * The recording's `download_token` (recording.completed) or `download_access_token` (GET
   * /meetings/{meetingId}/recordings). Without it the client's own access token is sent.
   */
  downloadToken?: string;
}

/** A file being downloaded: read `body` to the end, or cancel it, to free the connection. */
export interface ZoomDownload {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
  contentType: string | undefined;
  /** Bytes, from Content-Length when the server sent one. */
  size: number | undefined;
  /** From Content-Disposition when the server sent one. */
  fileName: string | undefined;
}

/** What a resource needs from the client. */
export interface Requester {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<ZoomResponse<T>>;
  download(url: string, options?: DownloadOptions): Promise<ZoomDownload>;
}
