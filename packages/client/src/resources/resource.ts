/**
 * The base of every resource (stripe-node's StripeResource, reduced to what Zoom needs): a resource
 * only names paths and types; the client behind `Requester` does tokens, retries and errors.
 */
import { PageIterator, type TokenPage } from '../pagination.js';
import type { CallOptions, DownloadOptions, Requester, RequestOptions, ZoomDownload } from '../request.js';

export abstract class ZoomResource {
  readonly #client: Requester;
  constructor(client: Requester) {
    this.#client = client;
  }

  /** One call, answering its body: the status and headers are the client's business. */
  protected async call<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return (await this.#client.request<T>(method, path, options)).data;
  }

  /**
   * Every item of a listing, page after page: `fetchPage` is called with `query` and, after the first
   * page, the `next_page_token` the previous page gave.
   */
  protected paginate<Query extends object, Item, Page extends TokenPage>(
    query: Query,
    fetchPage: (query: Query & { next_page_token?: string }) => Promise<Page>,
    items: (page: Page) => Item[] | undefined,
  ): PageIterator<Item, Page> {
    return new PageIterator(
      (next_page_token) => fetchPage({ ...query, ...(next_page_token ? { next_page_token } : {}) }),
      items,
    );
  }

  /** A file outside the API (an absolute URL), streamed. */
  protected fetchFile(url: string, options?: DownloadOptions): Promise<ZoomDownload> {
    return this.#client.download(url, options);
  }
}

/** Splits an options object that mixes query fields with the per-call options. */
export function splitCallOptions<T extends CallOptions>(
  options: T | undefined,
): { call: CallOptions; rest: Omit<T, keyof CallOptions> } {
  const { signal, timeoutMs, maxRetries, headers, ...rest } = options ?? ({} as T);
  const call: CallOptions = {};
  if (signal) call.signal = signal;
  if (timeoutMs !== undefined) call.timeoutMs = timeoutMs;
  if (maxRetries !== undefined) call.maxRetries = maxRetries;
  if (headers) call.headers = headers;
  return { call, rest };
}

/** `/users/{userId}`, the root of most user-scoped paths. */
export const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}`;
