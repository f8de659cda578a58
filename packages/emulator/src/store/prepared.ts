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
import { sqliteHolder } from './db.js';
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

interface Compiled {
  /** The compiled query, compiled on first use: repositories are built for every transaction. */
  query(): CompiledQuery<unknown>;
  /** The parameters in the order the SQL wants them. */
  ordered(parameters: unknown[]): unknown[];
}

function compileOnce(build: (...markers: string[]) => Compilable<unknown>, arity: number): Compiled {
  let compiled: CompiledQuery<unknown> | undefined;
  let positions: number[] = [];
  return {
    query() {
      if (compiled) return compiled;
      const markers = Array.from({ length: arity }, (_, i) => `\u0000zemu-param-${i}`);
      const query = build(...markers).compile();
      positions = query.parameters.map((p) => markers.indexOf(p as string));
      if (positions.some((p) => p < 0) || new Set(positions).size !== arity) {
        throw new Error(`prepared query must use each of its ${arity} parameters exactly once: ${query.sql}`);
      }
      compiled = query;
      return query;
    },
    ordered: (parameters) => positions.map((p) => parameters[p]),
  };
}

/**
 * `row => ({ "a": row[0], "b": row[1], … })` for these column names (JSON-quoted, so any name is
 * safe; a repeated name keeps its last value, as the driver's objects do).
 */
function rowBuilder<Row>(names: readonly string[]): (row: unknown[]) => Row {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: row[${i}]`);
  return new Function('row', `return { ${fields.join(', ')} };`) as (row: unknown[]) => Row;
}

/**
 * A better-sqlite3 statement prepared once per connection, on first synchronous use (again only
 * when an in-memory database was swapped whole by a restore).
 */
function statementOnce(compiled: Compiled, setup: (statement: SQLite.Statement) => void = () => {}) {
  let statement: SQLite.Statement | undefined;
  let on: SQLite.Database | undefined;
  return (handle: SQLite.Database): SQLite.Statement => {
    if (!statement || on !== handle) {
      statement = handle.prepare(compiled.query().sql);
      on = handle;
      setup(statement);
    }
    return statement;
  };
}

/** `build` receives marker values; each marker must appear once, in the order the parameters are passed. */
export function prepareFirst<Row>(
  db: Kysely<Database>,
  build: (...markers: string[]) => Compilable<unknown>,
  arity: number,
  options: PrepareOptions = {},
): PreparedQuery<Row> {
  const columns = options.columns;
  const compiled = compileOnce(build, arity);
  const sqlite = sqliteHolder(db);
  // Rows come from better-sqlite3 as arrays; objects (when asked for objects) are built by a literal
  // generated once from the statement's column names: the driver's own objects intern every key of
  // every row and are built key by key.
  let toObject: ((row: unknown[]) => Row) | undefined;
  const statementFor = statementOnce(compiled, (statement) => {
    const names = statement.columns().map((c) => c.name);
    if (columns && names.join(',') !== columns.join(',')) {
      throw new Error(`prepared query's columns (${names.join(',')}) are not ${columns.join(',')}`);
    }
    if (!columns) toObject = rowBuilder<Row>(names);
    statement.raw(true);
  });

  const now = (...parameters: unknown[]): Row | undefined | NotNow => {
    const handle = sqlite?.current;
    if (!handle || handle.inTransaction) return NOT_NOW;
    const row = statementFor(handle).get(compiled.ordered(parameters)) as unknown[] | undefined;
    if (!row) return undefined;
    return toObject ? toObject(row) : (row as Row);
  };

  const run = (...parameters: unknown[]): Promise<Row | undefined> => {
    try {
      const row = now(...parameters);
      if (row !== NOT_NOW) return Promise.resolve(row);
    } catch (error) {
      return Promise.reject(error);
    }
    const query: CompiledQuery<unknown> = { ...compiled.query(), parameters: compiled.ordered(parameters) };
    return db.executeQuery(query).then((result) => {
      const row = result.rows[0] as Record<string, unknown> | undefined;
      if (!row || !columns) return row as Row | undefined;
      return columns.map((c) => row[c]) as Row;
    });
  };
  return Object.assign(run, { now });
}

/** Runs the statement; resolves to the number of rows it changed. */
export type PreparedWrite = (...parameters: unknown[]) => Promise<number>;

/** A compile-once INSERT/UPDATE/DELETE, synchronous on SQLite under the same rule as `prepareFirst`. */
export function prepareWrite(
  db: Kysely<Database>,
  build: (...markers: string[]) => Compilable<unknown>,
  arity: number,
): PreparedWrite {
  const compiled = compileOnce(build, arity);
  const sqlite = sqliteHolder(db);
  const statementFor = statementOnce(compiled);
  return (...parameters: unknown[]): Promise<number> => {
    const handle = sqlite?.current;
    if (handle && !handle.inTransaction) {
      try {
        return Promise.resolve(statementFor(handle).run(compiled.ordered(parameters)).changes);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const query: CompiledQuery<unknown> = { ...compiled.query(), parameters: compiled.ordered(parameters) };
    return db.executeQuery(query).then((result) => Number(result.numAffectedRows ?? 0));
  };
}
