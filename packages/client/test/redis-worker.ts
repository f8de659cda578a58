/**
 * A worker process for redis-token-store.test.ts: N concurrent calls through a ZoomClient whose
 * token store is Redis. Waits for "go" on stdin so that all workers start together.
 */
import { RedisTokenStore, ZoomClient } from '@zemu/client';
import { Redis } from 'ioredis';

const [url, accountId, clientId, clientSecret, prefix, calls] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
const zoom = new ZoomClient({
  baseUrl: url,
  auth: { type: 'server_to_server', accountId, clientId, clientSecret },
  tokenStore: new RedisTokenStore(redis, { prefix }),
});
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  try {
    const users = await Promise.all(Array.from({ length: Number(calls) }, () => zoom.users.get('me')));
    process.stdout.write(`${JSON.stringify({ ok: users.length })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
    process.exitCode = 1;
  } finally {
    redis.disconnect();
    process.stdin.destroy();
  }
});
