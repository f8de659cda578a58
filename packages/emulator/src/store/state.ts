/**
 * The state seam: the one place that captures and replaces everything Zemu keeps in its database.
 * Reset, snapshots, export and import are all built on it.
 *
 * The tables are enumerated from the database's own catalog (`sqlite_master`, PostgreSQL's
 * `information_schema` in Zemu's schema), i.e. from what the migrations created: a table a later
 * migration adds is part of every image without anyone listing it. Only the seam's own bookkeeping
 * (`SEAM_TABLES`) and the installation's identity (`IDENTITY_META_KEYS`) stay out.
 *
 * A load is one transaction: every table is emptied and refilled, triggers are held off so that
 * derived tables (`user_counts`) get exactly the captured rows, and sequences are set back. A crash
 * or an error in the middle leaves the previous state, because nothing commits until the end.
 * On SQLite the whole load runs synchronously on the one connection, once Kysely has handed it over,
 * so no other statement can run between its first and last write.
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { openMemoryImage, type SqliteHolder, sqliteHolder, swapMemoryDatabase } from './db.js';
import type { DialectName } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * Tables that are not state: the migrator's, the snapshots themselves, and what several processes
 * share about the in-process parts (versions, fault rules, which an image carries apart, the log).
 */
export const SEAM_TABLES: readonly string[] = [
  'zemu_migrations',
  'zemu_migrations_lock',
  'zemu_snapshots',
  'zemu_shared',
  'zemu_faults',
  'zemu_requests',
];
/** Rows of `zemu_meta` that identify the installation; kept by every load, never in an image. */
export const IDENTITY_META_KEYS: readonly string[] = ['installation_key'];
/** The schema an image taken now has: the last migration's name. */
export const SCHEMA_VERSION = Object.keys(migrations).sort().at(-1) as string;

export type CellValue = string | number | null;

export interface TableImage {
  columns: string[];
  rows: CellValue[][];
}

export interface StateImage {
  /** The last migration applied when the image was taken. */
  schema: string;
  tables: Record<string, TableImage>;
  /** Last value handed out by each auto-increment column, by `table.column` (0: none yet). */
  sequences: Record<string, number>;
}

export class StateImageError extends Error {}

interface Catalog {
  /** The last migration applied to this database. */
  schema: string;
  /** Parents before children (foreign keys). */
  tables: string[];
  columns: Map<string, string[]>;
  /** `table.column` of every auto-increment column, with PostgreSQL's sequence name. */
  sequences: { key: string; table: string; pgSequence?: string }[];
  /** SQLite: triggers to drop and re-create around a load. */
  sqliteTriggers: { name: string; sql: string }[];
  /** PostgreSQL: tables whose user triggers are disabled during a load. */
  pgTriggerTables: string[];
}

export interface LoadOptions {
  /** Replaces the installation's identity rows (an import from another installation) in the same transaction. */
  identity?: Record<string, string>;
  /** Called after each table is refilled, inside the transaction (for tests of an interrupted load). */
  onTableLoaded?: (table: string) => void;
  /**
   * In-memory SQLite: names what this image holds apart from `zemu_meta` (the image itself, or the
   * start state a reset's image is made from). The first load under a key goes table by table and
   * keeps a page image of the result; later loads under it open that page image instead (a copy of
   * pages, not rows: see `loadPages`). `zemu_meta` always comes from `image`.
   */
  pagesKey?: object;
}

export interface CaptureOptions {
  /** In-memory SQLite: also keep a page image of the database, so that loading this image is a copy of pages. */
  keepPages?: boolean;
}

