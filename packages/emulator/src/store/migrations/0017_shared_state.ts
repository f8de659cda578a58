/**
 * What several Zemu processes on one PostgreSQL share beyond the world itself (issue 13 point 3):
 * versions of the in-process parts (`zemu_shared`), the fault rules with their counts
 * (`zemu_faults`), and the request log (`zemu_requests`). Created on SQLite too, where they stay
 * empty (one process: nothing to share). Like `zemu_snapshots`, they belong to the state seam and are
 * never part of an image: an image carries its fault rules itself, and the log is not state.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const big = pg ? 'bigint' : 'integer';
  await db.schema
    .createTable('zemu_shared')
    /** `faults`, `limits`, `state`, `dispatcher`. */
    .addColumn('name', 'text', (c) => c.primaryKey())
    /** Raised by every change; an instance that saw another version reloads or forgets. */
    .addColumn('version', big, (c) => c.notNull())
    .addColumn('value', 'text')
    .execute();
  await db.schema
    .createTable('zemu_faults')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Order of addition: the first matching rule answers. */
    .addColumn('position', big, (c) => c.notNull())
    /** JSON: the saved rule without its counters. */
    .addColumn('rule', 'text', (c) => c.notNull())
    /** Fires left (null: unlimited); decremented atomically, so a count is used up once across processes. */
    .addColumn('remaining', 'integer')
    .addColumn('fired', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('zemu_requests')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    /** JSON: the entry without its id. */
    .addColumn('entry', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('zemu_requests').execute();
  await db.schema.dropTable('zemu_faults').execute();
  await db.schema.dropTable('zemu_shared').execute();
}
