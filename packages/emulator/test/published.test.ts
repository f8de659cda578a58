/**
 * Installable as published: both packages packed with `npm pack` (which builds them) and installed
 * from the tarballs into an empty project outside the repository. There `npx zemu serve --memory`
 * answers, both packages import, and TypeScript resolves their types.
 *
 * Cost is bounded: the install uses npm's cache (--prefer-offline, no audit or fund) and skips
 * install scripts; the one native dependency (better-sqlite3) gets the addon the repository's own
 * install built, when the versions match, instead of compiling SQLite again (minutes on a busy machine).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { verifyPassword } from '../src/crypto.js';
import { openDatabase, rawSqlite } from '../src/store/db.js';
import { migrations } from '../src/store/migrations/index.js';
import { DEMO_PASSWORD } from '../src/world/demo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

const CONSUMER_TS = `import { type RunningZemu, startZemu } from '@zemu/emulator';
import { ZoomClient } from '@zemu/client';

const zemu: RunningZemu = await startZemu({ port: 0, memory: true, logLevel: 'silent' });
const url: string = zemu.url;
// @ts-expect-error the url is a string: this line fails to compile only if the types resolved
const wrong: number = zemu.url;
const client = new ZoomClient({
  baseUrl: url,
  auth: {
    type: 'server_to_server',
    accountId: zemu.demo.account_id,
    clientId: zemu.demo.client_id,
    clientSecret: zemu.demo.client_secret,
  },
});
const { token } = await client.users.getToken('me', { type: 'zak', ttl: 3600 });
console.log(JSON.stringify({ url, wrong, token: typeof token }));
await zemu.close();
`;

const CONSUMER_MJS = `import { startZemu } from '@zemu/emulator';
import { ZoomClient } from '@zemu/client';

const zemu = await startZemu({ port: 0, memory: true, logLevel: 'silent' });
const client = new ZoomClient({
  baseUrl: zemu.url,
  auth: {
    type: 'server_to_server',
    accountId: zemu.demo.account_id,
    clientId: zemu.demo.client_id,
    clientSecret: zemu.demo.client_secret,
  },
});
const { token } = await client.users.getToken('me', { type: 'zak', ttl: 3600 });
console.log(JSON.stringify({ startZemu: typeof startZemu, ZoomClient: typeof ZoomClient, token }));
await zemu.close();
`;

/** A Zemu in memory that prints its URL and the demo app's credentials, one JSON line. */
const ZEMU_UP_MJS = `import { startZemu } from '@zemu/emulator';
const zemu = await startZemu({ port: 0, memory: true, logLevel: 'silent' });
console.log(JSON.stringify({ url: zemu.url, ...zemu.demo }));
process.on('SIGTERM', () => zemu.close().then(() => process.exit(0)));
`;

/** Code written for Zoom: it names https://zoom.us only, and the preload sends it to Zemu. */
const ZOOM_CALL_MJS = `const { ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET } = process.env;
const res = await fetch('https://zoom.us/oauth/token?grant_type=account_credentials&account_id=' + ACCOUNT_ID, {
  method: 'POST',
  headers: { authorization: 'Basic ' + Buffer.from(CLIENT_ID + ':' + CLIENT_SECRET).toString('base64') },
});
const body = await res.json();
console.log(JSON.stringify({ status: res.status, apiUrl: body.api_url }));
`;