const catalogs = new WeakMap<object, Promise<Catalog>>();

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Capture and load of every Zemu table over one root database (never a transaction's). */
export class StateSeam {
  /** Page images (`serialize()`) of the database holding an image's tables, by the image or its key. */
  private readonly pages = new WeakMap<object, Buffer>();
  /** Images already checked against a catalog: images are never changed once made. */
  private readonly checked = new WeakMap<object, Catalog>();
  /** Images whose rows are known to satisfy every foreign key (captured here, or loaded and checked). */
  private readonly consistent = new WeakSet<object>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /** Reads the catalog again (after a migration changed the schema under this seam). */
  refresh(): void {
    catalogs.delete(this.db);
  }

  /** The state tables, parents first: what an image holds. */
  async tables(): Promise<string[]> {
    return (await this.catalog()).tables;
  }

  private catalog(): Promise<Catalog> {
    let found = catalogs.get(this.db);
    if (!found) {
      found = this.dialect === 'postgres' ? readPgCatalog(this.db) : readSqliteCatalog(this.db);
      found.catch(() => catalogs.delete(this.db));
      catalogs.set(this.db, found);
    }
    return found;
  }

  /** An image with every table empty (what a reset starts from). */
  async emptyImage(): Promise<StateImage> {
    const catalog = await this.catalog();
    const tables: Record<string, TableImage> = {};
    for (const table of catalog.tables)
      tables[table] = { columns: catalog.columns.get(table) ?? [], rows: [] };
    return { schema: catalog.schema, tables, sequences: {} };
  }

  /** The last migration applied to this database: the schema of its images. */
  async schema(): Promise<string> {
    return (await this.catalog()).schema;
  }

  /** Every row of every state table, read as one consistent view. */
  async capture(options: CaptureOptions = {}): Promise<StateImage> {
    const catalog = await this.catalog();
    const holder = sqliteHolder(this.db);
    if (holder) {
      // The connection, once Kysely hands it over, has no transaction of another request open on it.
      return this.db.connection().execute(async () => {
        const raw = holder.current;
        const image = captureSqlite(raw, catalog);
        // Read in the same synchronous step as the rows, so the pages hold exactly this image.
        if (options.keepPages && holder.memory) this.pages.set(image, raw.serialize());
        this.consistent.add(image);
        return image;
      });
    }
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const tables: Record<string, TableImage> = {};
        for (const table of catalog.tables) {
          const columns = catalog.columns.get(table) ?? [];
          const result = await sql<
            Record<string, CellValue>
          >`select ${sql.raw(columns.map(q).join(', '))} from ${sql.raw(q(table))}`.execute(trx);
          tables[table] = { columns, rows: result.rows.map((row) => columns.map((c) => row[c] ?? null)) };
          if (table === 'zemu_meta') tables[table].rows = withoutIdentity(tables[table]);
        }
        const sequences: Record<string, number> = {};
        for (const s of catalog.sequences) {
          const result = await sql<{
            last_value: number | string;
            is_called: boolean;
          }>`select last_value, is_called from ${sql.raw(s.pgSequence as string)}`.execute(trx);
          const row = result.rows[0];
          sequences[s.key] = row?.is_called ? Number(row.last_value) : 0;
        }
        return { schema: catalog.schema, tables, sequences };
      });
  }

  /** Checks an image against the tables as they are, before anything is written. */
  async check(image: unknown): Promise<StateImage> {
    return this.checkOnce(image, await this.catalog());
  }

  private checkOnce(image: unknown, catalog: Catalog): StateImage {
    if (typeof image === 'object' && image !== null && this.checked.get(image) === catalog)
      return image as StateImage;
    const checked = checkImage(image, catalog);
    this.checked.set(checked, catalog);
    return checked;
  }

  /**
   * Replaces the whole state by `image` in one transaction: tables the image lacks are emptied, the
   * installation's identity rows are kept. Throws StateImageError, writing nothing, on a bad image.
   */
  async load(image: StateImage, options: LoadOptions = {}): Promise<void> {
    try {
      await this.loadChecked(image, options);
    } catch (error) {
      // A row the tables refuse (a duplicate key, a dangling reference, a text in a number column):
      // the transaction rolled back, so nothing was written.
      const code = String((error as { code?: unknown })?.code ?? '');
      if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || /^2[23]/.test(code))
        throw new StateImageError(`the state does not fit the tables: ${(error as Error).message}`);
      throw error;
    }
  }

  private async loadChecked(image: StateImage, options: LoadOptions): Promise<void> {
    const catalog = await this.catalog();
    const checked = this.checkOnce(image, catalog);
    const holder = sqliteHolder(this.db);
    if (holder) {
      await this.db.connection().execute(async () => {
        const key = holder.memory && !options.onTableLoaded ? options.pagesKey : undefined;
        const pages = key ? this.pages.get(key) : undefined;
        if (key && pages) {
          const refreshed = loadPages(this.db, holder, pages, checked, options);
          if (refreshed) this.pages.set(key, refreshed);
          return;
        }
        loadSqlite(holder.current, catalog, checked, options, !this.consistent.has(checked));
        this.consistent.add(checked);
        if (key) this.pages.set(key, holder.current.serialize());
      });
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (const table of catalog.pgTriggerTables)
        await sql`alter table ${sql.raw(q(table))} disable trigger user`.execute(trx);
      for (const table of [...catalog.tables].reverse())
        await sql`delete from ${sql.raw(q(table))}${sql.raw(table === 'zemu_meta' ? identityFilter() : '')}`.execute(
          trx,
        );
      for (const table of catalog.tables) {
        const part = checked.tables[table];
        if (part && part.rows.length > 0) {
          const rows = table === 'zemu_meta' ? withoutIdentity(part) : part.rows;
          const perChunk = Math.max(1, Math.floor(30_000 / Math.max(1, part.columns.length)));
          for (let i = 0; i < rows.length; i += perChunk) {
            const chunk = rows.slice(i, i + perChunk);
            await sql`insert into ${sql.raw(q(table))} (${sql.raw(part.columns.map(q).join(', '))}) values ${sql.join(
              chunk.map((row) => sql`(${sql.join(row)})`),
            )}`.execute(trx);
          }
        }
        options.onTableLoaded?.(table);
      }
      for (const [key, value] of Object.entries(options.identity ?? {}))
        await sql`insert into zemu_meta (key, value) values (${key}, ${value})
          on conflict (key) do update set value = excluded.value`.execute(trx);
      for (const s of catalog.sequences) {
        const value = checked.sequences[s.key] ?? 0;
        await sql`select setval(${s.pgSequence as string}, ${Math.max(1, value)}, ${value > 0})`.execute(trx);
      }
      for (const table of catalog.pgTriggerTables)
        await sql`alter table ${sql.raw(q(table))} enable trigger user`.execute(trx);
    });
  }
}

