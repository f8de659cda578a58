/**
 * `next_page_token` for list operations: an opaque, HMAC-signed keyset cursor that expires after 15
 * minutes of emulated time, as Zoom's does. It carries the filter it was issued for, so a token cannot
 * be replayed against another query, and the total, so later pages need no COUNT over the account.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../crypto.js';

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
    return /^\d{1,5}$/.test(size) ? Number(size) : undefined;
  } catch {
    return undefined;
  }
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
}
