/**
 * The console's server side without a browser: the gate over its fragments and the stream, the
 * shell's headers, escaping, paging, the request detail, the control API's cross-origin refusal and
 * the redeliver endpoint the Webhooks page uses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordEvent } from '../src/webhooks/emit.js';
import { bulkUsers, startTestZemu, type TestZemu } from './helpers.js';
import { startReceiver } from './webhook-receiver.js';

const FRAGMENTS = ['world', 'requests', 'tokens', 'clock', 'faults', 'webhooks', 'meetings', 'state'];

describe('console behind a closed gate', () => {
  const adminToken = 'console-gate-token-0123456789';
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ adminToken });
    // What the gate sees of a Zemu bound beyond loopback (tests bind 127.0.0.1 only).
    z.zemu.built.ctx.config.host = '0.0.0.0';
  });
  after(() => z.close());

  test('the shell and its assets load without the token and hold no data; every fragment needs it', async () => {
    const shell = await z.request('GET', '/_zemu/console');
    assert.equal(shell.status, 200);
    assert.match(shell.headers.get('content-type') ?? '', /text\/html/);
    assert.match(shell.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    assert.equal(shell.headers.get('x-frame-options'), 'DENY');
    for (const secret of [z.demo.account_id, z.demo.client_id, z.demo.client_secret, z.demo.email]) {
      assert.ok(!shell.text.includes(secret));
    }
    for (const asset of ['htmx.min.js', 'console.js', 'console.css']) {
      const res = await z.request('GET', `/_zemu/console/assets/${asset}`);
      assert.equal(res.status, 200, asset);
      assert.ok(res.text.length > 1000, asset);
    }
    assert.equal((await z.request('GET', '/_zemu/console/assets/../routes.ts')).status, 404);
    for (const name of FRAGMENTS) {
      const res = await z.request('GET', `/_zemu/console/f/${name}`);
      assert.equal(res.status, 401, name);
      assert.equal(res.body.code, 124);
      assert.ok(!res.text.includes(z.demo.account_id));
      const open = await z.request('GET', `/_zemu/console/f/${name}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.equal(open.status, 200, name);
    }
    const world = await z.request('GET', '/_zemu/console/f/world', {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    assert.match(world.text, new RegExp(z.demo.account_id));
  });

  test('a closed gate: the request stream answers 401 and streams nothing without the token', async () => {
    await z.s2sToken();
    const refused = await fetch(`${z.url}/_zemu/requests/stream?since=0`);
    assert.equal(refused.status, 401);
    const body = await refused.text();
    assert.equal(JSON.parse(body).code, 124);
    assert.ok(!body.includes('/oauth/token'));
    const controller = new AbortController();
    const open = await fetch(`${z.url}/_zemu/requests/stream?since=0`, {
      headers: { authorization: `Bearer ${adminToken}` },
      signal: controller.signal,
    });
    assert.equal(open.status, 200);
    const reader = (open.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('/oauth/token')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
  });
});

describe('console fragments and the endpoints they use', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  test('a page of another origin is refused by the control API, and writes nothing', async () => {
    const evil = await z.request('POST', '/_zemu/faults', {
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'path=/v2/users/*&action=reset',
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.body.code, 124);
    const read = await z.request('GET', '/_zemu/demo', { headers: { origin: 'null' } });
    assert.equal(read.status, 403);
    assert.ok(!read.text.includes(z.demo.client_secret));
    assert.equal((await z.control('GET', '/faults')).body.total_records, 0);
    // The console's own requests name Zemu's origin.
    const own = await z.request('POST', '/_zemu/faults', {
      headers: { origin: new URL(z.url).origin, 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/v2/nothing', action: 'reset' }),
    });
    assert.equal(own.status, 201, own.text);
  });

  test("PATCH /_zemu/accounts/{id}: a new plan sets the account's limits; bad values change nothing", async () => {
    const account = await z.control('POST', '/accounts', {
      name: 'Plans',
      owner: { email: 'plans@plans.test' },
    });
    const id = account.body.id;
    const before = await z.control('GET', `/accounts/${id}/limits`);
    assert.equal(before.body.plan, 'pro');
    const bad = await z.control('PATCH', `/accounts/${id}`, { plan: 'gold', color: 'red', name: '' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), [
      'color',
      'name',
      'plan',
    ]);
    assert.equal((await z.control('GET', `/accounts/${id}`)).body.plan, 'pro');
    const changed = await z.control('PATCH', `/accounts/${id}`, { plan: 'business', name: 'Plans Inc' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.plan, 'business');
    const after = await z.control('GET', `/accounts/${id}/limits`);
    assert.equal(after.body.plan, 'business');
    assert.notDeepEqual(after.body.limits, before.body.limits);
    assert.equal((await z.control('PATCH', '/accounts/nope', { plan: 'free' })).status, 404);
  });

  test('the fragments escape what the world holds', async () => {
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'xss@demo.zemu.test',
      first_name: '<img src=x onerror=alert(1)>',
    });
    assert.equal(created.status, 201);
    const world = await z.request('GET', '/_zemu/console/f/world');
    assert.ok(world.text.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!world.text.includes('<img src=x'));
    // A repeated query key is no 500.
    const twice = await z.request('GET', '/_zemu/console/f/world?account=a&account=b');
    assert.equal(twice.status, 200);
  });

  test('the World page shows 50 users a page with a next link; counts come from the database', async () => {
    const account = await z.control('POST', '/accounts', { name: 'Big', owner: { email: 'big@big.test' } });
    await bulkUsers(z, account.body.id, 120);
    const rows = (text: string) => (text.split('<tbody>')[2] ?? '').split('<tr>').length - 1;
    const first = await z.request('GET', `/_zemu/console/f/world?account=${account.body.id}`);
    assert.match(first.text, /Showing 50 of 121/);
    assert.equal(rows(first.text), 50);
    const next = /href="#world\?account=[^&]+&amp;after=(\d+)"/.exec(first.text);
    assert.ok(next, 'a next-page link');
    const second = await z.request(
      'GET',
      `/_zemu/console/f/world?account=${account.body.id}&after=${next[1]}`,
    );
    assert.equal(rows(second.text), 50);
    const third = /after=(\d+)">Next page/.exec(second.text);
    const last = await z.request(
      'GET',
      `/_zemu/console/f/world?account=${account.body.id}&after=${third?.[1]}`,
    );
    assert.equal(rows(last.text), 21);
    assert.doesNotMatch(last.text, /Next page/);
  });

  test("a request's detail: its refusal reason and its grant's tokens; unknown or bad ids in Zoom's shape", async () => {
    const token = await z.s2sToken();
    await z.control('POST', '/clock', { advance: 3600 });
    assert.equal((await z.api('GET', '/users/me', token)).status, 401);
    const log = await z.control('GET', '/requests?status=401&path=/v2/users/me');
    const id = log.body.requests[0].id;
    const detail = await z.request('GET', `/_zemu/console/f/requests/${id}`);
    assert.equal(detail.status, 200);
    assert.match(detail.text, /id="detail-reason">Refused: expired at /);
    assert.match(detail.text, /<span class="badge expired">expired<\/span>/);
    assert.match(detail.text, /\(this request\)/);
    const unknown = await z.request('GET', '/_zemu/console/f/requests/999999');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 1001);
    const bad = await z.request('GET', '/_zemu/console/f/requests/abc');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
  });

  test('redeliver: the same event again as a new delivery; a pending one or an unknown id is refused', async () => {
    const receiver = await startReceiver('console-redeliver-secret-01');
    try {
      const sub = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
        endpoint_url: receiver.url,
        events: ['meeting.deleted'],
        secret_token: receiver.secret,
      });
      assert.equal(sub.status, 201, sub.text);
      const { store, clock } = z.zemu.built.ctx;
      receiver.answerEvents = [500, 200];
      await recordEvent(store, clock, {
        accountId: z.demo.account_id,
        event: 'meeting.deleted',
        operator: { id: z.demo.user_id, email: z.demo.email },
        payload: { object: { id: 1 } },
      });
      await z.control('POST', '/webhooks/deliver');
      const pending = (await z.control('GET', '/webhooks/deliveries?event=meeting.deleted')).body
        .deliveries[0];
      assert.equal(pending.status, 'pending');
      const early = await z.control('POST', `/webhooks/deliveries/${pending.id}/redeliver`);
      assert.equal(early.status, 409);
      assert.equal(early.body.code, 1005);

      await z.control('POST', '/clock', { advance: 5 * 60 + 1 });
      await z.control('POST', '/webhooks/deliver');
      assert.equal((await z.control('GET', `/webhooks/deliveries/${pending.id}`)).body.status, 'delivered');
      const again = await z.control('POST', `/webhooks/deliveries/${pending.id}/redeliver`);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.body.redelivery_of, pending.id);
      assert.equal(again.body.status, 'pending');
      await z.control('POST', '/webhooks/deliver');
      const events = receiver.events('meeting.deleted');
      assert.equal(events.length, 3);
      assert.equal(events[2]?.raw, events[1]?.raw, 'the same event body');
      assert.ok(events[2]?.signatureOk);
      assert.equal(
        (await z.control('GET', `/webhooks/deliveries/${again.body.id}`)).body.status,
        'delivered',
      );

      const unknown = await z.control('POST', '/webhooks/deliveries/nope/redeliver');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.code, 1001);
    } finally {
      await receiver.close();
    }
  });
});
