import type { Kysely } from 'kysely';
import type { Database, SnapshotTable } from '../schema.js';

/** A snapshot's row without its image. */
export type SnapshotRow = Omit<SnapshotTable, 'image'>;

const INFO = ['id', 'name', 'created_at', 'emulated_at', 'schema_version', 'bytes'] as const;

/** Snapshots of the whole state (`zemu_snapshots`): the image is read only to restore it. */
export class SnapshotsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: SnapshotTable): Promise<void> {
    await this.db.insertInto('zemu_snapshots').values(row).execute();
  }

  /** Oldest first. */
  list(): Promise<SnapshotRow[]> {
    return this.db.selectFrom('zemu_snapshots').select(INFO).orderBy('created_at').orderBy('id').execute();
  }

  find(id: string): Promise<SnapshotRow | undefined> {
    return this.db.selectFrom('zemu_snapshots').select(INFO).where('id', '=', id).executeTakeFirst();
  }

  async image(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('zemu_snapshots')
      .select('image')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.image;
  }

  /** Deletes one snapshot; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('zemu_snapshots').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Retention: deletes up to `limit` snapshots taken (real time) before `cutoff`, oldest first. */
  async pruneTakenBefore(cutoff: number, limit: number): Promise<number> {
    const ids = await this.db
      .selectFrom('zemu_snapshots')
      .select('id')
      .where('created_at', '<', cutoff)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    if (ids.length === 0) return 0;
    const result = await this.db
      .deleteFrom('zemu_snapshots')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
