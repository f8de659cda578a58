/** Zoom's page parameters, shared by the list operations (GET /users, GET /users/{userId}/meetings). */
import type { FieldError } from '../errors/zoom.js';

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
  const pageSize =
    query.page_size === undefined ? 30 : /^\d{1,5}$/.test(query.page_size) ? Number(query.page_size) : 0;
  if (pageSize < 1 || pageSize > maxPageSize)
    errors.push({
      field: 'page_size',
      message: `Invalid field. The page size must be from 1 to ${maxPageSize}.`,
    });
  const pageNumber =
    query.page_number === undefined
      ? undefined
      : /^\d{1,7}$/.test(query.page_number)
        ? Number(query.page_number)
        : 0;
  if (pageNumber !== undefined && pageNumber < 1)
    errors.push({ field: 'page_number', message: 'Invalid field.' });
  return { pageSize, pageNumber };
}
