import type { Kysely, Selectable } from 'kysely';
import type { Database, SnapshotTable } from '../schema.js';

/** A snapshot's row without its image, which only a restore reads. */
export type SnapshotRow = Omit<Selectable<SnapshotTable>, 'image'>;

const INFO = ['id', 'name', 'created_at', 'emulated_at', 'schema_version', 'bytes'] as const;

/** Named snapshots of the whole state: rows of `zemu_snapshots`, so they survive restarts. */
export class SnapshotsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Selectable<SnapshotTable>): Promise<void> {
    await this.db.insertInto('zemu_snapshots').values(row).execute();
  }

  /** Oldest first. */
  async list(): Promise<SnapshotRow[]> {
    return this.db.selectFrom('zemu_snapshots').select(INFO).orderBy('created_at').orderBy('id').execute();
  }

  async findById(id: string): Promise<SnapshotRow | undefined> {
    return this.db.selectFrom('zemu_snapshots').select(INFO).where('id', '=', id).executeTakeFirst();
  }

  /** The stored image (JSON), or undefined when the snapshot is gone. */
  async image(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('zemu_snapshots')
      .select('image')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.image;
  }

  /** Whether there was such a snapshot. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('zemu_snapshots').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