function identityFilter(): string {
  return ` where key not in (${IDENTITY_META_KEYS.map((k) => `'${k}'`).join(', ')})`;
}

function withoutIdentity(part: TableImage): CellValue[][] {
  const key = part.columns.indexOf('key');
  return part.rows.filter((row) => !IDENTITY_META_KEYS.includes(String(row[key])));
}

function captureSqlite(raw: SQLite.Database, catalog: Catalog): StateImage {
  const tables: Record<string, TableImage> = {};
  for (const table of catalog.tables) {
    const columns = catalog.columns.get(table) ?? [];
    const rows = raw
      .prepare(`select ${columns.map(q).join(', ')} from ${q(table)}`)
      .raw(true)
      .all() as CellValue[][];
    tables[table] = { columns, rows };
    if (table === 'zemu_meta') tables[table].rows = withoutIdentity(tables[table]);
  }
  const sequences: Record<string, number> = {};
  if (catalog.sequences.length > 0) {
    const seqs = new Map(
      (raw.prepare('select name, seq from sqlite_sequence').all() as { name: string; seq: number }[]).map(
        (r) => [r.name, r.seq],
      ),
    );
    for (const s of catalog.sequences) sequences[s.key] = seqs.get(s.table) ?? 0;
  }
  return { schema: catalog.schema, tables, sequences };
}

/**
 * Row by row, in one transaction. Foreign keys are off for it (SQLite switches them only outside a
 * transaction), so that emptying a table is SQLite's truncation instead of a delete row by row with
 * a look-up per reference; an image not known to be consistent is checked by `foreign_key_check`
 * before the commit instead, and refused (rolled back) if a row refers to a missing one.
 */
function loadSqlite(
  raw: SQLite.Database,
  catalog: Catalog,
  image: StateImage,
  options: LoadOptions,
  verify: boolean,
): void {
  if (raw.inTransaction) throw new Error('a state load needs the connection with no transaction open');
  raw.pragma('foreign_keys = OFF');
  try {
    raw.transaction(() => {
      for (const trigger of catalog.sqliteTriggers) raw.exec(`drop trigger ${q(trigger.name)}`);
      for (const table of [...catalog.tables].reverse())
        raw.exec(`delete from ${q(table)}${table === 'zemu_meta' ? identityFilter() : ''}`);
      for (const table of catalog.tables) {
        const part = image.tables[table];
        if (part && part.rows.length > 0) {
          const insert = raw.prepare(
            `insert into ${q(table)} (${part.columns.map(q).join(', ')}) values (${part.columns.map(() => '?').join(', ')})`,
          );
          const rows = table === 'zemu_meta' ? withoutIdentity(part) : part.rows;
          for (const row of rows) insert.run(row);
        }
        options.onTableLoaded?.(table);
      }
      if (catalog.sequences.length > 0) {
        const names = catalog.sequences.map((s) => s.table);
        raw
          .prepare(`delete from sqlite_sequence where name in (${names.map(() => '?').join(', ')})`)
          .run(names);
        const insert = raw.prepare('insert into sqlite_sequence (name, seq) values (?, ?)');
        for (const s of catalog.sequences) {
          const value = image.sequences[s.key] ?? 0;
          if (value > 0) insert.run(s.table, value);
        }
      }
      writeIdentity(raw, options);
      if (verify) {
        const dangling = raw.pragma('foreign_key_check') as { table: string; parent: string }[];
        const first = dangling[0];
        if (first)
          throw new StateImageError(
            `the state does not fit the tables: a row of "${first.table}" refers to a missing row of "${first.parent}"`,
          );
      }
      for (const trigger of catalog.sqliteTriggers) raw.exec(trigger.sql);
    })();
  } finally {
    raw.pragma('foreign_keys = ON');
  }
}

