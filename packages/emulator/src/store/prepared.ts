/**
 * Compile-once queries for the hot path. Kysely compiles a builder to SQL on every execution; for the
 * few lookups every request makes, the SQL is compiled once (per dialect, on first use) and only the
 * parameters change.
 *
 * On SQLite the compiled statement also runs synchronously through better-sqlite3 (`now`), without
 * Kysely's promise chain and connection mutex, whenever no transaction is open on the one connection.
 * While one is (another request is between BEGIN and COMMIT), and always on PostgreSQL, the query goes
 * through Kysely, which waits its turn: a lookup never sees another request's uncommitted writes.
 */
import type SQLite from 'better-sqlite3';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { rawSqlite } from './db.js';
import type { Database } from './schema.js';

/** What `now` answers when it cannot run synchronously; the caller then awaits the query instead. */
export const NOT_NOW: unique symbol = Symbol('zemu.prepared.notNow');
export type NotNow = typeof NOT_NOW;

export interface PreparedQuery<Row> {
  /** The first row (undefined when none): synchronously executed on SQLite where possible. */
  (...parameters: unknown[]): Promise<Row | undefined>;
  /** The first row now, or NOT_NOW when only the asynchronous path can answer. */
  now(...parameters: unknown[]): Row | undefined | NotNow;
}

export interface PrepareOptions {
  /**
   * Rows as arrays in the order of these column names (better-sqlite3's raw mode: no object with a
   * key per column is built). On the asynchronous path the row object is read in the same order.
   */
  columns?: readonly string[];
}

/** `build` receives marker values; each marker must appear once, in the order the parameters are passed. */
export function prepareFirst<Row>(
  db: Kysely<Database>,
  build: (...markers: string[]) => Compilable<unknown>,
  arity: number,
  options: PrepareOptions = {},
): PreparedQuery<Row> {
  const columns = options.columns;
  let compiled: CompiledQuery<unknown> | undefined;
  let positions: number[] = [];
  // Compiled on first use: repositories are built for every transaction, most of their queries unused.
  const compile = (): CompiledQuery<unknown> => {
    if (compiled) return compiled;
    const markers = Array.from({ length: arity }, (_, i) => `\u0000zemu-param-${i}`);
    const query = build(...markers).compile();
    positions = query.parameters.map((p) => markers.indexOf(p as string));
    if (positions.some((p) => p < 0) || new Set(positions).size !== arity) {
      throw new Error(`prepared query must use each of its ${arity} parameters exactly once: ${query.sql}`);
    }
    compiled = query;
    return query;
  };
  const ordered = (parameters: unknown[]) => positions.map((p) => parameters[p]);

  const sqlite = rawSqlite(db);
  let statement: SQLite.Statement | undefined;
  const statementFor = (handle: SQLite.Database): SQLite.Statement => {
    if (statement) return statement;
    const prepared = handle.prepare(compile().sql);
    if (columns) {
      const names = prepared.columns().map((c) => c.name);
      if (names.join(',') !== columns.join(',')) {
        throw new Error(`prepared query's columns (${names.join(',')}) are not ${columns.join(',')}`);
      }
      prepared.raw(true);
    }
    statement = prepared;
    return prepared;
  };

  const now = (...parameters: unknown[]): Row | undefined | NotNow => {
    if (!sqlite || sqlite.inTransaction) return NOT_NOW;
    const s = statementFor(sqlite);
    return s.get(ordered(parameters)) as Row | undefined;
  };

  const run = (...parameters: unknown[]): Promise<Row | undefined> => {
    try {
      const row = now(...parameters);
      if (row !== NOT_NOW) return Promise.resolve(row);
    } catch (error) {
      return Promise.reject(error);
    }
    const base = compile();
    const query: CompiledQuery<unknown> = { ...base, parameters: ordered(parameters) };
    return db.executeQuery(query).then((result) => {
      const row = result.rows[0] as Record<string, unknown> | undefined;
      if (!row || !columns) return row as Row | undefined;
      return columns.map((c) => row[c]) as Row;
    });
  };
  return Object.assign(run, { now });
}