describe('installable as published: npm pack, then install the tarballs into an empty project', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-published-'));
  const project = path.join(work, 'consumer');
  let tarballs: string[] = [];

  before(async () => {
    const packed = await run(
      NPM,
      [
        'pack',
        '-w',
        'packages/client',
        '-w',
        'packages/emulator',
        '--pack-destination',
        work,
        '--json',
        ...quiet,
      ],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
    tarballs = (JSON.parse(packed.stdout) as Array<{ filename: string }>).map((p) =>
      path.join(work, p.filename),
    );
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await run(NPM, ['install', ...tarballs, '--prefer-offline', '--ignore-scripts', ...quiet], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    });
    // The native addon of better-sqlite3: reuse the repository's build when it is the same version.
    const requireHere = createRequire(path.join(ROOT, 'packages/emulator/package.json'));
    const ours = path.dirname(requireHere.resolve('better-sqlite3/package.json'));
    const theirs = path.join(project, 'node_modules', 'better-sqlite3');
    const version = (dir: string) =>
      JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    const addon = path.join(ours, 'build', 'Release', 'better_sqlite3.node');
    if (version(ours) === version(theirs) && fs.existsSync(addon)) {
      fs.mkdirSync(path.join(theirs, 'build', 'Release'), { recursive: true });
      fs.copyFileSync(addon, path.join(theirs, 'build', 'Release', 'better_sqlite3.node'));
    } else {
      await run(NPM, ['rebuild', 'better-sqlite3', ...quiet], { cwd: project });
    }
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the tarballs hold the built code, the bin and the types, and no sources or tests', async () => {
    assert.deepEqual(
      tarballs.map((t) => path.basename(t)),
      ['zemu-client-0.1.0.tgz', 'zemu-emulator-0.1.0.tgz'],
    );
    const installed = (name: string) => path.join(project, 'node_modules', '@zemu', name);
    for (const name of ['client', 'emulator']) {
      assert.ok(fs.existsSync(path.join(installed(name), 'dist', 'index.js')), `${name}: dist/index.js`);
      assert.ok(fs.existsSync(path.join(installed(name), 'dist', 'index.d.ts')), `${name}: dist/index.d.ts`);
      assert.ok(!fs.existsSync(path.join(installed(name), 'src')), `${name}: no src`);
      assert.ok(!fs.existsSync(path.join(installed(name), 'test')), `${name}: no test`);
    }
    assert.ok(fs.existsSync(path.join(project, 'node_modules', '.bin', 'zemu')), 'the bin is zemu');
    const emulator = JSON.parse(fs.readFileSync(path.join(installed('emulator'), 'package.json'), 'utf8'));
    assert.equal(emulator.name, '@zemu/emulator');
    assert.deepEqual(emulator.bin, { zemu: './bin/zemu.js' });
    // The files every cloud recording serves (src/recordings/assets.ts reads them beside dist/).
    for (const asset of ['recording.mp4', 'audio.m4a', 'transcript.vtt']) {
      const file = path.join(installed('emulator'), 'assets', 'recordings', asset);
      assert.ok(fs.existsSync(file), `emulator: assets/recordings/${asset}`);
    }
    // What the build computed for every start (src/store/prebuilt.ts): made by exactly these migrations,
    // the same schema as migrating, and a hash the demo password verifies against.
    const prebuiltDir = path.join(installed('emulator'), 'dist', 'prebuilt');
    const manifest = JSON.parse(fs.readFileSync(path.join(prebuiltDir, 'prebuilt.json'), 'utf8'));
    assert.deepEqual(manifest.migrations, Object.keys(migrations));
    assert.ok(await verifyPassword(DEMO_PASSWORD, manifest.password.hash), 'the demo password verifies');
    const image = new SQLite(fs.readFileSync(path.join(prebuiltDir, 'migrated.sqlite')));
    const fresh = await openDatabase({
      memory: true,
      dataDir: '',
      databaseUrl: undefined,
      schemaVersion: Object.keys(migrations).at(-1),
    });
    try {
      const schema = (db: SQLite.Database) =>
        db
          .prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name")
          .all();
      assert.deepEqual(schema(image), schema(rawSqlite(fresh.db) as SQLite.Database));
    } finally {
      image.close();
      await fresh.db.destroy();
    }
  });

  test('npx zemu serve --memory answers /_zemu/health', async () => {
    const child = spawn(NPX, ['--no-install', 'zemu', 'serve', '--memory', '--port', '0'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: npx runs zemu as a child, and both must stop at the end.
      detached: true,
    });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          const found = /a local Zoom at (http:\/\/\S+)/.exec(line)?.[1];
          if (found) resolve(found);
        });
        child.once('exit', (code) => reject(new Error(`zemu exited with ${code}: ${stderr}`)));
      });
      const res = await fetch(`${url}/_zemu/health`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { status: string; store: string };
      assert.equal(body.status, 'ok');
      assert.equal(body.store, 'sqlite', 'the embedded store, in memory with --memory');
    } finally {
      process.kill(-(child.pid as number), 'SIGTERM');
      child.stdout.destroy();
      child.stderr.destroy();
    }
  });

  test("import { startZemu } from '@zemu/emulator' and import { ZoomClient } from '@zemu/client' work", async () => {
    fs.writeFileSync(path.join(project, 'consumer.mjs'), CONSUMER_MJS);
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: project });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    assert.equal(out.startZemu, 'function');
    assert.equal(out.ZoomClient, 'function');
    assert.equal(typeof out.token, 'string');
  });

  test('NODE_OPTIONS="--import @zemu/emulator/register" sends https://api.zoom.us to a Zemu', async () => {
    fs.writeFileSync(path.join(project, 'zemu-up.mjs'), ZEMU_UP_MJS);
    fs.writeFileSync(path.join(project, 'zoom-call.mjs'), ZOOM_CALL_MJS);
    const zemu = spawn(process.execPath, ['zemu-up.mjs'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const up = await new Promise<string>((resolve, reject) => {
        createInterface({ input: zemu.stdout }).once('line', resolve);
        zemu.once('exit', (code) => reject(new Error(`the Zemu exited with ${code}`)));
      });
      const demo = JSON.parse(up) as {
        url: string;
        account_id: string;
        client_id: string;
        client_secret: string;
      };
      const { stdout } = await run(process.execPath, ['zoom-call.mjs'], {
        cwd: project,
        env: {
          ...process.env,
          NODE_OPTIONS: '--import @zemu/emulator/register',
          ZEMU_URL: demo.url,
          ACCOUNT_ID: demo.account_id,
          CLIENT_ID: demo.client_id,
          CLIENT_SECRET: demo.client_secret,
        },
      });
      // A token from this Zemu, whose answer points at the Zemu the request reached.
      assert.deepEqual(JSON.parse(stdout), { status: 200, apiUrl: demo.url });
    } finally {
      zemu.kill();
    }
  });

  test('tsc on a consumer file resolves both packages types', async () => {
    fs.writeFileSync(path.join(project, 'consumer.ts'), CONSUMER_TS);
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error), failed: true }),
    );
    assert.equal('failed' in compiled, false, compiled.stdout);
    // A consumer file with a type error fails: the types are real, not `any`.
    fs.writeFileSync(
      path.join(project, 'consumer.ts'),
      CONSUMER_TS.replace(
        '// @ts-expect-error the url is a string: this line fails to compile only if the types resolved\n',
        '',
      ),
    );
    await assert.rejects(
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }),
      (error: { stdout: string }) => /consumer\.ts\(\d+,\d+\): error TS2322/.test(error.stdout),
    );
  });
});
