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
import pg from 'pg';
import { type DialectName, dialectOf } from './dialect.js';
import { migrations } from './migrations/index.js';
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

// BIGINT columns hold epoch milliseconds and 10-digit ids, all well inside Number's safe range.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  let opened: OpenDatabase;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
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
    if (!options.memory) {
      fs.mkdirSync(options.dataDir, { recursive: true });
      file = path.join(options.dataDir, 'zemu.sqlite');
    }
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    configure(sqlite);
    const holder: MutableHolder = { current: sqlite, memory: options.memory, statements: new Map() };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(holder) }) });
    holders.set(db, holder);
    opened = { db, dialect: 'sqlite', location: options.memory ? 'memory (throwaway)' : file };
  }
  await migrateToLatest(opened.db, options.schemaVersion);
  return opened;
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
