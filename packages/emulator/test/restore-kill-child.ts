/**
 * Child process of state-file.test.ts: a Zemu on a SQLite file that takes a snapshot, grows the world,
 * then restores the snapshot and stops dead in the middle of the load (after the users table), so
 * that the parent can SIGKILL it there.
 */
import fs from 'node:fs';
import { startZemu } from '../src/server.js';

const dataDir = process.argv[2] as string;
const zemu = await startZemu({
  dataDir,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  env: {},
  rateLimits: false,
});
const { ctx } = zemu.built;
const id = await zemu.snapshot('small');
for (let i = 0; i < 30; i++)
  await ctx.world.createUser(zemu.demo.account_id, { email: `grown-${i}@kill.test` });
fs.writeSync(1, 'grown\n');
await ctx.state.restore(id, {
  onTableLoaded(table) {
    if (table !== 'users') return;
    fs.writeSync(1, 'mid-restore\n');
    // Block here, inside the open transaction, until the parent kills the process.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
fs.writeSync(1, 'restore finished (it should have been killed)\n');
