/**
 * Paging of the list operations (GET /users, GET /users/{userId}/meetings): Zoom's page parameters,
 * and `next_page_token`, an opaque, HMAC-signed keyset cursor that expires after 15 minutes of
 * emulated time, as Zoom's does. It carries the filter it was issued for, so a token cannot be
 * replayed against another query, and the total, so later pages need no COUNT over the account.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../crypto.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { integerQuery } from '../http/input.js';

export interface PageQuery {
  page_size?: string;
  page_number?: string;
}

/**
 * `page_size` (default 30, 1 to `maxPageSize`) and the deprecated `page_number` (1 or more), each bad
 * one added to `errors` under its field name.
 */
export function pageParams(
  query: PageQuery,
  maxPageSize: number,
  errors: FieldError[],
): { pageSize: number; pageNumber: number | undefined } {
  const pageSize = query.page_size === undefined ? 30 : (integerQuery(query.page_size, 5) ?? 0);
  if (pageSize < 1 || pageSize > maxPageSize)
    errors.push({
      field: 'page_size',
      message: `Invalid field. The page size must be from 1 to ${maxPageSize}.`,
    });
  const pageNumber = query.page_number === undefined ? undefined : (integerQuery(query.page_number, 7) ?? 0);
  if (pageNumber !== undefined && pageNumber < 1)
    errors.push({ field: 'page_number', message: 'Invalid field.' });
  return { pageSize, pageNumber };
}

/**
 * The `next_page_token` (empty when none) and the page size of a keyset list: `page_size` when given,
 * else the size the token was issued for, so that a client that sends only the token gets pages of
 * the size it asked for first. `page_number` is read only where the list still takes it
 * (`withPageNumber`); elsewhere it is an unknown parameter, ignored as Zoom ignores those.
 */
export function keysetPage(
  query: { page_size?: string; page_number?: string; next_page_token?: unknown },
  maxPageSize: number,
  errors: FieldError[],
  withPageNumber = false,
): { token: string; pageSize: number; pageNumber: number | undefined } {
  const token = typeof query.next_page_token === 'string' ? query.next_page_token : '';
  const sized = query.page_size === undefined && token ? pageSizeOf(token) : undefined;
  const size = query.page_size ?? (sized ? String(sized) : undefined);
  const params = pageParams(
    {
      ...(size === undefined ? {} : { page_size: size }),
      ...(withPageNumber && query.page_number !== undefined ? { page_number: query.page_number } : {}),
    },
    maxPageSize,
    errors,
  );
  return { token, ...params };
}

export const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;

export interface Cursor {
  /** The query the cursor belongs to, e.g. `users:<account>:<status>:<role>`. */
  scope: string;
  /** Keyset position: the last `seq` returned. */
  after: number;
  /** Page number of the next page. */
  page: number;
  total: number;
  /** Emulated epoch ms after which the token is refused. */
  expires: number;
}

export function encodeCursor(key: Buffer, cursor: Cursor): string {
  const body = Buffer.from(
    JSON.stringify([cursor.scope, cursor.after, cursor.page, cursor.total, cursor.expires]),
  ).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

/**
 * The paging fields of a list answer. `next` is where the next page starts (its `after`), or undefined
 * on the last page; the token it becomes expires PAGE_TOKEN_TTL_MS of emulated time from `now`.
 */
export function pageAnswer(
  key: Buffer,
  page: { scope: string; number: number; size: number; total: number; next: number | undefined },
  now: number,
) {
  const token =
    page.next === undefined
      ? ''
      : encodeCursor(key, {
          scope: page.scope,
          after: page.next,
          page: page.number + 1,
          total: page.total,
          expires: now + PAGE_TOKEN_TTL_MS,
        });
  return {
    next_page_token: token,
    page_count: Math.ceil(page.total / page.size),
    page_number: page.number,
    page_size: page.size,
    total_records: page.total,
  };
}

/**
 * One page of a keyset list: from the token's position (a bad, expired or foreign token is Zoom's
 * 300), `pageSize + 1` rows fetched after it so that the extra one tells whether a next page exists,
 * and the paging fields. The total comes from the token on later pages; on the first, from `count`
 * when given, else from what `fetch` answered with its rows.
 */
export async function keysetPageOf<R extends { seq: number }>(
  key: Buffer,
  request: { token: string; scope: string; pageSize: number; now: number },
  fetch: (after: number, limit: number) => Promise<{ rows: R[]; total?: number }>,
  count?: () => Promise<number>,
): Promise<{ shown: R[]; paging: ReturnType<typeof pageAnswer> }> {
  const { token, scope, pageSize, now } = request;
  let after = 0;
  let number = 1;
  let total: number | undefined;
  if (token) {
    const check = decodeCursor(key, token, scope, now);
    if (!check.ok) throw zoomErrors.invalidPageToken(check.reason);
    ({ after, page: number, total } = check.cursor);
  } else if (count) {
    total = await count();
  }
  const fetched = await fetch(after, pageSize + 1);
  const shown = fetched.rows.slice(0, pageSize);
  const next = fetched.rows.length > pageSize ? shown.at(-1)?.seq : undefined;
  const paging = pageAnswer(
    key,
    { scope, number, size: pageSize, total: total ?? fetched.total ?? 0, next },
    now,
  );
  return { shown, paging };
}

export type CursorCheck =
  | { ok: true; cursor: Cursor }
  | { ok: false; reason: 'invalid' | 'expired' | 'mismatch' };

export function decodeCursor(key: Buffer, token: string, scope: string, now: number): CursorCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || !constantTimeEqual(signature, sign(key, body))) {
    return { ok: false, reason: 'invalid' };
  }
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!Array.isArray(fields) || fields.length !== 5) return { ok: false, reason: 'invalid' };
  const [tokenScope, after, page, total, expires] = fields as [string, number, number, number, number];
  if (tokenScope !== scope) return { ok: false, reason: 'mismatch' };
  if (now >= expires) return { ok: false, reason: 'expired' };
  return { ok: true, cursor: { scope, after, page, total, expires } };
}

/**
 * The page size a token was issued for, read without checking it (decodeCursor checks it): the last
 * `:`-separated part of its scope. Lets a next page without `page_size` continue at the token's own size.
 */
export function pageSizeOf(token: string): number | undefined {
  try {
    const fields = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    const size =
      Array.isArray(fields) && typeof fields[0] === 'string' ? (fields[0].split(':').at(-1) ?? '') : '';
    return integerQuery(size, 5);
  } catch {
    return undefined;
  }
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
}
