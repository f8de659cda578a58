/**
 * Benchmark servers, one per child process, run as shipped (compiled JS, no TypeScript loader):
 *   zemu  the emulator (in memory, silent) on 127.0.0.1:0, from packages/emulator/dist
 *   bare  a bare Fastify route returning the same JSON as the ZAK call: the baseline
 * Prints one JSON line with what the bench needs, then serves until SIGTERM.
 */
import Fastify from 'fastify';

const kind = process.argv[2];

if (kind === 'zemu') {
  const { startZemu } = await import('../packages/emulator/dist/server.js');
  const zemu = await startZemu({ memory: true, port: 0, logLevel: 'silent', env: {}, rateLimits: false });
  process.stdout.write(`${JSON.stringify({ url: zemu.url, demo: zemu.demo })}\n`);
  process.on('SIGTERM', () => void zemu.close().then(() => process.exit(0)));
} else if (kind === 'bare') {
  const app = Fastify({ logger: false });
  // The same shape and size of answer as GET /v2/users/{id}/token?type=zak.
  const body = {
    token: `eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSIsInptX3NrbSI6InptX28ybSIsImFsZyI6IkhTMjU2In0.${'x'.repeat(300)}.${'y'.repeat(43)}`,
  };
  app.get('/v2/users/:userId/token', async () => body);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else {
  process.stderr.write('usage: server.mjs zemu|bare\n');
  process.exit(2);
}
