/**
 * Compile-once queries for the hot path. Kysely compiles a builder to SQL on every execution; for the
 * few lookups every request makes, the SQL is compiled once (per dialect) and only the parameters change.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

export type PreparedQuery<Row> = (...parameters: unknown[]) => Promise<Row | undefined>;

/** `build` receives marker values; each marker must appear once, in the order the parameters are passed. */
export function prepareFirst<Row>(
  db: Kysely<Database>,
  build: (...markers: string[]) => Compilable<Row>,
  arity: number,
): PreparedQuery<Row> {
  const markers = Array.from({ length: arity }, (_, i) => `\u0000zemu-param-${i}`);
  const compiled = build(...markers).compile();
  const positions = compiled.parameters.map((p) => markers.indexOf(p as string));
  if (positions.some((p) => p < 0) || new Set(positions).size !== arity) {
    throw new Error(`prepared query must use each of its ${arity} parameters exactly once: ${compiled.sql}`);
  }
  return async (...parameters) => {
    const query: CompiledQuery<Row> = { ...compiled, parameters: positions.map((p) => parameters[p]) };
    const result = await db.executeQuery(query);
    return result.rows[0];
  };
}
