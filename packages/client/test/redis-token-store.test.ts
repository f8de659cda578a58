/** The Redis TokenStore: several processes share one token, and one token request, through a lock. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RedisTokenStore, type TokenSet, ZoomClient } from '@zemu/client';
import { Redis } from 'ioredis';
import { redisRequirement } from '../../emulator/test/requirements.js';
import { fakeZoom, json, type LiveZemu, liveZemu } from './helpers.js';

const redisNeed = await redisRequirement();
const REDIS_URL = 'url' in redisNeed ? redisNeed.url : '';
const worker = fileURLToPath(new URL('./redis-worker.ts', import.meta.url));

function startWorker(args: string[]) {
  const child = spawn(process.execPath, ['--conditions=zemu-source', '--import', 'tsx', worker, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, REDIS_URL },
  });
  // Queue lines as they come: a line emitted before anyone waits for it must not be lost.
  const queued: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queued.push(line);
  });
  const next = () =>
    new Promise<string>((resolve) => {
      const line = queued.shift();
      if (line !== undefined) resolve(line);
      else waiting.push(resolve);
    });
  return { child, next };
}

describe('RedisTokenStore', { skip: 'skip' in redisNeed && redisNeed.skip }, () => {
  let z: LiveZemu;
  let redis: Redis;
  before(async () => {
    z = await liveZemu();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });
  after(async () => {
    redis.disconnect();
    await z.close();
  });

  test('three processes with a cold shared store make exactly one token request (counted on the server)', {
    timeout: 60_000,
  }, async () => {
    const prefix = `zemu-client-test:${randomUUID()}:`;
    const { account_id, client_id, client_secret } = z.demo;
    const before = await z.tokenCount();
    const workers = Array.from({ length: 3 }, () =>
      startWorker([z.url, account_id, client_id, client_secret, prefix, '300']),
    );
    try {
      for (const w of workers) assert.equal(await w.next(), 'ready');
      const results = workers.map((w) => w.next());
      for (const w of workers) w.child.stdin.write('go\n');
      for (const line of await Promise.all(results)) assert.deepEqual(JSON.parse(line), { ok: 300 });
      assert.equal((await z.tokenCount()) - before, 1);
    } finally {
      for (const w of workers) w.child.kill();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
  });

  test('stores tokens as JSON with the expiry as a Redis TTL, and its lock excludes a second holder', async () => {
    const prefix = `zemu-client-test:${randomUUID()}:`;
    const store = new RedisTokenStore(redis, { prefix });
    const token: TokenSet = {
      accessToken: 'a',
      tokenType: 'bearer',
      expiresAt: 1,
      refreshAt: 1,
      scope: ['x'],
    };
    await store.set('k', token, 5000);
    assert.deepEqual(await store.get('k'), token);
    const ttl = await redis.pttl(`${prefix}k`);
    assert.ok(ttl > 0 && ttl <= 5000, `ttl ${ttl}`);
    const release = await store.lock('k', 5000);
    assert.ok(release);
    assert.equal(await store.lock('k', 5000), undefined, 'a second holder is refused');
    await release();
    const again = await store.lock('k', 5000);
    assert.ok(again, 'free again after release');
    await again();
    await store.delete('k');
    assert.equal(await store.get('k'), undefined);
  });

  test('user OAuth: two app instances sharing Redis refresh a rotating refresh token once', async () => {
    const prefix = `zemu-client-test:${randomUUID()}:`;
    const live = new Set(['rt-0']);
    let issued = 0;
    const oauth = await fakeZoom((req, res) => {
      if (req.url === '/oauth/token') {
        const rt = new URLSearchParams(req.body).get('refresh_token') ?? '';
        if (!live.delete(rt)) return json(res, 400, { reason: 'Invalid Token!', error: 'invalid_grant' });
        issued++;
        live.add(`rt-${issued}`);
        return json(res, 200, {
          access_token: `at-${issued}`,
          token_type: 'bearer',
          refresh_token: `rt-${issued}`,
          expires_in: 3599,
          scope: 'user:read:user',
        });
      }
      json(res, 200, { id: 'me' });
    });
    try {
      // Two clients, two store objects, one Redis: like two processes of one app.
      const make = () =>
        new ZoomClient({
          baseUrl: oauth.url,
          tokenStore: new RedisTokenStore(redis, { prefix }),
          auth: { type: 'user', clientId: 'c', clientSecret: 's', refreshToken: 'rt-0' },
        });
      const [a, b] = [make(), make()];
      const calls = [
        ...Array.from({ length: 20 }, () => a.users.get('me')),
        ...Array.from({ length: 20 }, () => b.users.get('me')),
      ];
      await Promise.all(calls);
      assert.equal(issued, 1);
    } finally {
      await oauth.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
  });
});
