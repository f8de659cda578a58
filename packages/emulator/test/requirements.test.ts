import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  browserRequirement,
  chromiumCandidates,
  postgresRequirement,
  redisRequirement,
} from './requirements.js';

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('test requirements: a missing Chromium, PostgreSQL or Redis is one skip line, or a failure in CI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-req-'));
  let port: number;
  before(async () => {
    port = await closedPort();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('ZEMU_TEST_CHROMIUM at a missing file: one line naming the variable', () => {
    const result = browserRequirement({ ZEMU_TEST_CHROMIUM: path.join(dir, 'no-chromium') });
    assert.ok('skip' in result);
    assert.equal(result.skip.split('\n').length, 1);
    assert.match(
      result.skip,
      /^Chromium not found at ZEMU_TEST_CHROMIUM=.*no-chromium: set ZEMU_TEST_CHROMIUM/,
    );
  });

  test('ZEMU_TEST_CHROMIUM at an executable file is used as is', () => {
    const fake = path.join(dir, 'chromium');
    fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    assert.deepEqual(browserRequirement({ ZEMU_TEST_CHROMIUM: fake }), { executablePath: fake });
  });

  test("without ZEMU_TEST_CHROMIUM, Debian's path comes first, then Playwright's cache, newest revision first", () => {
    const cache = path.join(dir, 'pw');
    for (const rev of ['1100', '1200']) {
      fs.mkdirSync(path.join(cache, `chromium-${rev}`, 'chrome-linux'), { recursive: true });
      fs.writeFileSync(path.join(cache, `chromium-${rev}`, 'chrome-linux', 'chrome'), '', { mode: 0o755 });
    }
    const candidates = chromiumCandidates({ PLAYWRIGHT_BROWSERS_PATH: cache });
    assert.equal(candidates[0], '/usr/bin/chromium');
    const inCache = candidates.filter((c) => c.startsWith(cache));
    assert.equal(inCache[0], path.join(cache, 'chromium-1200', 'chrome-linux', 'chrome'));
    assert.ok(inCache.includes(path.join(cache, 'chromium-1100', 'chrome-linux', 'chrome')));
  });

  test('PostgreSQL not reachable: one line naming the URL and ZEMU_TEST_PG_URL, the password hidden', async () => {
    const url = `postgres://postgres:hunter2@127.0.0.1:${port}/test`;
    const result = await postgresRequirement({ ZEMU_TEST_PG_URL: url });
    assert.ok('skip' in result);
    assert.equal(result.skip.split('\n').length, 1);
    assert.match(result.skip, new RegExp(`^PostgreSQL not reachable at .*127\\.0\\.0\\.1:${port}/test`));
    assert.match(result.skip, /set ZEMU_TEST_PG_URL/);
    assert.doesNotMatch(result.skip, /hunter2/);
  });

  test('Redis not reachable: one line naming the URL and ZEMU_TEST_REDIS_URL', async () => {
    const result = await redisRequirement({ ZEMU_TEST_REDIS_URL: `redis://127.0.0.1:${port}` });
    assert.ok('skip' in result);
    assert.equal(result.skip.split('\n').length, 1);
    assert.match(result.skip, new RegExp(`^Redis not reachable at redis://127\\.0\\.0\\.1:${port}`));
    assert.match(result.skip, /set ZEMU_TEST_REDIS_URL/);
  });

  test('ZEMU_TEST_REQUIRE=all turns each missing requirement into a failure', async () => {
    const env = { ZEMU_TEST_REQUIRE: 'all' };
    assert.throws(
      () => browserRequirement({ ...env, ZEMU_TEST_CHROMIUM: path.join(dir, 'no-chromium') }),
      /^Error: ZEMU_TEST_REQUIRE=all: Chromium not found/,
    );
    await assert.rejects(
      postgresRequirement({ ...env, ZEMU_TEST_PG_URL: `postgres://postgres@127.0.0.1:${port}/test` }),
      /ZEMU_TEST_REQUIRE=all: PostgreSQL not reachable/,
    );
    await assert.rejects(
      redisRequirement({ ...env, ZEMU_TEST_REDIS_URL: `redis://127.0.0.1:${port}` }),
      /ZEMU_TEST_REQUIRE=all: Redis not reachable/,
    );
  });
});
