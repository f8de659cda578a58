// zoom.test.mjs  ->  node --test zoom.test.mjs
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startZemu } from '@zemu/emulator';

let zemu;
before(async () => {
  zemu = await startZemu({ port: 0, memory: true, clock: { set: '2030-01-01T00:00:00Z' } });
});
beforeEach(() => zemu.reset());
after(() => zemu.close());

test('lists the demo owner', async () => {
  const page = await zemu.client().users.listPage();
  assert.equal(page.total_records, 1);
});

test('a token expires on the emulated clock, and the client renews it', async () => {
  const client = zemu.client();
  await client.users.get('me');
  zemu.clock.advance(3600);
  assert.equal((await client.users.get('me')).email, zemu.demo.email);
});

test('tests isolated by account instead', async () => {
  const account = await zemu.account({ plan: 'business', users: 3 });
  const page = await account.client().users.listPage();
  assert.equal(page.total_records, 4);
});
