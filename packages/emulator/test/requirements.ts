/**
 * What some suites need beyond Node (Chromium, PostgreSQL, Redis), found or reported in one place for
 * both packages' tests. A suite asks, then skips with the one line it gets back:
 *
 *   const pg = await postgresRequirement();
 *   describe('...', { skip: 'skip' in pg && pg.skip }, () => { ... pg.url ... });
 *
 * The line names what is missing and how to provide it. With `ZEMU_TEST_REQUIRE=all` (CI sets it in
 * .ci/run) a missing requirement throws instead, so that the test file fails rather than skips.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

export type Skip = { skip: string };

const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const PROBE_TIMEOUT_MS = 2000;

/** Whether a missing requirement is a failure (`ZEMU_TEST_REQUIRE=all`) rather than a skip. */
export function requireAll(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ZEMU_TEST_REQUIRE === 'all';
}

function missing(line: string, env: NodeJS.ProcessEnv): Skip {
  if (requireAll(env)) throw new Error(`ZEMU_TEST_REQUIRE=all: ${line}`);
  return { skip: line };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return (e?.code ?? e?.message ?? String(error)).split('\n')[0] as string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Chromium binaries under a Playwright browsers folder, newest revision first. */
function playwrightChromiums(root: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  const inside = [
    'chrome-linux/chrome',
    'chrome-linux64/chrome',
    'chrome-linux/headless_shell',
    'chrome-linux64/headless_shell',
    'chrome-headless-shell-linux64/chrome-headless-shell',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    'chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium',
    'chrome-win/chrome.exe',
    'chrome-win64/chrome.exe',
  ];
  const revision = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0);
  return entries
    .filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name))
    .sort((a, b) => revision(b) - revision(a) || (a.startsWith('chromium-') ? -1 : 1))
    .flatMap((name) => inside.map((file) => path.join(root, name, file)));
}

/** Where a browser is looked for when ZEMU_TEST_CHROMIUM is not set, in order. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = os.homedir();
  const roots = [
    env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0' ? env.PLAYWRIGHT_BROWSERS_PATH : '',
    path.join(home, '.cache', 'ms-playwright'),
    path.join(home, 'Library', 'Caches', 'ms-playwright'),
    env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'ms-playwright') : '',
  ].filter(Boolean);
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', ...roots.flatMap(playwrightChromiums)];
}

/**
 * A Chromium for the browser suites: `ZEMU_TEST_CHROMIUM` when set, else Debian's /usr/bin/chromium,
 * else a browser Playwright downloaded (`npx playwright-core install chromium`).
 */
export function browserRequirement(env: NodeJS.ProcessEnv = process.env): { executablePath: string } | Skip {
  const given = env.ZEMU_TEST_CHROMIUM;
  if (given) {
    if (isExecutable(given)) return { executablePath: given };
    return missing(
      `Chromium not found at ZEMU_TEST_CHROMIUM=${given}: set ZEMU_TEST_CHROMIUM to a Chromium executable`,
      env,
    );
  }
  const found = chromiumCandidates(env).find(isExecutable);
  if (found) return { executablePath: found };
  return missing(
    'Chromium not found (looked in /usr/bin/chromium and the Playwright cache): set ZEMU_TEST_CHROMIUM to its path, ' +
      'or install it (apt-get install chromium, or npx playwright-core install chromium)',
    env,
  );
}

/** A PostgreSQL database for the PostgreSQL suites: `ZEMU_TEST_PG_URL`, default the local `test` database. */
export async function postgresRequirement(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string } | Skip> {
  const url = env.ZEMU_TEST_PG_URL || DEFAULT_PG_URL;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  // A failed connection may also emit 'error' later; without a listener that would crash the file.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (error) {
    return missing(
      `PostgreSQL not reachable at ${redact(url)} (${reasonOf(error)}): set ZEMU_TEST_PG_URL to a PostgreSQL database URL`,
      env,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** A Redis for the Redis suites: `ZEMU_TEST_REDIS_URL`, default redis://127.0.0.1:6379. */
export async function redisRequirement(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string } | Skip> {
  const url = env.ZEMU_TEST_REDIS_URL || DEFAULT_REDIS_URL;
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: PROBE_TIMEOUT_MS,
    enableOfflineQueue: false,
  });
  let first: unknown;
  probe.on('error', (error) => {
    first ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
    return { url };
  } catch (error) {
    return missing(
      `Redis not reachable at ${redact(url)} (${reasonOf(first ?? error)}): set ZEMU_TEST_REDIS_URL to a Redis URL`,
      env,
    );
  } finally {
    probe.disconnect();
  }
}

/**
 * Where the console's browser tests save their screenshots: docs/screenshots/ (the README's pictures)
 * only when ZEMU_SCREENSHOTS=1 asks for it, so that a test run never changes tracked files; a
 * scratch folder otherwise, where the pictures are still taken.
 */
export function screenshotsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZEMU_SCREENSHOTS === '1')
    return fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
  const dir = path.join(os.tmpdir(), 'zemu-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return `${dir}${path.sep}`;
}
