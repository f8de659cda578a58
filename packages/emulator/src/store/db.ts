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
import type { Database } from './schema.js';

export interface DatabaseOptions {
  memory: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Bring the schema up to this migration only (an older image being migrated); default: the latest. */
  schemaVersion?: string;
}

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
    const pool = new (pgDriver().Pool)({ connectionString: options.databaseUrl, max: 10 });
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
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    rawHandles.set(db, sqlite);
    opened = { db, dialect: 'sqlite', location: options.memory ? 'memory (throwaway)' : file };
  }
  await migrateToLatest(opened.db, options.schemaVersion);
  return opened;
}

/** The better-sqlite3 handle behind each root SQLite Kysely (never behind a transaction's). */
const rawHandles = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * The synchronous better-sqlite3 handle behind `db`, for the hot path's compile-once statements
 * (`store/prepared.ts`). Undefined for PostgreSQL and for a transaction's Kysely: those go through
 * Kysely. SQLite has one connection: a caller must not use the handle while `inTransaction` is true
 * (another request's transaction is open on it); it goes through Kysely, which waits its turn.
 */
export function rawSqlite(db: Kysely<Database>): SQLite.Database | undefined {
  return rawHandles.get(db);
}

/**
 * Kysely prepares a statement for every query; better-sqlite3 statements are reusable, so keep the
 * prepared ones by SQL text (a bounded set: the application issues a few dozen distinct statements).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= 500) cache.clear();
        statement = sqlite.prepare(sql);
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