function writeIdentity(raw: SQLite.Database, options: LoadOptions): void {
  const identity = raw.prepare(
    'insert into zemu_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
  );
  for (const [key, value] of Object.entries(options.identity ?? {})) identity.run(key, value);
}

/**
 * In-memory SQLite: the database is replaced whole by a new one opened from `pages`, a page image
 * taken when the database held exactly this image's tables (by `capture({keepPages})`, or after
 * an earlier load of it). That is a copy of pages, with every index and rowid as they were, instead
 * of rebuilding each B-tree row by row. What is not state is carried over from the live database:
 * the snapshots (`zemu_snapshots`, reconciled by id: their rows never change) and the identity
 * rows of `zemu_meta`; the rest of `zemu_meta` comes from `image`, as a row load writes it. Nothing
 * is swapped unless all of that succeeded. Returns a fresh page image when the snapshots had to be
 * reconciled (so the next load under the same key has nothing to carry), else undefined.
 */
function loadPages(
  db: Kysely<Database>,
  holder: SqliteHolder,
  pages: Buffer,
  image: StateImage,
  options: LoadOptions,
): Buffer | undefined {
  const live = holder.current;
  const next = openMemoryImage(pages);
  try {
    let reconciled = false;
    next.transaction(() => {
      const liveIds = live.prepare('select id from zemu_snapshots').pluck().all() as string[];
      const pageIds = next.prepare('select id from zemu_snapshots').pluck().all() as string[];
      const keep = new Set(liveIds);
      const have = new Set(pageIds);
      const drop = next.prepare('delete from zemu_snapshots where id = ?');
      for (const id of pageIds) {
        if (!keep.has(id)) {
          drop.run(id);
          reconciled = true;
        }
      }
      const missing = liveIds.filter((id) => !have.has(id));
      if (missing.length > 0) {
        const read = live.prepare('select * from zemu_snapshots where id = ?');
        const columns = read.columns().map((c) => c.name);
        const write = next.prepare(
          `insert into zemu_snapshots (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        read.raw(true);
        for (const id of missing) write.run(read.get(id) as CellValue[]);
        reconciled = true;
      }
      next.exec('delete from zemu_meta');
      const identity = live
        .prepare(
          `select key, value from zemu_meta where key in (${IDENTITY_META_KEYS.map(() => '?').join(', ')})`,
        )
        .raw(true)
        .all(...IDENTITY_META_KEYS) as CellValue[][];
      const keepIdentity = next.prepare('insert into zemu_meta (key, value) values (?, ?)');
      for (const row of identity) keepIdentity.run(row);
      const meta = image.tables.zemu_meta;
      if (meta && meta.rows.length > 0) {
        const insert = next.prepare(
          `insert into zemu_meta (${meta.columns.map(q).join(', ')}) values (${meta.columns.map(() => '?').join(', ')})`,
        );
        for (const row of withoutIdentity(meta)) insert.run(row);
      }
      writeIdentity(next, options);
    })();
    const refreshed = reconciled ? next.serialize() : undefined;
    swapMemoryDatabase(db, next);
    return refreshed;
  } catch (error) {
    if (holder.current !== next) next.close();
    throw error;
  }
}

function checkImage(input: unknown, catalog: Catalog): StateImage {
  const fail = (message: string): never => {
    throw new StateImageError(message);
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('the state must be an object');
  const image = input as Partial<StateImage>;
  if (image.schema !== catalog.schema)
    fail(`the state has schema ${String(image.schema)}; this database's is ${catalog.schema}`);
  const tables = image.tables;
  if (typeof tables !== 'object' || tables === null || Array.isArray(tables))
    fail('"tables" must be an object');
  for (const [table, part] of Object.entries(tables as object)) {
    const known = catalog.columns.get(table);
    if (!known) fail(`unknown table "${table}"`);
    const p = part as Partial<TableImage>;
    if (!Array.isArray(p?.columns) || !Array.isArray(p?.rows))
      fail(`table "${table}" needs columns and rows lists`);
    const columns = p.columns as unknown[];
    for (const column of columns) {
      if (typeof column !== 'string' || !known?.includes(column))
        fail(`table "${table}" has no column ${JSON.stringify(column)}`);
    }
    if (new Set(columns).size !== columns.length) fail(`table "${table}" names a column twice`);
    for (const [index, row] of (p.rows as unknown[]).entries()) {
      if (!Array.isArray(row) || row.length !== columns.length)
        fail(`table "${table}" row ${index} must be a list of ${columns.length} values`);
      for (const value of row as unknown[]) {
        if (
          value !== null &&
          typeof value !== 'string' &&
          !(typeof value === 'number' && Number.isFinite(value))
        )
          fail(`table "${table}" row ${index} holds a value that is not a string, a number or null`);
      }
    }
  }
  const sequences = image.sequences ?? {};
  if (typeof sequences !== 'object' || sequences === null || Array.isArray(sequences))
    fail('"sequences" must be an object');
  for (const [key, value] of Object.entries(sequences)) {
    if (!catalog.sequences.some((s) => s.key === key)) fail(`unknown sequence "${key}"`);
    if (!Number.isSafeInteger(value) || (value as number) < 0)
      fail(`sequence "${key}" must be a whole number`);
  }
  return image as StateImage;
}

function order(tables: string[], parents: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (done.has(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const parent of [...(parents.get(table) ?? [])].sort()) if (parent !== table) visit(parent);
    visiting.delete(table);
    done.add(table);
    out.push(table);
  };
  for (const table of [...tables].sort()) visit(table);
  return out;
}

async function readSqliteCatalog(db: Kysely<Database>): Promise<Catalog> {
  const names = (
    await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  ).rows.filter((r) => !SEAM_TABLES.includes(r.name));
  const columns = new Map<string, string[]>();
  const parents = new Map<string, Set<string>>();
  const sequences: Catalog['sequences'] = [];
  for (const { name, sql: ddl } of names) {
    const info = (
      await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name})`.execute(db)
    ).rows;
    columns.set(
      name,
      info.map((c) => c.name),
    );
    const fks = (
      await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db)
    ).rows;
    parents.set(name, new Set(fks.map((f) => f.table)));
    const pk = info.filter((c) => c.pk > 0);
    if (/autoincrement/i.test(ddl) && pk.length === 1)
      sequences.push({ key: `${name}.${pk[0]?.name}`, table: name });
  }
  const triggers = (
    await sql<{
      name: string;
      sql: string;
    }>`select name, sql from sqlite_master where type = 'trigger' order by name`.execute(db)
  ).rows;
  return {
    schema: await appliedSchema(db),
    tables: order([...columns.keys()], parents),
    columns,
    sequences,
    sqliteTriggers: triggers,
    pgTriggerTables: [],
  };
}

async function readPgCatalog(db: Kysely<Database>): Promise<Catalog> {
  const names = (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
  ).rows
    .map((r) => r.table_name)
    .filter((name) => !SEAM_TABLES.includes(name));
  const columns = new Map<string, string[]>(names.map((n) => [n, []]));
  const sequences: Catalog['sequences'] = [];
  const cols = (
    await sql<{ table_name: string; column_name: string; column_default: string | null; seq: string | null }>`
      select table_name, column_name, column_default,
        pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
      from information_schema.columns where table_schema = current_schema()
      order by table_name, ordinal_position`.execute(db)
  ).rows;
  for (const c of cols) {
    const list = columns.get(c.table_name);
    if (!list) continue;
    list.push(c.column_name);
    if (c.seq)
      sequences.push({ key: `${c.table_name}.${c.column_name}`, table: c.table_name, pgSequence: c.seq });
  }
  const parents = new Map<string, Set<string>>();
  const fks = (
    await sql<{ child: string; parent: string }>`
      select c.relname as child, p.relname as parent from pg_constraint k
        join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = current_schema()`.execute(db)
  ).rows;
  for (const fk of fks) {
    const set = parents.get(fk.child) ?? new Set<string>();
    set.add(fk.parent);
    parents.set(fk.child, set);
  }
  const triggerTables = (
    await sql<{ t: string }>`
      select distinct event_object_table as t from information_schema.triggers
      where trigger_schema = current_schema()`.execute(db)
  ).rows.map((r) => r.t);
  return {
    schema: await appliedSchema(db),
    tables: order(names, parents),
    columns,
    sequences,
    sqliteTriggers: [],
    pgTriggerTables: triggerTables.filter((t) => columns.has(t)),
  };
}

async function appliedSchema(db: Kysely<Database>): Promise<string> {
  const row = (
    await sql<{ name: string }>`select name from zemu_migrations order by name desc limit 1`.execute(db)
  ).rows[0];
  return row?.name ?? '';
}
