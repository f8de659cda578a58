/** Every setting of the emulator, from flags, environment and defaults, in one place. */
import path from 'node:path';
import type { SeedFile } from './world/seed.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ZemuConfig {
  host: string;
  port: number;
  /** Origin that clients use to reach this server; returned as `api_url`. Derived after listen when unset. */
  publicUrl: string | undefined;
  /** SQLite data directory (the store ignores it when `memory` or `databaseUrl` is set; the CA does not). */
  dataDir: string;
  /** Also serve HTTPS as zoom.us and api.zoom.us, with a certificate from the local CA. */
  tls: boolean;
  /** Port of the HTTPS listener (same host as `host`). */
  tlsPort: number;
  /** Where the local CA lives: `<dataDir>/ca` unless ZEMU_CA_DIR says otherwise, with --memory too. */
  caDir: string;
  memory: boolean;
  /** PostgreSQL connection string; when set the store runs on PostgreSQL instead of SQLite. */
  databaseUrl: string | undefined;
  seedFile: string | undefined;
  /** A seed given as an object (the harness), used instead of `seedFile`. */
  seed: SeedFile | undefined;
  /** Start from this export document (`zemu serve --import FILE`). */
  importFile: string | undefined;
  adminToken: string | undefined;
  logLevel: LogLevel;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Create the demo account on first start. */
  demo: boolean;
  /** Zoom's rate limits by label and plan; false turns them off everywhere. */
  rateLimits: boolean;
  /** Record /oauth and /v2 requests in the request log. */
  requestLog: boolean;
  /** Entries the request log keeps (the oldest drop out). */
  requestLogSize: number;
  /** Keep request and response bodies, redacted and bounded, in the request log. Off by default. */
  captureBodies: boolean;
  /** Redis for the rate-limit and daily-quota counters, shared by several Zemu processes. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key Zemu writes. */
  redisPrefix: string;
  /** How long tokens, refresh tokens and codes are kept after they expired or were revoked (ms). */
  retentionMs: number;
  /** How long delivered or failed webhook events, their deliveries and attempts are kept (ms). */
  webhookRetentionMs: number;
  /** How long a snapshot is kept after it was taken, in real time (ms). */
  snapshotRetentionMs: number;
  /** Accept legacy JWT-app tokens for every `jwt` app (else only apps with settings.jwt_enabled). */
  jwtApps: boolean;
  /** Answer the operations Zemu does not emulate statefully from Zoom's OpenAPI documents. */
  generated: boolean;
}

export interface ConfigInput {
  host?: string | undefined;
  port?: number | string | undefined;
  publicUrl?: string | undefined;
  dataDir?: string | undefined;
  tls?: boolean | undefined;
  tlsPort?: number | string | undefined;
  caDir?: string | undefined;
  memory?: boolean | undefined;
  databaseUrl?: string | undefined;
  seedFile?: string | undefined;
  seed?: SeedFile | undefined;
  importFile?: string | undefined;
  adminToken?: string | undefined;
  logLevel?: LogLevel | undefined;
  bodyLimit?: number | undefined;
  demo?: boolean | undefined;
  jwtApps?: boolean | undefined;
  rateLimits?: boolean | undefined;
  requestLog?: boolean | undefined;
  requestLogSize?: number | string | undefined;
  captureBodies?: boolean | undefined;
  redisUrl?: string | undefined;
  redisPrefix?: string | undefined;
  generated?: boolean | undefined;
  retention?: string | number | undefined;
  webhookRetention?: string | number | undefined;
  snapshotRetention?: string | number | undefined;
}

