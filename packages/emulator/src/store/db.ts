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
    const epoch = watchPrincipalWrites(sqlite, options.memory);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    rawHandles.set(db, sqlite);
    epochs.set(db, epoch);
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
 * is seen through SQLite's `data_version`, which changes when another connection commits.
 */
function watchPrincipalWrites(sqlite: SQLite.Database, memory: boolean): PrincipalEpoch {
  let writes = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  const exec = sqlite.exec.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    if (!statement.readonly && mayChangePrincipals(source)) {
      const target = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const name of RUNS) {
        const original = target[name] as (...args: unknown[]) => unknown;
        target[name] = function (this: unknown, ...args: unknown[]) {
          writes++;
          return original.apply(this, args);
        };
      }
    }
    return statement;
  }) as typeof sqlite.prepare;
  sqlite.exec = (source: string) => {
    writes++;
    return exec(source);
  };
  if (memory) return { current: () => writes };
  let dataVersion: SQLite.Statement | undefined;
  let seen: unknown;
  return {
    current: () => {
      dataVersion ??= prepare('pragma data_version').pluck();
      // Another connection's commit changes data_version (ours change `writes` already).
      const version = dataVersion.get();
      if (version !== seen) {
        seen = version;
        writes++;
      }
      return writes;
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
