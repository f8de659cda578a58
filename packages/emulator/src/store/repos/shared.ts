/**
 * What several Zemu processes on one PostgreSQL share beyond the world (migration 0017): the versions
 * each process compares on every request, the fault rules with their counts, and the request log.
 * Used only on PostgreSQL (`shared/sync.ts`); on SQLite one process owns everything in memory.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.js';

export interface SharedRow {
  name: string;
  version: number;
  value: string | null;
}

export interface StoredFault {
  id: string;
  rule: string;
  remaining: number | null;
  fired: number;
}

export class SharedRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every shared version, and the clock as `zemu_meta` holds it (`version` 0): one round trip. */
  async read(): Promise<SharedRow[]> {
    const result = await sql<SharedRow>`select name, version, value from zemu_shared
      union all select 'clock' as name, 0 as version, value from zemu_meta where key = 'clock'`.execute(
      this.db,
    );
    return result.rows.map((r) => ({ name: r.name, version: Number(r.version), value: r.value }));
  }

  /** Raises `name`'s version (setting its value when given); returns the new version. */
  async bump(name: string, value: string | null = null): Promise<number> {
    const row = await this.db
      .insertInto('zemu_shared')
      .values({ name, version: 1, value })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({
          version: sql<number>`zemu_shared.version + 1`,
          value: value === null ? sql<string | null>`zemu_shared.value` : value,
        }),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    return Number(row.version);
  }

  // Fault rules ------------------------------------------------------------------------------

  async faults(): Promise<StoredFault[]> {
    return this.db
      .selectFrom('zemu_faults')
      .select(['id', 'rule', 'remaining', 'fired'])
      .orderBy('position')
      .execute();
  }

  /** Adds a rule, or replaces the one with its id (a new rule goes last either way). */
  async putFault(id: string, rule: string, remaining: number | null, fired: number): Promise<void> {
    const position = sql<number>`(select coalesce(max(position), 0) + 1 from zemu_faults)`;
    await this.db
      .insertInto('zemu_faults')
      .values({ id, position, rule, remaining, fired })
      .onConflict((oc) => oc.column('id').doUpdateSet({ position, rule, remaining, fired }))
      .execute();
  }

  async deleteFault(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('zemu_faults').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async clearFaults(): Promise<void> {
    await this.db.deleteFrom('zemu_faults').execute();
  }

  /**
   * Uses one fire of a counted rule, atomically: the new remaining count, or null when no fire was
   * left (another process used the last one). A rule used up is deleted in the same statement's wake.
   */
  async consumeFault(id: string): Promise<number | null> {
    const row = await this.db
      .updateTable('zemu_faults')
      .set({ remaining: sql<number>`remaining - 1`, fired: sql<number>`fired + 1` })
      .where('id', '=', id)
      .where('remaining', '>', 0)
      .returning('remaining')
      .executeTakeFirst();
    if (!row) return null;
    if (row.remaining !== null && row.remaining <= 0) {
      await this.db.deleteFrom('zemu_faults').where('id', '=', id).where('remaining', '<=', 0).execute();
    }
    return row.remaining;
  }

  /** Counts a fire of a rule without a count. */
  async firedFault(id: string): Promise<void> {
    await this.db
      .updateTable('zemu_faults')
      .set({ fired: sql<number>`fired + 1` })
      .where('id', '=', id)
      .execute();
  }

  // Request log ------------------------------------------------------------------------------

  /** Appends entries (JSON without id) in one statement; returns their ids in order. */
  async appendRequests(entries: string[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const rows = await this.db
      .insertInto('zemu_requests')
      .values(entries.map((entry) => ({ entry })))
      .returning('id')
      .execute();
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** The newest `limit` entries, newest first. */
  async newestRequests(limit: number): Promise<{ id: number; entry: string }[]> {
    return this.db
      .selectFrom('zemu_requests')
      .select(['id', 'entry'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Entries after `id`, oldest first, at most `limit`. */
  async requestsAfter(id: number, limit: number): Promise<{ id: number; entry: string }[]> {
    return this.db
      .selectFrom('zemu_requests')
      .select(['id', 'entry'])
      .where('id', '>', id)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async findRequest(id: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('zemu_requests')
      .select('entry')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.entry;
  }

  /** The id of the newest entry (0 when empty) and how many are kept. */
  async requestsExtent(): Promise<{ newest: number; kept: number }> {
    const row = await this.db
      .selectFrom('zemu_requests')
      .select([sql<number>`coalesce(max(id), 0)`.as('newest'), sql<number>`count(*)`.as('kept')])
      .executeTakeFirstOrThrow();
    return { newest: Number(row.newest), kept: Number(row.kept) };
  }

  /** Keeps the newest `capacity` entries. */
  async pruneRequests(capacity: number): Promise<void> {
    await sql`delete from zemu_requests where id <= (select max(id) from zemu_requests) - ${capacity}`.execute(
      this.db,
    );
  }

  async clearRequests(): Promise<void> {
    await this.db.deleteFrom('zemu_requests').execute();
  }
}