export function parseSwitch(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be on or off, got "${value}"`);
}

function parseLogSize(value: number | string | undefined): number {
  if (value === undefined || value === '') return 10_000;
  const size = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
    throw new ConfigError(`request log size must be an integer from 1 to 1000000, got "${value}"`);
  }
  return size;
}

export const DEFAULT_RETENTION = '24h';
export const DEFAULT_WEBHOOK_RETENTION = '7d';
export const DEFAULT_SNAPSHOT_RETENTION = '7d';
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `30m`, `24h` or `7d` (a bare number is seconds), in milliseconds. */
export function parseDuration(name: string, value: string | number): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(String(value));
  const ms = match ? Number(match[1]) * (UNIT_MS[(match[2] || 's').toLowerCase()] as number) : Number.NaN;
  if (!(ms >= 1000 && ms <= 3650 * UNIT_MS.d!)) {
    throw new ConfigError(
      `${name} must be a duration from 1s to 3650d such as 90s, 30m, 24h or 7d, got "${value}"`,
    );
  }
  return Math.round(ms);
}

/**
 * How long after a start its background work (retention, the meeting sweeper, the webhook dispatcher)
 * makes its first pass: after the start's first answers, not competing with them. Nothing waits for
 * that pass: a call that touches a meeting settles it itself, and a clock change runs a pass at once.
 */
export const BACKGROUND_START_DELAY_MS = 100;

export const DEFAULT_PORT = 9600;
export const DEFAULT_TLS_PORT = 9643;
export const DEFAULT_HOST = '127.0.0.1';

function parsePort(value: number | string | undefined, fallback = DEFAULT_PORT, what = 'port'): number {
  if (value === undefined || value === '') return fallback;
  const port = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${what} must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

/** Flags win over environment variables, which win over defaults. */
export function resolveConfig(input: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): ZemuConfig {
  const logLevel = (input.logLevel ?? env.ZEMU_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const dataDir = path.resolve(input.dataDir ?? env.ZEMU_DATA ?? '.zemu');
  return {
    host: input.host ?? env.ZEMU_HOST ?? DEFAULT_HOST,
    port: parsePort(input.port ?? env.ZEMU_PORT),
    publicUrl: input.publicUrl ?? env.ZEMU_PUBLIC_URL,
    dataDir,
    tls: input.tls ?? parseSwitch('ZEMU_TLS', env.ZEMU_TLS) ?? false,
    tlsPort: parsePort(input.tlsPort ?? env.ZEMU_TLS_PORT, DEFAULT_TLS_PORT, 'TLS port'),
    caDir: path.resolve(input.caDir ?? env.ZEMU_CA_DIR ?? path.join(dataDir, 'ca')),
    memory: input.memory ?? false,
    databaseUrl: input.databaseUrl ?? env.DATABASE_URL,
    seedFile: input.seedFile ?? env.ZEMU_SEED,
    seed: input.seed,
    importFile: input.importFile,
    adminToken: input.adminToken ?? env.ZEMU_ADMIN_TOKEN,
    logLevel,
    bodyLimit: input.bodyLimit ?? 1024 * 1024,
    demo: input.demo ?? true,
    rateLimits: input.rateLimits ?? parseSwitch('ZEMU_RATE_LIMITS', env.ZEMU_RATE_LIMITS) ?? true,
    requestLog: input.requestLog ?? parseSwitch('ZEMU_REQUEST_LOG', env.ZEMU_REQUEST_LOG) ?? true,
    requestLogSize: parseLogSize(input.requestLogSize ?? env.ZEMU_REQUEST_LOG_SIZE),
    captureBodies:
      input.captureBodies ?? parseSwitch('ZEMU_CAPTURE_BODIES', env.ZEMU_CAPTURE_BODIES) ?? false,
    redisUrl: input.redisUrl ?? env.REDIS_URL,
    redisPrefix: input.redisPrefix ?? env.ZEMU_REDIS_PREFIX ?? 'zemu:',
    jwtApps: input.jwtApps ?? env.ZEMU_JWT_APPS === '1',
    generated: input.generated ?? parseSwitch('ZEMU_GENERATED', env.ZEMU_GENERATED) ?? true,
    retentionMs: parseDuration(
      'ZEMU_RETENTION',
      input.retention ?? (env.ZEMU_RETENTION || DEFAULT_RETENTION),
    ),
    webhookRetentionMs: parseDuration(
      'ZEMU_WEBHOOK_RETENTION',
      input.webhookRetention ?? (env.ZEMU_WEBHOOK_RETENTION || DEFAULT_WEBHOOK_RETENTION),
    ),
    snapshotRetentionMs: parseDuration(
      'ZEMU_SNAPSHOT_RETENTION',
      input.snapshotRetention ?? (env.ZEMU_SNAPSHOT_RETENTION || DEFAULT_SNAPSHOT_RETENTION),
    ),
  };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '::ffff:127.0.0.1';
}
