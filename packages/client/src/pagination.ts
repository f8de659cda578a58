/** Zoom's `next_page_token` pagination as an async iterator. */

export interface TokenPage {
  next_page_token?: string | undefined;
}

/** Iterates the items of every page; `.pages()` iterates whole pages instead. */
export class PageIterator<Item, Page extends TokenPage> implements AsyncIterable<Item> {
  readonly #fetchPage: (nextPageToken: string | undefined) => Promise<Page>;
  readonly #items: (page: Page) => Item[] | undefined;

  constructor(
    fetchPage: (nextPageToken: string | undefined) => Promise<Page>,
    items: (page: Page) => Item[] | undefined,
  ) {
    this.#fetchPage = fetchPage;
    this.#items = items;
  }

  async *pages(): AsyncGenerator<Page, void, undefined> {
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.#fetchPage(token);
      yield page;
      token = page.next_page_token || undefined;
      // A server that repeats a token would loop forever: stop instead.
      if (!token || seen.has(token)) return;
      seen.add(token);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) {
      for (const item of this.#items(page) ?? []) yield item;
    }
  }

  /** Collects every item (mind the memory on big accounts). */
  async toArray(): Promise<Item[]> {
    const all: Item[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}
