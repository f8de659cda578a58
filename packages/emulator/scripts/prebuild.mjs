/**
 * Computes at build time what every start would otherwise compute (src/store/prebuilt.ts reads it):
 * dist/prebuilt/migrated.sqlite, the page image of a new database just migrated, and
 * dist/prebuilt/prebuilt.json, the migrations it holds and the scrypt hash of the demo owner's
 * public password. Run after tsc, before the bundle (npm run build, prepack).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const out = path.join(dist, 'prebuilt');
// Made from the migrations, never from an older image.
rmSync(out, { recursive: true, force: true });

const { openDatabase, rawSqlite } = await import(path.join(dist, 'store', 'db.js'));
const { migrations } = await import(path.join(dist, 'store', 'migrations', 'index.js'));
const { hashPassword } = await import(path.join(dist, 'crypto.js'));
const { DEMO_PASSWORD } = await import(path.join(dist, 'world', 'demo.js'));
const { PREBUILT_IMAGE, PREBUILT_MANIFEST } = await import(path.join(dist, 'store', 'prebuilt.js'));

const { db } = await openDatabase({ memory: true, dataDir: '', databaseUrl: undefined });
const image = rawSqlite(db).serialize();
await db.destroy();
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, PREBUILT_IMAGE), image);
writeFileSync(
  path.join(out, PREBUILT_MANIFEST),
  `${JSON.stringify(
    {
      migrations: Object.keys(migrations),
      password: { text: DEMO_PASSWORD, hash: await hashPassword(DEMO_PASSWORD) },
    },
    null,
    2,
  )}\n`,
);
