import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startTestZemu } from './helpers.js';

describe('state survives a restart on the embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-persist-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('accounts, users, apps, tokens, the demo and the clock are all still there', async () => {
    const first = await startTestZemu({ memory: false, dataDir: dir });
    const token = await first.s2sToken();
    const user = await first.control('POST', `/accounts/${first.demo.account_id}/users`, {
      email: 'keep@me.test',
    });
    const app = await first.control('POST', `/accounts/${first.demo.account_id}/apps`, {
      name: 'kept',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
    });
    await first.control('POST', '/clock', { advance: 600 });
    const clockBefore = (await first.control('GET', '/clock')).body;
    await first.close();

    const second = await startTestZemu({ memory: false, dataDir: dir });
    try {
      assert.deepEqual(second.demo, first.demo, 'same demo credentials');
      assert.equal(
        (await second.api('GET', `/users/${user.body.id}`, token)).status,
        200,
        'old token still valid',
      );
      const t2 = await second.s2sToken({ ...app.body });
      assert.equal((await second.api('GET', `/users/${user.body.id}`, t2)).status, 200);
      const clockAfter = (await second.control('GET', '/clock')).body;
      assert.equal(clockAfter.offset_seconds, clockBefore.offset_seconds);
      const migrations = await second.zemu.built.ctx.store.db
        .selectFrom('zemu_migrations' as never)
        .select('name' as never)
        .execute();
      assert.ok(migrations.length >= 1, 'migrations are versioned in zemu_migrations');
    } finally {
      await second.close();
    }
  });

  test('--memory is a throwaway world', async () => {
    const a = await startTestZemu();
    await a.close();
    const b = await startTestZemu();
    await b.close();
    assert.notEqual(a.demo.account_id, b.demo.account_id);
  });
});
