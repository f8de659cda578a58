/** Opens the database (SQLite file, SQLite in memory, or PostgreSQL) and brings its schema up to date. */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
  sql,
} from 'kysely';
import type pg from 'pg';
import { lazyModule } from '../lazy.js';
import { type DialectName, dialectOf } from './dialect.js';
import { migrations } from './migrations/index.js';
import { prebuilt } from './prebuilt.js';
import type { Database } from './schema.js';

export interface DatabaseOptions {
  memory: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Bring the schema up to this migration only (an older image being migrated); default: the latest. */
  schemaVersion?: string;
  /**
   * Told when a PostgreSQL connection fails outside a query (the server restarted or went away). The
   * pool drops that connection and opens another on the next query.
   */
  onConnectionError?: (error: Error) => void;
}

/** How long a query waits for a PostgreSQL connection before failing (503) instead of hanging. */
const PG_CONNECT_TIMEOUT_MS = 5000;

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for the banner and logs (never a password). */
  location: string;
}

/** PostgreSQL's driver, loaded only when DATABASE_URL is set (a SQLite start never pays for it). */
const postgres = lazyModule<typeof pg>('pg');
let pgConfigured = false;
function pgDriver(): typeof pg {
  const driver = postgres();
  if (!pgConfigured) {
    // BIGINT columns hold epoch milliseconds and 10-digit ids, all well inside Number's safe range.
    driver.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
    pgConfigured = true;
  }
  return driver;
}

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  let opened: OpenDatabase;
  if (options.databaseUrl) {
    const pool = new (pgDriver().Pool)({
      connectionString: options.databaseUrl,
      max: 10,
      connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    });
    // A connection can fail while idle in the pool, or while checked out with no query running (between
    // the statements of a transaction): either way its 'error' event needs a listener, or it ends the
    // process. The pool drops a failed connection (idle, or when it is released) and opens new ones.
    const onError = options.onConnectionError;
    pool.on('connect', (client) => client.on('error', (error) => onError?.(error)));
    pool.on('error', () => undefined); // the connection's own listener above has said it
    opened = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      location: redactUrl(options.databaseUrl),
    };
  } else {
    let file = ':memory:';
    let fromImage = false;
    if (!options.memory) {
      fs.mkdirSync(options.dataDir, { recursive: true });
      file = path.join(options.dataDir, 'zemu.sqlite');
      fromImage = !options.schemaVersion && startFromPrebuiltImage(file);
    }
    // A further in-memory open in this process starts from the migrated image instead of migrating.
    if (options.memory && !options.schemaVersion && !migratedMemoryImage)
      migratedMemoryImage = prebuilt.image(Object.keys(migrations));
    const image = options.memory && !options.schemaVersion ? migratedMemoryImage : undefined;
    const sqlite = image ? new SQLite(image) : new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    configure(sqlite);
    const writes: WriteCount = { value: 0 };
    watchPrincipalWrites(sqlite, writes);
    const holder: MutableHolder = { current: sqlite, memory: options.memory, statements: new Map(), writes };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(holder) }) });
    holders.set(db, holder);
    epochs.set(db, principalEpochOf(holder));
    opened = { db, dialect: 'sqlite', location: options.memory ? 'memory (throwaway)' : file };
    // Made by exactly these migrations: nothing for the migrator to do.
    if (image || fromImage) return opened;
    await migrateToLatest(opened.db, options.schemaVersion);
    if (options.memory && !options.schemaVersion) migratedMemoryImage = sqlite.serialize();
    return opened;
  }
  await migrateToLatest(opened.db, options.schemaVersion);
  return opened;
}

/**
 * The page image of a new in-memory database just migrated (no row of state yet): the build's
 * (prebuilt.ts, when made by exactly these migrations), else made by the process's first in-memory
 * open. Every in-memory open deserializes it, ~1 ms, instead of running the migrations (~20 ms warm,
 * 35-50 ms on a first start, of Kysely building statements). It is the database the migrations make.
 */
