/**
 * One Zemu for `bench/scale-out.ts`, in its own process, compiled JS, on the PostgreSQL URL given as
 * argv[2] (the bench's own schema). Rate limits off (the bench measures the answers, not the 429s);
 * the request log on, as by default. Prints one JSON line, then serves until SIGTERM.
 */
const databaseUrl = process.argv[2];
if (!databaseUrl) {
  process.stderr.write('usage: scale-out-server.mjs <postgres-url>\n');
  process.exit(2);
}
const { startZemu } = await import('../packages/emulator/dist/server.js');
const zemu = await startZemu({
  memory: false,
  databaseUrl,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  env: {},
  rateLimits: false,
});
process.stdout.write(`${JSON.stringify({ url: zemu.url, demo: zemu.demo })}\n`);
process.on('SIGTERM', () => void zemu.close().then(() => process.exit(0)));
