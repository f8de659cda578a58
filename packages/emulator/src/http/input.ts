/**
 * Reading what a request sent: e-mail addresses, plain objects, and query values (a query string
 * carries only text, so `true`, `false` and numbers arrive as strings and are checked here).
 */
import { type FieldError, zoomErrors } from '../errors/zoom.js';

/** An e-mail address as Zoom checks one: something, `@`, a domain with a dot. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A JSON object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body as an object, or Zoom's "Request Body should be a valid JSON object." */
export function requireObject(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw zoomErrors.invalidJson();
  return body;
}

/** `input` as an object, or a 300 whose field error under `field` says "Must be an object." */
export function requireObjectField(input: unknown, field = 'body'): Record<string, unknown> {
  if (!isObject(input)) throw zoomErrors.validation([{ field, message: 'Must be an object.' }]);
  return input;
}

/**
 * A `true` / `false` query value as a boolean; undefined when absent. Anything else adds a field
 * error under `field` (Zoom's "Invalid field." unless `message` says otherwise).
 */
export function booleanQuery(
  value: unknown,
  field: string,
  errors: FieldError[],
  message = 'Invalid field.',
): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') {
    errors.push({ field, message });
    return undefined;
  }
  return value === 'true';
}

/**
 * A query value of decimal digits only, at most `digits` of them (no sign, no exponent, no blank), as
 * a number; undefined when it is anything else. The bound keeps absurd values out of Number.
 */
export function integerQuery(value: unknown, digits: number): number | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > digits) return undefined;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `yyyy-mm-dd` query value (`from`, `to` of Zoom's lists) as the epoch ms of that day's 00:00 UTC;
 * undefined when absent. Anything else, an impossible date included, adds Zoom's field error.
 */
export function dateQuery(value: unknown, field: string, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && DATE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    errors.push({ field, message: 'Invalid field. Use yyyy-MM-dd.' });
    return undefined;
  }
  return ms;
}
