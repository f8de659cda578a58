/**
 * Child processes of bench/startup.ts:
 *   bare <port>  a bare Fastify process: one route, listening on the port given (the baseline start-up)
 *   second       starts and closes one in-memory Zemu from the compiled package, then times a second
 *                startZemu() in the same process to its first answered request; prints {"ms": …}
 */
import Fastify from 'fastify';

const kind = process.argv[2];

if (kind === 'bare') {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: Number(process.argv[3]) });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else if (kind === 'second') {
  const { startZemu } = await import('../packages/emulator/dist/server.js');
  const options = { memory: true, port: 0, logLevel: 'silent', env: {} };
  const first = await startZemu(options);
  await (await fetch(`${first.url}/_zemu/health`)).arrayBuffer();
  await first.close();
  const started = performance.now();
  const second = await startZemu(options);
  const res = await fetch(`${second.url}/_zemu/health`);
  await res.arrayBuffer();
  const ms = performance.now() - started;
  await second.close();
  if (res.status !== 200) throw new Error(`second start answered ${res.status}`);
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
  process.exit(0);
} else {
  process.stderr.write('usage: startup-child.mjs bare <port> | second\n');
  process.exit(2);
}
