/**
 * Whether an error says that something Zemu depends on (PostgreSQL, Redis, a locked SQLite file) is
 * away for now, rather than that Zemu is wrong. Such a failure answers 503 (http/errors.ts), which a
 * client may retry; anything else stays a 500 that names a bug. Returns the failure in words for the
 * log and the request log, or undefined.
 */

/** Node's socket errors: nothing answered, or the connection broke. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is going away or not there yet: class 08 (connection
 * exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up),
 * 53300 too many connections.
 */
const PG_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** What node-postgres, pg-pool and ioredis say, without a code, when the connection is gone. */
const MESSAGES = [
  /^Connection terminated/, // pg: "Connection terminated unexpectedly", "... due to connection timeout"
  /is not queryable/, // pg: "Client has encountered a connection error and is not queryable"
  /^timeout exceeded when trying to connect/, // pg-pool's connectionTimeoutMillis
  /^Connection is closed\.?$/, // ioredis
  /^Stream isn't writeable/, // ioredis without its offline queue
  /^Command timed out/, // ioredis commandTimeout
];

const NAMES = new Set(['MaxRetriesPerRequestError']); // ioredis, when Redis stays away

export function unavailableDependency(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const e = error as { code?: unknown; message?: unknown; name?: unknown; errors?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]?.slice(0, 200) : '';
  const described = () => (code ? `${message || code} (${code})` : message || String(e.name));
  // SQLITE_FULL: the disk (or an in-memory database's 1 GiB) is full, not a bug of the request's.
  if (SOCKET_CODES.has(code) || PG_UNAVAILABLE.test(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_FULL')
    return described();
  if (typeof e.name === 'string' && NAMES.has(e.name)) return described();
  if (message && MESSAGES.some((m) => m.test(message))) return described();
  // Node 20 connects to every address of a name: an AggregateError of the refusals.
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const inner = e.errors.map((x) => unavailableDependency(x, depth + 1));
    if (inner.every((x) => x !== undefined)) return inner[0];
  }
  if (e.cause !== undefined) return unavailableDependency(e.cause, depth + 1);
  return undefined;
}