let migratedMemoryImage: Buffer | undefined;

/**
 * A new data directory starts as the build's migrated image, written whole under a temporary name
 * and linked into place (a crash leaves no half file, and a file another start made meanwhile wins),
 * so its first start skips the migrations too. A file already there is never touched. True when the
 * file is the image.
 */
function startFromPrebuiltImage(file: string): boolean {
  if (fs.existsSync(file)) return false;
  const image = prebuilt.image(Object.keys(migrations));
  if (!image) return false;
  const temporary = `${file}.${process.pid}.new`;
  try {
    fs.writeFileSync(temporary, image, { flag: 'wx' });
    // A link fails where a file appeared meanwhile (another process's start): that one is kept.
    fs.linkSync(temporary, file);
    return true;
  } catch {
    // Nothing written, or someone else's file: the migrations make or check it as before.
    return false;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Settings every connection gets (the in-memory database a restore swaps in included). */
function configure(sqlite: SQLite.Database): void {
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/**
 * The better-sqlite3 connection behind a root SQLite Kysely. `current` changes only when an
 * in-memory database is replaced whole (`swapMemoryDatabase`), so users read it per use.
 */
export interface SqliteHolder {
  readonly current: SQLite.Database;
  /** An in-memory database (`:memory:`), which a page image can replace whole. */
  readonly memory: boolean;
}

interface MutableHolder extends SqliteHolder {
  current: SQLite.Database;
  /** Kysely's statements by SQL text, on `current`. */
  statements: Map<string, SQLite.Statement>;
  /** The principal writes counted on every connection this holder has had (see PrincipalEpoch). */
  writes: WriteCount;
}
const holders = new WeakMap<Kysely<Database>, MutableHolder>();

/**
 * The synchronous better-sqlite3 handle behind `db`, for the hot path's compile-once statements
 * (`store/prepared.ts`). Undefined for PostgreSQL and for a transaction's Kysely: those go through
 * Kysely. SQLite has one connection: a caller must not use the handle while `inTransaction` is true
 * (another request's transaction is open on it); it goes through Kysely, which waits its turn.
 * Read it per use, never keep it: an in-memory database can be swapped (see `sqliteHolder`).
 */
export function rawSqlite(db: Kysely<Database>): SQLite.Database | undefined {
  return holders.get(db)?.current;
}

/** The holder of `db`'s connection, for callers that keep it and read `current` per use. */
export function sqliteHolder(db: Kysely<Database>): SqliteHolder | undefined {
  return holders.get(db);
}

/**
 * Opens an in-memory database from a page image (`serialize()` of one), with the settings every
 * connection gets. The buffer is copied, so one image can be opened any number of times.
 */
export function openMemoryImage(pages: Buffer): SQLite.Database {
  const sqlite = new SQLite(pages);
  configure(sqlite);
  return sqlite;
}

/**
 * Puts `next` in place of `db`'s in-memory database and closes the one it replaces. The caller
 * holds Kysely's one connection and runs synchronously, so no statement spans the swap.
 */
export function swapMemoryDatabase(db: Kysely<Database>, next: SQLite.Database): void {
  const holder = holders.get(db);
  if (!holder?.memory) throw new Error('only an in-memory SQLite database can be swapped');
  const previous = holder.current;
  watchPrincipalWrites(next, holder.writes);
  // A whole database replaced: every cached principal was read from the old one.
  holder.writes.value++;
  holder.current = next;
  holder.statements.clear();
  previous.close();
}

/**
 * Kysely prepares a statement for every query; better-sqlite3 statements are reusable, so keep the
 * prepared ones by SQL text (a bounded set: the application issues a few dozen distinct statements).
 */
function withStatementCache(holder: MutableHolder): SqliteDatabase {
  const cache = holder.statements;
  return {
    close: () => holder.current.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= 500) cache.clear();
        statement = holder.current.prepare(sql);
        cache.set(sql, statement);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}

/**
 * What the principal cache (store/repos/principals.ts) compares its entries with: a count of the
 * writes that may have changed a token, app, user or account row, bumped by the statement itself just
 * before it runs, so the first lookup after it reads the database again. Only SQLite has one: every
 * statement of the process goes through its one connection. PostgreSQL has none (another process's
 * writes would not be counted), so its lookups are never cached.
 */
export interface PrincipalEpoch {
  /** Changes whenever a write that may change a principal ran (or another process committed). */
  current(): number;
}

const epochs = new WeakMap<Kysely<Database>, PrincipalEpoch>();

/** The epoch of a root SQLite Kysely; undefined for PostgreSQL and for a transaction's Kysely. */
export function principalEpoch(db: Kysely<Database>): PrincipalEpoch | undefined {
  return epochs.get(db);
}

/** The tables a principal is read from (the token, its app, its user) and their parent, accounts. */
const PRINCIPAL_TABLES = new Set(['tokens', 'apps', 'users', 'accounts']);
const PLAIN_INSERT = /^\s*insert\s+into\s/i;
const UPSERT = /\bon\s+conflict\b/i;
const UPDATE_OR_DELETE = /^\s*(?:update|delete\s+from)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?[\s(]/i;

/**
 * Whether a writing statement may change a row a cached principal was read from. Conservative: only a
 * plain INSERT (no upsert; it adds rows and changes none, and the cache holds no absent app or user)
 * and an UPDATE or DELETE of a table outside PRINCIPAL_TABLES are known not to. No foreign key of
 * those tables cascades and no trigger writes them (test/hot-path.test.ts checks the schema), so a
 * write elsewhere never reaches them. Anything else (upserts, REPLACE, WITH, DDL) counts.
 */
export function mayChangePrincipals(source: string): boolean {
  if (PLAIN_INSERT.test(source)) return UPSERT.test(source);
  const target = UPDATE_OR_DELETE.exec(source)?.[1];
  return target === undefined || PRINCIPAL_TABLES.has(target.toLowerCase());
}

const RUNS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Counts, on the connection itself, every statement that may change a principal: `prepare` marks the
 * writing statements (better-sqlite3's `readonly` is SQLite's own verdict) so that each execution bumps
 * the count first, and `exec` (several statements, used by loads and migrations) always does. Every
 * statement of Zemu reaches the database through this handle: Kysely's, the compile-once statements
 * of store/prepared.ts and the state seam's. For a file, another process writing the same database
 * is seen through SQLite's `data_version`, which changes when another connection commits
 * (`principalEpochOf`). A restore that swaps in a whole in-memory database watches the new connection
 * with the same count and moves it (`swapMemoryDatabase`).
 */
interface WriteCount {
  value: number;
}

function watchPrincipalWrites(sqlite: SQLite.Database, writes: WriteCount): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const exec = sqlite.exec.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    if (!statement.readonly && mayChangePrincipals(source)) {
      const target = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const name of RUNS) {
        const original = target[name] as (...args: unknown[]) => unknown;
        target[name] = function (this: unknown, ...args: unknown[]) {
          writes.value++;
          return original.apply(this, args);
        };
      }
    }
    return statement;
  }) as typeof sqlite.prepare;
  sqlite.exec = (source: string) => {
    writes.value++;
    return exec(source);
  };
}

function principalEpochOf(holder: MutableHolder): PrincipalEpoch {
  if (holder.memory) return { current: () => holder.writes.value };
  // A file: the connection is never swapped. Another connection's commit changes data_version.
  const dataVersion = holder.current.prepare('pragma data_version').pluck();
  let seen: unknown;
  return {
    current: () => {
      const version = dataVersion.get();
      if (version !== seen) {
        seen = version;
        holder.writes.value++;
      }
      return holder.writes.value;
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<Database>, upTo?: string): Promise<void> {
  // Kysely looks for its migration tables in every schema unless told which: on a PostgreSQL database
  // shared by several Zemus in schemas of their own (search_path), another schema's tables would count.
  const schema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'zemu_migrations',
    migrationLockTableName: 'zemu_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgresql';
  }
}
