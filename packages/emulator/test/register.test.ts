import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { startTestZemu, type TestZemu } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures/register');
const root = path.resolve(here, '../../..');

/**
 * The preload as a user adds it: NODE_OPTIONS only, and no TypeScript loader in the child. The
 * current sources are bundled to one ES module first, so the test runs this checkout's code the way
 * the published JavaScript runs. (Loading the TypeScript through `--import tsx` in NODE_OPTIONS hangs
 * the child now and then on Node 20 when tsx's cache is cold: a tsx problem, not a user's.)
 */
async function bundlePreload(): Promise<string> {
  // Inside the package, so the bundle's own imports (undici) resolve from the workspace.
  const dir = fs.mkdtempSync(path.join(here, '../.test-build-'));
  const outfile = path.join(dir, 'register.mjs');
  await build({
    entryPoints: [path.join(here, '../src/register.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}

let PRELOAD = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(script: string, env: Record<string, string>): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ZEMU_') && k !== 'NODE_OPTIONS'),
  );
  const child = spawn(process.execPath, [path.join(fixtures, script)], {
    cwd: root,
    env: { ...clean, NODE_OPTIONS: PRELOAD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  // The child must exit on its own: a keep-alive socket left holding the loop would keep it alive
  // until this bound kills it, and the test fails on its exit code.
  const bound = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = await once(child, 'exit');
  clearTimeout(bound);
  return { code, stdout, stderr };
}

describe('node --import @zemu/emulator/register', { timeout: 120_000 }, () => {
  let z: TestZemu;
  let echo: http.Server;
  let echoPort: number;
  const echoed: { host: string | undefined; url: string | undefined }[] = [];
  let creds: Record<string, string>;
  let bundled: string;

  before(async () => {
    bundled = await bundlePreload();
    PRELOAD = `--import ${pathToFileURL(bundled).href}`;
    z = await startTestZemu();
    creds = {
      ZOOM_ACCOUNT_ID: z.demo.account_id,
      ZOOM_CLIENT_ID: z.demo.client_id,
      ZOOM_CLIENT_SECRET: z.demo.client_secret,
    };
    echo = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        echoed.push({ host: req.headers.host, url: req.url });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            host: req.headers.host,
            custom: req.headers['x-custom'],
            body,
          }),
        );
      });
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    echoPort = (echo.address() as AddressInfo).port;
  });

  after(async () => {
    await z.close();
    echo.close();
    fs.rmSync(path.dirname(bundled), { recursive: true, force: true });
  });

  async function zakThrough(script: string) {
    const result = await run(script, { ...creds, ZEMU_URL: z.url });
    assert.equal(result.code, 0, `the client exits by itself: ${result.stderr}`);
    const out = JSON.parse(result.stdout);
    assert.equal(out.tokenStatus, 200);
    assert.equal(out.zakStatus, 200);
    assert.match(out.zak.token, /^eyJ/);
    // The ZAK is this Zemu's, for the demo owner (`me` of the demo S2S app).
    const payload = JSON.parse(Buffer.from(out.zak.token.split('.')[1], 'base64url').toString());
    assert.equal(payload.uid, z.demo.user_id);
    // Through the preload the answer points at the Zemu origin the request reached.
    assert.equal(out.apiUrl, z.url);
    return result;
  }

  test('fetch of https://zoom.us/oauth/token and https://api.zoom.us/v2/users/me/token reaches Zemu', async () => {
    await zakThrough('fetch-zak.mjs');
  });

  test('https.request and https.get with a keep-alive agent reach Zemu and the process exits', async () => {
    await zakThrough('https-zak.mjs');
  });

  test('axios from an ES module reaches Zemu', async () => {
    await zakThrough('axios-zak.mjs');
  });

  test('axios from CommonJS reaches Zemu', async () => {
    await zakThrough('axios-zak.cjs');
  });

  test('only scheme, host and port change; other hosts are left alone', async () => {
    echoed.length = 0;
    const result = await run('shape.mjs', {
      ZEMU_OAUTH_URL: `http://127.0.0.1:${echoPort}`,
      ZEMU_API_URL: z.url,
      OTHER_URL: `http://localhost:${echoPort}`,
    });
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    const expected = (body: string, url = '/oauth/echo?a=1&b=two', host = 'zoom.us') => ({
      method: 'PUT',
      url,
      host,
      custom: 'kept',
      body,
    });
    assert.deepEqual(out.fetchZoom, expected('fetch body'));
    assert.deepEqual(out.httpsZoom, expected('https body'));
    // http:// to a Zoom host too; its Host keeps the port the caller named.
    assert.deepEqual(out.namedHttpZoom, expected('named body', '/oauth/echo?a=1', 'zoom.us:8080'));
    assert.deepEqual(out.fetchOther, expected('other body', '/other?q=1', `localhost:${echoPort}`));
    assert.deepEqual(out.httpOther, expected('other http body', '/other?q=2', `localhost:${echoPort}`));
    assert.equal(echoed.length, 5, 'every request reached the echo server exactly once');
  });

  test('ZEMU_REGISTER_DEBUG=1 logs each rewrite to stderr, without the query', async () => {
    const result = await run('fetch-zak.mjs', { ...creds, ZEMU_URL: z.url, ZEMU_REGISTER_DEBUG: '1' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`zemu register: fetch POST https://zoom\\.us/oauth/token -> ${z.url}/oauth/token\\n`),
    );
    assert.match(
      result.stderr,
      new RegExp(
        `zemu register: fetch GET https://api\\.zoom\\.us/v2/users/me/token -> ${z.url}/v2/users/me/token\\n`,
      ),
    );
    assert.doesNotMatch(result.stderr, /account_id=|type=zak/);
    const quiet = await run('fetch-zak.mjs', { ...creds, ZEMU_URL: z.url });
    assert.doesNotMatch(quiet.stderr, /zemu register/);
  });

  test('a ZEMU_API_URL with a path is refused with what to write instead', async () => {
    const result = await run('fetch-zak.mjs', { ...creds, ZEMU_API_URL: `${z.url}/v2` });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ZEMU_API_URL must be an origin only .*no path such as \/v2/);
    assert.equal(result.stdout, '');
  });
});
