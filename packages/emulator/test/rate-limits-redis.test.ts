import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { basic, startTestZemu, type TestZemu } from './helpers.js';
import { redisRequirement } from './requirements.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const redisNeed = await redisRequirement();
const REDIS_URL = 'url' in redisNeed ? redisNeed.url : '';

/** One account on the Free plan (Light: 4 a second), with the same ids in every process. */
const SEED = {
  accounts: [
    {
      id: 'shared-limits-acct',
      plan: 'free',
      owner: { id: 'shared-limits-owner', email: 'owner@shared-limits.test' },
      apps: [
        {
          name: 'shared',
          type: 'server_to_server',
          client_id: 'shared-limits-app',
          client_secret: 'shared-limits-secret-0123456789',
          scopes: ['user:read:token:admin'],
        },
      ],
    },
  ],
};

describe('rate limits shared by two Zemu processes through Redis', {
  skip: 'skip' in redisNeed && redisNeed.skip,
}, () => {
  const prefix = `zemu-test:${randomBytes(4).toString('hex')}:`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-redis-'));
  const seedFile = path.join(dir, 'seed.json');
  fs.writeFileSync(seedFile, JSON.stringify(SEED));
  let local: TestZemu;
  let child: ReturnType<typeof spawn>;
  let childUrl = '';

  before(async () => {
    local = await startTestZemu({
      rateLimits: true,
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      seedFile,
      demo: false,
    });
    child = spawn(
      process.execPath,
      [
        '--conditions=zemu-source',
        '--import',
        'tsx',
        'packages/emulator/src/cli/main.ts',
        'serve',
        '--memory',
        '--port',
        '0',
        '--no-demo',
        '--log-level',
        'warn',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          ZEMU_PORT: '',
          REDIS_URL,
          ZEMU_REDIS_PREFIX: prefix,
          ZEMU_SEED: seedFile,
          ZEMU_RATE_LIMITS: 'on',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    while (!out.includes('Ctrl-C')) {
      const [exited] = await Promise.race([
        once(child.stdout as NodeJS.ReadableStream, 'data'),
        once(child, 'exit'),
      ]);
      if (typeof exited === 'number') assert.fail(`zemu exited early: ${out}`);
    }
    childUrl = /local Zoom at (\S+)/.exec(out)?.[1] as string;
    // Both processes at the same emulated instant, frozen: one per-second window for the test.
    for (const url of [local.url, childUrl]) {
      await fetch(`${url}/_zemu/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ set: '2026-03-10T12:00:00Z', frozen: true }),
      });
    }
  });

  after(async () => {
    child?.kill('SIGTERM');
    if (child) await once(child, 'exit');
    await local?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function zak(url: string): Promise<number> {
    const auth = { authorization: basic('shared-limits-app', 'shared-limits-secret-0123456789') };
    const tokenRes = await fetch(
      `${url}/oauth/token?grant_type=account_credentials&account_id=shared-limits-acct`,
      {
        method: 'POST',
        headers: auth,
      },
    );
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${url}/v2/users/shared-limits-owner/token?type=zak`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    return res.status;
  }

  test("the Free plan's 4 Light calls a second are counted across both processes", async () => {
    assert.equal(await zak(local.url), 200);
    assert.equal(await zak(childUrl), 200);
    assert.equal(await zak(local.url), 200);
    assert.equal(await zak(childUrl), 200);
    assert.equal(await zak(local.url), 429, 'the fifth call in the second, whichever process answers it');
    assert.equal(await zak(childUrl), 429);
    await local.control('POST', '/clock', { advance: 1 });
    assert.equal(await zak(local.url), 200, 'a new second on this process opens a new window');
  });

  test('the daily quotas count in Redis too', async () => {
    const other = await startTestZemu({ redisUrl: REDIS_URL, redisPrefix: prefix, demo: true });
    try {
      await other.control('POST', '/clock', { set: '2026-03-10T12:00:01Z', frozen: true });
      const a = local.zemu.built.ctx.quotas;
      const b = other.zemu.built.ctx.quotas;
      assert.equal((await a.consume('user_create', 'shared-limits-acct', 2)).allowed, true);
      assert.equal((await b.consume('user_create', 'shared-limits-acct', 2)).allowed, true);
      const third = await a.consume('user_create', 'shared-limits-acct', 2);
      assert.equal(third.allowed, false);
    } finally {
      await other.close();
    }
  });
});
