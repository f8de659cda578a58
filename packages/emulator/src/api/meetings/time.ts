/** Zoom's meeting times: `start_time` in GMT (`...Z`) or local to a timezone ID; answers in GMT. */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True for an IANA timezone ID the runtime knows (Zoom's list is IANA IDs plus `UTC`/`GMT`). */
export function isTimezone(tz: string): boolean {
  if (tz.length === 0 || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time in `tz` at instant `ms`. */
export function localParts(ms: number, tz: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of `tz` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function offsetAt(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * Parses a `start_time` (already shape-checked): with `Z` or an offset it is absolute; without, it is
 * wall-clock time in `tz`. Returns epoch ms, seconds precision, or NaN.
 */
export function parseStartTime(value: string, tz: string): number {
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return Math.floor(Date.parse(value) / 1000) * 1000;
  const wall = Date.parse(`${value.slice(0, 19)}Z`);
  if (Number.isNaN(wall)) return Number.NaN;
  let guess = wall - offsetAt(wall, tz);
  // Once more at the guess: the offset may differ across a DST change.
  guess = wall - offsetAt(guess, tz);
  return guess;
}

/** Zoom's GMT form: `2026-12-01T10:00:00Z`. */
export function gmt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
