import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { compilePattern } from '../src/faults/rules.js';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

describe('fault injection: /_zemu/faults', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
  });
  after(() => z.close());
  beforeEach(async () => {
    await z.control('DELETE', '/faults');
  });

  const zak = () => z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
  const tokenRequest = () =>
    fetch(`${z.url}/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`, {
      method: 'POST',
      headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) },
    });

  test('answers a given status and Zoom body a given number of times, then stops and disappears', async () => {
    const created = await z.control('POST', '/faults', {
      method: 'GET',
      path: '/v2/users/*/token',
      action: 'error',
      status: 503,
      body: { code: 503, message: 'Service Unavailable.' },
      count: 2,
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^f_/);
    for (let i = 0; i < 2; i++) {
      const res = await zak();
      assert.equal(res.status, 503);
      assert.deepEqual(res.body, { code: 503, message: 'Service Unavailable.' });
    }
    assert.equal((await zak()).status, 200);
    const list = await z.control('GET', '/faults');
    assert.equal(list.body.total_records, 0);
    const log = await z.control('GET', '/requests?status=503');
    assert.equal(log.body.requests[0].fault_id, created.body.id);
    assert.match(log.body.requests[0].reason, /^fault rule f_\w+: answered 503/);
  });

  test('matches by app, account and user: other callers are untouched', async () => {
    await z.control('POST', '/faults', {
      path: '/v2/**',
      client_id: 'some-other-app',
      action: 'error',
      status: 500,
    });
    await z.control('POST', '/faults', {
      path: '/v2/**',
      user_id: 'some-other-user',
      action: 'error',
      status: 500,
    });
    assert.equal((await zak()).status, 200);
    await z.control('POST', '/faults', {
      path: '/v2/**',
      account_id: z.demo.account_id,
      action: 'error',
      status: 500,
    });
    const res = await zak();
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { code: 500, message: 'Internal Error.' });
  });

  test('adds latency and then answers normally', async () => {
    await z.control('POST', '/faults', {
      path: '/v2/users/:userId/token',
      action: 'latency',
      latency_ms: 300,
    });
    const started = performance.now();
    const res = await zak();
    assert.equal(res.status, 200);
    assert.ok(performance.now() - started >= 290, 'took at least the latency');
    const log = await z.control('GET', '/requests?path=/v2/users/*&page_size=1');
    assert.match(log.body.requests[0].reason, /^delayed 300 ms by fault rule f_/);
    assert.equal(log.body.requests[0].status, 200);
  });

  test('resets the connection', async () => {
    await z.control('POST', '/faults', { path: '/v2/users/*/token', action: 'reset', count: 1 });
    await assert.rejects(zak(), (error: Error) => {
      assert.match(
        String((error.cause as Error)?.message ?? error.message),
        /ECONNRESET|socket|other side closed|terminated/i,
      );
      return true;
    });
    assert.equal((await zak()).status, 200);
    const log = await z.control('GET', '/requests?path=/v2/users/*');
    const reset = log.body.requests.find((r: { fault_id: string | null }) => r.fault_id);
    assert.match(reset.reason, /connection reset by fault rule/);
  });

  test('the lost token response: the token is issued and stored, the client never sees it', async () => {
    const before = await z.control('GET', `/apps/${z.demo.client_id}/tokens`);
    await z.control('POST', '/faults', { method: 'POST', path: '/oauth/token', action: 'drop', count: 1 });
    await assert.rejects(tokenRequest());
    const afterDrop = await z.control('GET', `/apps/${z.demo.client_id}/tokens`);
    assert.equal(afterDrop.body.total_records, before.body.total_records + 1, 'the token was stored');
    const lost = afterDrop.body.tokens[0];
    const log = await z.control('GET', `/requests?token_id=${lost.id}`);
    assert.equal(log.body.total_records, 1);
    assert.equal(log.body.requests[0].status, 200);
    assert.match(
      log.body.requests[0].reason,
      /response dropped by fault rule .* after the operation was performed/,
    );
    assert.equal((await tokenRequest()).status, 200, 'the next request gets its answer');
  });

  test('fires with a probability', async () => {
    await z.control('POST', '/faults', { path: '/v2/**', action: 'error', status: 502, probability: 0 });
    for (let i = 0; i < 5; i++) assert.equal((await zak()).status, 200);
    await z.control('DELETE', '/faults');
    await z.control('POST', '/faults', { path: '/v2/**', action: 'error', status: 502, probability: 1 });
    assert.equal((await zak()).status, 502);
  });

  test('expires by itself on the emulated clock, and can be listed and removed', async () => {
    const rule = await z.control('POST', '/faults', {
      path: '/v2/**',
      action: 'error',
      status: 500,
      ttl_seconds: 60,
    });
    const listed = await z.control('GET', '/faults');
    assert.equal(listed.body.faults[0].id, rule.body.id);
    assert.equal((await zak()).status, 500);
    await z.control('POST', '/clock', { advance: 61 });
    token = await z.s2sToken();
    assert.equal((await zak()).status, 200);
    assert.equal((await z.control('GET', `/faults/${rule.body.id}`)).status, 404);
    const second = await z.control('POST', '/faults', { path: '/v2/**', action: 'error', status: 500 });
    assert.equal((await z.control('DELETE', `/faults/${second.body.id}`)).status, 204);
    assert.equal((await zak()).status, 200);
  });

  test('refuses an invalid rule with field errors', async () => {
    const res = await z.control('POST', '/faults', { path: 'v2', action: 'explode', probability: 2 });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), [
      'action',
      'path',
      'probability',
    ]);
  });

  test('answers OAuth-shaped bodies on /oauth by default', async () => {
    await z.control('POST', '/faults', { path: '/oauth/token', action: 'error', status: 500, count: 1 });
    const res = await tokenRequest();
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { reason: 'Internal Error.', error: 'server_error' });
  });
});

describe('fault rules in the seed file', () => {
  test('are loaded at start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-faults-'));
    const file = path.join(dir, 'seed.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ faults: [{ id: 'seeded', path: '/v2/users/me', action: 'error', status: 503 }] }),
    );
    const z = await startTestZemu({ seedFile: file });
    try {
      const token = await z.s2sToken();
      assert.equal((await z.api('GET', '/users/me', token)).status, 503);
      assert.equal((await z.control('GET', '/faults/seeded')).body.action, 'error');
    } finally {
      await z.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fault path patterns', () => {
  test('* is one segment, ** anything, :name and {name} one segment', () => {
    assert.ok(compilePattern('/v2/users/*/token').test('/v2/users/abc/token'));
    assert.ok(!compilePattern('/v2/users/*/token').test('/v2/users/a/b/token'));
    assert.ok(compilePattern('/v2/**').test('/v2/users/a/b'));
    assert.ok(compilePattern('/v2/users/:userId').test('/v2/users/me'));
    assert.ok(compilePattern('/v2/users/{userId}/token').test('/v2/users/me/token'));
    assert.ok(!compilePattern('/v2/users/{userId}').test('/v2/users/me/token'));
    assert.ok(!compilePattern('/oauth/token').test('/oauth/tokenx'));
  });
});
