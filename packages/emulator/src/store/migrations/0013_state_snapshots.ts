/**
 * Snapshots of the whole state (`POST /_zemu/snapshots`): each one is the JSON image the state seam
 * (`store/state.ts`) captured. The table belongs to the seam and is never part of an image itself.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const big = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('zemu_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    /** Real time of the capture, epoch ms. */
    .addColumn('created_at', big, (c) => c.notNull())
    /** The emulated clock at the capture, epoch ms. */
    .addColumn('emulated_at', big, (c) => c.notNull())
    /** The last migration applied when captured: the image's schema. */
    .addColumn('schema_version', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    /** JSON: the seam's image plus the in-memory parts (fault rules). */
    .addColumn('image', 'text', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('zemu_snapshots').execute();
}
