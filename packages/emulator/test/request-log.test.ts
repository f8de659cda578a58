import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

describe('request log: GET /_zemu/requests and the SSE stream', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  test('records a token request and the /v2 call that used its token, with lineage', async () => {
    await z.control('DELETE', '/requests');
    const token = await z.s2sToken();
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
    assert.equal(res.status, 200);
    const log = await z.control('GET', '/requests');
    assert.equal(log.status, 200);
    const [call, issue] = log.body.requests;
    assert.equal(issue.method, 'POST');
    assert.equal(issue.path, '/oauth/token');
    assert.equal(issue.status, 200);
    assert.equal(issue.client_id, z.demo.client_id);
    assert.equal(issue.account_id, z.demo.account_id);
    assert.equal(issue.grant_type, 'account_credentials');
    assert.ok(issue.issued_token_id);
    assert.equal(call.path, `/v2/users/${z.demo.user_id}/token`);
    assert.equal(call.status, 200);
    assert.equal(call.token_id, issue.issued_token_id);
    assert.equal(call.grant_id, issue.grant_id);
    assert.equal(call.user_id, z.demo.user_id);
    assert.equal(call.reason, null);
    assert.equal(typeof call.duration_ms, 'number');
    assert.ok(Date.parse(call.at) > 0 && Date.parse(call.real_at) > 0);
  });

  test('says in words why an expired token was refused', async () => {
    await z.control('DELETE', '/requests');
    const token = await z.s2sToken();
    await z.control('POST', '/clock', { advance: 3601 });
    const res = await z.api('GET', '/users/me', token);
    assert.equal(res.status, 401);
    const log = await z.control('GET', '/requests?refused=true');
    assert.equal(log.body.total_records, 1);
    const [entry] = log.body.requests;
    assert.equal(entry.code, 124);
    assert.match(entry.reason, /^expired at \d{4}-/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    assert.equal(entry.token_id, claims.jti, 'a refused token is still named in the log');
    assert.equal(entry.client_id, z.demo.client_id);
  });

  test('says why the token endpoint refused a client, with the OAuth error', async () => {
    await z.control('DELETE', '/requests');
    await z.request('POST', `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`, {
      headers: { authorization: basic(z.demo.client_id, 'wrong-secret-wrong-secret') },
    });
    const log = await z.control('GET', '/requests?path=/oauth/token&status=4xx');
    assert.equal(log.body.total_records, 1);
    assert.equal(log.body.requests[0].error, 'invalid_client');
    assert.equal(log.body.requests[0].client_id, z.demo.client_id);
    assert.ok(log.body.requests[0].reason);
  });

  test('filters by path prefix, status and token, and pages newest first', async () => {
    await z.control('DELETE', '/requests');
    const token = await z.s2sToken();
    for (let i = 0; i < 5; i++) await z.api('GET', '/users/me', token);
    await z.api('GET', '/users/nobody@example.com', token);
    const all = await z.control('GET', '/requests?path=/v2/*');
    assert.equal(all.body.total_records, 6);
    const notFound = await z.control('GET', '/requests?status=404&code=1001');
    assert.equal(notFound.body.total_records, 1);
    const first = await z.control('GET', '/requests?path=/v2/users/me&page_size=2');
    assert.equal(first.body.requests.length, 2);
    assert.equal(first.body.total_records, 5);
    assert.ok(first.body.next_page_token);
    const second = await z.control(
      'GET',
      `/requests?path=/v2/users/me&page_size=2&next_page_token=${first.body.next_page_token}`,
    );
    assert.equal(second.body.requests.length, 2);
    assert.ok(second.body.requests[0].id < first.body.requests[1].id);
    const third = await z.control(
      'GET',
      `/requests?path=/v2/users/me&page_size=2&next_page_token=${second.body.next_page_token}`,
    );
    assert.equal(third.body.requests.length, 1);
    assert.equal(third.body.next_page_token, '');
    const byToken = await z.control('GET', `/requests?token_id=${all.body.requests[0].token_id}`);
    assert.equal(byToken.body.total_records, 7, 'six calls plus the request that issued it');
    const bad = await z.control('GET', '/requests?status=abc');
    assert.equal(bad.status, 400);
  });

  test('streams entries live as Server-Sent Events, filtered', async () => {
    const token = await z.s2sToken();
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = http.get(`${z.url}/_zemu/requests/stream?status=404`, (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            if (event.startsWith('id:')) events.push(event);
            if (events.length === 1) {
              req.destroy();
              resolve();
            }
          }
        });
        // Once connected, make one request that matches and one that does not.
        setTimeout(async () => {
          await z.api('GET', '/users/me', token);
          await z.api('GET', '/users/missing-user', token);
        }, 50);
      });
      req.on('error', (error) => (events.length ? resolve() : reject(error)));
    });
    await done;
    assert.equal(events.length, 1);
    const data = JSON.parse((events[0] as string).split('\ndata: ')[1] as string);
    assert.equal(data.status, 404);
    assert.equal(data.path, '/v2/users/missing-user');
    assert.match(events[0] as string, /event: request/);
  });

  test('a reconnecting stream (Last-Event-ID) first gets what it missed', async () => {
    await z.control('DELETE', '/requests');
    await z.request('GET', '/v2/users/a');
    await z.request('GET', '/v2/users/b');
    await z.request('GET', '/v2/users/c');
    const log = await z.control('GET', '/requests');
    const [, middle] = log.body.requests;
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        `${z.url}/_zemu/requests/stream`,
        { headers: { 'last-event-id': String(middle.id) } },
        (res) => {
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            if (buffer.includes('/v2/users/c')) {
              req.destroy();
              resolve(buffer);
            }
          });
        },
      );
      req.on('error', reject);
    });
    assert.ok(!text.includes('/v2/users/a') && !text.includes('/v2/users/b'), 'only what came after');
    assert.match(text, /"path":"\/v2\/users\/c"/);
  });

  test('records requests the router refuses before any route runs (bad URL, URI too long)', async () => {
    await z.control('DELETE', '/requests');
    await z.request('GET', '/v2/users/%E0%A4%A');
    await z.request('GET', `/v2/users/${'x'.repeat(3000)}`);
    const log = await z.control('GET', '/requests');
    assert.deepEqual(
      log.body.requests.map((r: { status: number; code: number }) => [r.status, r.code]),
      [
        [414, 300],
        [400, 300],
      ],
    );
    assert.ok(log.body.requests[0].reason);
  });

  test('keeps at most the configured number of entries', async () => {
    const small = await startTestZemu({ requestLogSize: 3 });
    try {
      for (let i = 0; i < 5; i++) await small.request('GET', '/v2/users/me');
      const log = await small.control('GET', '/requests');
      assert.equal(log.body.total_records, 3);
      assert.equal(log.body.retention.capacity, 3);
    } finally {
      await small.close();
    }
  });
});
