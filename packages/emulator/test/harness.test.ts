/** startZemu as a test suite uses it, and the README's node:test example run as written. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningZemu, startZemu } from '../src/server.js';

describe('startZemu, the harness', () => {
  let zemu: RunningZemu;
  before(async () => {
    zemu = await startZemu({
      port: 0,
      memory: true,
      logLevel: 'silent',
      env: {},
      rateLimits: false,
      clock: { set: '2030-01-01T00:00:00Z', frozen: true },
    });
  });
  after(() => zemu.close());

  test('url, demo, clock, client(), snapshot() and restore()', async () => {
    assert.match(zemu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(zemu.clock.now().toISOString(), '2030-01-01T00:00:00.000Z');
    const client = zemu.client();
    assert.equal((await client.users.get('me')).id, zemu.demo.user_id);
    const id = await zemu.snapshot('harness');
    await client.users.update('me', { dept: 'After the snapshot' });
    zemu.clock.advance(90);
    assert.equal(zemu.clock.now().toISOString(), '2030-01-01T00:01:30.000Z');
    const restored = await zemu.restore(id);
    assert.equal(restored.name, 'harness');
    assert.equal(zemu.clock.now().toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal(
      (await client.users.get('me')).dept,
      '',
      'the client, its token from before, sees the restored world',
    );
    assert.throws(() => zemu.clock.advance(Number.NaN), /finite number/);
  });

  test('reset() comes back to the start clock and the demo', async () => {
    await zemu.account({ users: 2 });
    zemu.clock.advance(3600);
    await zemu.reset();
    assert.equal(zemu.clock.now().toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal((await zemu.client().users.listPage()).total_records, 1);
  });

  test('account() makes a fresh account with its own credentials and client', async () => {
    const account = await zemu.account({ plan: 'business', users: 3 });
    assert.equal(account.plan, 'business');
    assert.equal(account.users.length, 3);
    assert.equal(account.apps.length, 1);
    const page = await account.client().users.listPage();
    assert.equal(page.total_records, 4);
    assert.ok((page.users ?? []).every((u) => u.email.endsWith('.accounts.zemu.test')));
    const demoPage = await zemu.client().users.listPage();
    assert.equal(demoPage.total_records, 1, 'the demo account does not see it');
    const other = await zemu.account();
    assert.notEqual(other.apps[0]?.client_id, account.apps[0]?.client_id);
  });

  test('a bad clock option is refused with what to give', async () => {
    await assert.rejects(
      startZemu({ memory: true, port: 0, env: {}, clock: { set: 'soon' } }),
      /clock.set must be an ISO 8601 time/,
    );
  });
});

test('the README node:test example runs as written', { timeout: 120_000 }, async () => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const block = /```js\n(\/\/ zoom\.test\.mjs[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the node:test example');
  // Inside the package, so that '@zemu/emulator' resolves as it does for a user.
  const file = fileURLToPath(new URL(`../.readme-harness-${process.pid}.test.mjs`, import.meta.url));
  writeFileSync(file, block);
  // Run as a user runs it, not as a child of this test runner (which would take over its output).
  const { NODE_TEST_CONTEXT: _ignored, ...env } = process.env;
  try {
    const run = await promisify(execFile)(
      process.execPath,
      ['--conditions=zemu-source', '--import', 'tsx', '--test', '--test-reporter=tap', file],
      { encoding: 'utf8', timeout: 100_000, env: { ...env, ZEMU_LOG_LEVEL: 'silent' } },
    );
    assert.match(run.stdout, /# pass 3/, run.stdout);
    assert.match(run.stdout, /# fail 0/);
  } finally {
    rmSync(file, { force: true });
  }
});
