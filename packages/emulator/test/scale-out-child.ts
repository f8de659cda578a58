/**
 * Child process of scale-out.test.ts: a second Zemu process on the parent's PostgreSQL schema and
 * Redis prefix (argv: database URL, Redis URL, Redis prefix). Prints its URL once listening; stops
 * on SIGTERM.
 */
import fs from 'node:fs';
import { startZemu } from '../src/server.js';

const [databaseUrl, redisUrl, redisPrefix] = process.argv.slice(2) as [string, string, string];
const zemu = await startZemu({
  memory: false,
  databaseUrl,
  redisUrl,
  redisPrefix,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  env: {},
  rateLimits: true,
});
fs.writeSync(1, `${JSON.stringify({ url: zemu.url })}\n`);
process.once('SIGTERM', () => {
  zemu.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
