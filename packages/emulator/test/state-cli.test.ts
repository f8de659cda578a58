/** zemu reset, snapshot, snapshots, restore ID and export FILE against ZEMU_URL. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { controlTarget } from '../src/cli/control-client.js';
import { startTestZemu } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function zemu(args: string[], env: Record<string, string>) {
  return promisify(execFile)(
    process.execPath,
    ['--conditions=zemu-source', '--import', 'tsx', 'packages/emulator/src/cli/main.ts', ...args],
    { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } },
  ).catch((error: { code: number; stdout: string; stderr: string }) => error);
}

describe('zemu state commands', () => {
  test('snapshot, restore ID, reset and export FILE act on the Zemu at ZEMU_URL', {
    timeout: 120_000,
  }, async () => {
    const z = await startTestZemu({ adminToken: 'cli-admin-token' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-cli-'));
    try {
      const env = { ZEMU_URL: z.url, ZEMU_ADMIN_TOKEN: 'cli-admin-token' };
      const token = await z.s2sToken();
      const snap = await zemu(['snapshot', '--name', 'cli'], env);
      const id = snap.stdout.trim();
      assert.match(id, /^snap_[0-9a-f]{16}$/, snap.stderr);
      assert.match((await zemu(['snapshots'], env)).stdout, new RegExp(`${id}.*cli`));
      assert.equal((await zemu(['reset'], env)).stdout.trim(), `reset ${z.url}`);
      assert.equal((await z.api('GET', '/users/me', token)).status, 401);
      assert.equal((await zemu(['restore', id], env)).stdout.trim(), `restored ${id}`);
      assert.equal(
        (await z.api('GET', '/users/me', token)).status,
        200,
        'the token from before the snapshot',
      );
      const file = path.join(dir, 'state.json');
      assert.match((await zemu(['export', file], env)).stdout, /exported to/);
      assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).kind, 'zemu-state');

      const unknown = await zemu(['restore', 'snap_nope'], env);
      assert.equal((unknown as { code: number }).code, 4, 'exit code 4: not found');
      assert.match(unknown.stderr, /answered 404 \(code 1001\): Snapshot does not exist: snap_nope/);
      const nowhere = await zemu(['reset'], { ZEMU_URL: 'http://127.0.0.1:9' });
      assert.equal((nowhere as { code: number }).code, 6, 'exit code 6: Zemu unreachable');
      assert.match(nowhere.stderr, /cannot reach Zemu at http:\/\/127\.0\.0\.1:9\b/);
      assert.match(nowhere.stderr, /Start it with `zemu serve`.*or set ZEMU_URL/);
    } finally {
      await z.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('controlTarget reads ZEMU_URL and ZEMU_ADMIN_TOKEN, with the default and a clear error', () => {
    assert.deepEqual(controlTarget({}), { url: 'http://127.0.0.1:9600' });
    assert.deepEqual(controlTarget({ ZEMU_URL: 'http://h:1/', ZEMU_ADMIN_TOKEN: 't' }), {
      url: 'http://h:1',
      adminToken: 't',
    });
    assert.throws(() => controlTarget({ ZEMU_URL: 'nope' }), /ZEMU_URL is not an http\(s\) URL: "nope"/);
  });
});
