/**
 * One Zemu for `bench/limits-log.ts`, in its own process, compiled JS:
 *   on   rate limits and the request log switched on; the demo account's Light limit raised so the
 *        limiter counts every request (the full cost) without refusing any
 *   off  both switched off
 * Prints one JSON line with what the bench needs, then serves until SIGTERM.
 */
const mode = process.argv[2];
if (mode !== 'on' && mode !== 'off') {
  process.stderr.write('usage: limits-log-server.mjs on|off\n');
  process.exit(2);
}
const { startZemu } = await import('../packages/emulator/dist/server.js');
const on = mode === 'on';
const zemu = await startZemu({
  memory: true,
  port: 0,
  logLevel: 'silent',
  env: {},
  rateLimits: on,
  requestLog: on,
});
if (on) {
  await fetch(`${zemu.url}/_zemu/accounts/${zemu.demo.account_id}/limits`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ overrides: { Light: { rate: 1_000_000_000 } } }),
  });
}
process.stdout.write(`${JSON.stringify({ url: zemu.url, demo: zemu.demo })}\n`);
process.on('SIGTERM', () => void zemu.close().then(() => process.exit(0)));
