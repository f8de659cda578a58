/** Reset and snapshots on a SQLite file: they survive a restart, and a kill during a restore loses nothing. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestZemu } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('state on a SQLite file', () => {
  test('a snapshot survives a restart and restores there', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-state-'));
    try {
      const a = await startTestZemu({ memory: false, dataDir });
      const token = await a.s2sToken();
      const snap = (await a.control('POST', '/snapshots')).body.id;
      await a.control('POST', `/accounts/${a.demo.account_id}/users`, { email: 'after-snap@file.test' });
      await a.close();
      const b = await startTestZemu({ memory: false, dataDir });
      try {
        assert.equal((await b.api('GET', '/users', token)).body.total_records, 2);
        assert.equal((await b.control('POST', `/snapshots/${snap}/restore`)).status, 200);
        assert.equal(
          (await b.api('GET', '/users', token)).body.total_records,
          1,
          'the token from before works',
        );
      } finally {
        await b.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a SIGKILL in the middle of a restore leaves the previous state intact', {
    timeout: 60_000,
  }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-kill-'));
    try {
      const child = spawn(
        process.execPath,
        ['--conditions=zemu-source', '--import', 'tsx', path.join(here, 'restore-kill-child.ts'), dataDir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        err += d;
      });
      while (!out.includes('mid-restore')) {
        const [exited] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
        if (typeof exited === 'number' || exited === null) assert.fail(`the child ended early: ${out}${err}`);
      }
      child.kill('SIGKILL');
      const [, signal] = await once(child, 'exit');
      assert.equal(signal, 'SIGKILL');

      const z = await startTestZemu({ memory: false, dataDir });
      try {
        const token = await z.s2sToken();
        const list = await z.api('GET', '/users?page_size=100', token);
        assert.equal(list.status, 200);
        assert.equal(list.body.total_records, 31, 'the grown world, as before the restore began');
        assert.equal(list.body.users.length, 31);
        const snaps = (await z.control('GET', '/snapshots')).body.snapshots;
        assert.equal(snaps.length, 1);
        assert.equal((await z.control('POST', `/snapshots/${snaps[0].id}/restore`)).status, 200);
        assert.equal(
          (await z.api('GET', '/users', token)).status,
          401,
          'the token minted after the snapshot is gone',
        );
        const again = await z.s2sToken();
        assert.equal(
          (await z.api('GET', '/users', again)).body.total_records,
          1,
          'the restore works after the kill',
        );
      } finally {
        await z.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
