/**
 * Signed webhook delivery (contract §7): subscriptions and URL validation, delivery of outbox events
 * with Zoom's headers and signature, retries at 5/20/60 minutes of emulated time, re-validation every
 * 72 hours, app_deauthorized on revoke, the delivery log, and the seed file's webhooks.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { recordEvent } from '../src/webhooks/emit.js';
import { applySeed } from '../src/world/seed.js';
import { basic, recordedEvents, startTestZemu, type TestZemu, userToken } from './helpers.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const SECRET = 'fixed-secret-token-for-tests';
const MIN = 60;
const HOUR = 3600;

describe('webhooks', () => {
  let z: TestZemu;
  const receivers: Receiver[] = [];
  const receiver = async (secret = SECRET) => {
    const r = await startReceiver(secret);
    receivers.push(r);
    return r;
  };
  before(async () => {
    z = await startTestZemu();
  });
  after(async () => {
    await z.close();
    for (const r of receivers) await r.close();
  });

  /** An S2S app of its own (so subscriptions of one test do not receive another's events). */
  async function newApp(accountId = z.demo.account_id, type = 'server_to_server') {
    const res = await z.control('POST', `/accounts/${accountId}/apps`, {
      name: `hooks ${randomBytes(3).toString('hex')}`,
      type,
      scopes: ['user:read:user:admin'],
      redirect_uris: ['https://app.example.com/callback'],
    });
    assert.equal(res.status, 201, res.text);
    return res.body as {
      client_id: string;
      client_secret: string;
      account_id: string;
      redirect_uris: string[];
    };
  }

  async function subscribe(clientId: string, r: Receiver, events: string[], extra: object = {}) {
    const res = await z.control('POST', `/apps/${clientId}/webhooks`, {
      endpoint_url: r.url,
      events,
      secret_token: r.secret,
      ...extra,
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  const record = (event: string, object: Record<string, unknown>, accountId = z.demo.account_id) =>
    recordEvent(z.zemu.built.ctx.store, z.zemu.built.ctx.clock, {
      accountId,
      event: event as never,
      operator: { id: z.demo.user_id, email: z.demo.email },
      payload: { object },
    });

  const deliver = async () => {
    const res = await z.control('POST', '/webhooks/deliver');
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const deliveries = async (query: string) => {
    const res = await z.control('GET', `/webhooks/deliveries?${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const advance = async (seconds: number) => {
    assert.equal((await z.control('POST', '/clock', { advance: seconds })).status, 200);
  };

  test('registering validates the endpoint with a signed endpoint.url_validation and answers 201', async () => {
    const app = await newApp();
    const r = await receiver();
    const before = Math.floor(Date.now() / 1000);
    const res = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
      endpoint_url: r.url,
      events: ['user.created', 'user.updated'],
      secret_token: SECRET,
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.secret_token, SECRET);
    assert.equal(res.body.endpoint_url, r.url);
    assert.deepEqual(res.body.events, ['user.created', 'user.updated']);
    assert.equal(res.body.validated, true);
    const [validation] = r.validations();
    assert.ok(validation, 'the endpoint was called');
    assert.equal(r.received.length, 1);
    assert.ok(validation.signatureOk, 'the validation request is signed like every event');
    assert.equal(validation.json.event, 'endpoint.url_validation');
    assert.equal(typeof validation.json.payload.plainToken, 'string');
    assert.ok(validation.json.payload.plainToken.length >= 16);
    assert.equal(typeof validation.json.event_ts, 'number');
    assert.equal(validation.headers['content-type'], 'application/json');
    assert.equal(validation.headers['user-agent'], 'Zoom Marketplace/1.0a');
    assert.match(String(validation.headers['x-zm-trackingid']), /^v=2\.0;clid=\w+;rid=WEB_[0-9a-f]{32}$/);
    const ts = Number(validation.headers['x-zm-request-timestamp']);
    assert.ok(ts >= before && ts <= Math.ceil(Date.now() / 1000), 'seconds of real time');
    const listed = await z.control('GET', `/apps/${app.client_id}/webhooks`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.secret_token, SECRET);
    assert.deepEqual(
      listed.body.subscriptions.map((s: { id: string }) => s.id),
      [res.body.id],
    );
  });

  test('without secret_token the app gets a generated Secret Token, the same on every read', async () => {
    const app = await newApp();
    const first = await z.control('GET', `/apps/${app.client_id}/webhooks`);
    assert.equal(first.status, 200);
    assert.match(first.body.secret_token, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(first.body.subscriptions, []);
    const r = await receiver(first.body.secret_token);
    const res = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
      endpoint_url: r.url,
      events: ['user.created'],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.secret_token, first.body.secret_token);
  });

  test('an endpoint that fails validation is refused with a 400 that says what it answered, and nothing is stored', async () => {
    const app = await newApp();
    const r = await receiver();
    const attempt = () =>
      z.control('POST', `/apps/${app.client_id}/webhooks`, {
        endpoint_url: r.url,
        events: ['user.created'],
        secret_token: SECRET,
      });
    r.answerValidation = 'bad-token';
    let res = await attempt();
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.message, 'URL validation failed. Try again later.');
    assert.equal(res.body.errors[0].field, 'endpoint_url');
    assert.match(res.body.errors[0].message, /encryptedToken is not hex HMAC-SHA256/);

    r.answerValidation = 'wrong-plain-token';
    res = await attempt();
    assert.match(res.body.errors[0].message, /plainToken is not the one sent/);

    r.answerValidation = { status: 401, body: '{"message":"bad signature"}' };
    res = await attempt();
    assert.equal(res.status, 400);
    assert.match(res.body.errors[0].message, /answered HTTP 401 with .*bad signature/);

    r.answerValidation = { status: 200, body: 'OK' };
    res = await attempt();
    assert.match(res.body.errors[0].message, /not JSON/);

    r.answerValidation = 'ok';
    r.secret = 'another-secret-entirely';
    res = await attempt();
    assert.match(res.body.errors[0].message, /encryptedToken/, 'a receiver with another secret fails');
    r.secret = SECRET;

    await r.shut();
    res = await attempt();
    assert.equal(res.status, 400);
    assert.match(res.body.errors[0].message, /connection refused/);
    await r.reopen();

    const listed = await z.control('GET', `/apps/${app.client_id}/webhooks`);
    assert.deepEqual(listed.body.subscriptions, []);
    assert.notEqual(listed.body.secret_token, SECRET, 'a refused registration does not set its secret');
  });

  test('an endpoint that takes longer than 3 s to validate is refused', async () => {
    const app = await newApp();
    const r = await receiver();
    r.answerValidation = 'hang';
    const started = Date.now();
    const res = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
      endpoint_url: r.url,
      events: ['user.created'],
      secret_token: SECRET,
    });
    assert.equal(res.status, 400);
    assert.match(res.body.errors[0].message, /no answer within 3 s/);
    assert.ok(Date.now() - started >= 2900);
  });

  test('bad input gets Zoom-shaped 400s naming every bad field; unknown apps 404', async () => {
    const app = await newApp();
    const res = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
      endpoint_url: 'ftp://example.com/hook',
      events: ['user.created', 'webinar.started', 'user.created'],
      secret_token: 'short',
      colour: 'blue',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.message, 'Validation Failed.');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['colour', 'endpoint_url', 'events', 'events', 'secret_token']);
    for (const body of [
      { endpoint_url: 'not a url', events: ['user.created'] },
      { endpoint_url: 'https://example.com', events: [] },
      { endpoint_url: 'https://user:pw@example.com/hook', events: ['user.created'] },
      { endpoint_url: 'https://example.com/hook#x', events: ['user.created'] },
      { endpoint_url: `https://example.com/${'a'.repeat(2100)}`, events: ['user.created'] },
      { endpoint_url: 'https://example.com', events: 'user.created' },
      { events: ['user.created'] },
      [],
    ]) {
      const bad = await z.control('POST', `/apps/${app.client_id}/webhooks`, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body.code, 300);
    }
    const unknown = await z.control('POST', '/apps/no-such-app/webhooks', {
      endpoint_url: 'https://example.com',
      events: ['user.created'],
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 1001);
    assert.equal((await z.control('GET', '/apps/no-such-app/webhooks')).status, 404);
  });

  test('an app has at most 20 event subscriptions', async () => {
    const app = await newApp();
    const r = await receiver();
    for (let i = 0; i < 20; i++) {
      const res = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
        endpoint_url: `${r.url}?n=${i}`,
        events: ['user.created'],
        secret_token: SECRET,
      });
      assert.equal(res.status, 201, res.text);
    }
    const res = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
      endpoint_url: `${r.url}?n=20`,
      events: ['user.created'],
    });
    assert.equal(res.status, 400);
    assert.match(res.body.errors[0].message, /at most 20 event subscriptions/);
    assert.equal(r.validations().length, 20, 'the 21st endpoint is not even called');
  });

  test('an outbox event is delivered once, as compact JSON, signed over the exact bytes, with Zoom headers', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['user.created']);
    // Paused, so that the deliver call below is the pass that delivers it (an automatic pass 20 ms after
    // the event can beat it on a loaded machine, and the summary would then be empty).
    assert.equal((await z.control('PATCH', '/webhooks/dispatcher', { paused: true })).status, 200);
    const recorded = await record('user.created', {
      id: 'u-1',
      first_name: 'Zoë',
      last_name: 'Ünïcode',
      email: 'zoe@demo.zemu.test',
      type: 1,
    });
    const summary = await deliver().finally(() =>
      z.control('PATCH', '/webhooks/dispatcher', { paused: false }),
    );
    assert.ok(summary.delivered >= 1, JSON.stringify(summary));
    const [got] = r.events('user.created');
    assert.ok(got, 'the receiver got the event');
    assert.equal(r.events().length, 1);
    assert.ok(got.signatureOk, 'x-zm-signature verifies over the raw body');
    assert.equal(got.raw, JSON.stringify(JSON.parse(got.raw)), 'compact JSON: a re-serialiser agrees');
    assert.deepEqual(Object.keys(got.json), ['event', 'event_ts', 'payload']);
    assert.equal(got.json.event_ts, recorded.eventTs);
    assert.deepEqual(got.json.payload, {
      account_id: z.demo.account_id,
      operator: z.demo.email,
      operator_id: z.demo.user_id,
      object: { id: 'u-1', first_name: 'Zoë', last_name: 'Ünïcode', email: 'zoe@demo.zemu.test', type: 1 },
    });
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['user-agent'], 'Zoom Marketplace/1.0a');
    assert.ok(got.headers['x-zm-trackingid']);
    assert.ok(Math.abs(Number(got.headers['x-zm-request-timestamp']) - Date.now() / 1000) < 5);

    const list = await deliveries(`client_id=${app.client_id}`);
    assert.equal(list.total_records, 1);
    const [delivery] = list.deliveries;
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.event, 'user.created');
    assert.equal(delivery.event_id, recorded.id);
    assert.equal(delivery.attempt_count, 1);
    const detail = await z.control('GET', `/webhooks/deliveries/${delivery.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.attempts.length, 1);
    assert.equal(detail.body.attempts[0].status_code, 200);
    assert.equal(detail.body.attempts[0].ok, true);
    assert.equal(detail.body.attempts[0].tracking_id, got.headers['x-zm-trackingid']);
    assert.equal(detail.body.attempts[0].request_timestamp, Number(got.headers['x-zm-request-timestamp']));

    await deliver();
    assert.equal(r.events().length, 1, 'delivered once');
  });

  test('fan-out: only subscriptions listing the event, of apps of the event account (or holding a grant there)', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['user.deleted']);
    const other = await z.control('POST', '/accounts', { owner: { email: 'other-owner@other.test' } });
    assert.equal(other.status, 201);
    await record('user.created', { id: 'not-subscribed' });
    await record('user.deleted', { id: 'other-account' }, other.body.id);
    await record('user.deleted', { id: 'mine' });
    await deliver();
    assert.deepEqual(
      r.events().map((e) => e.json.payload.object.id),
      ['mine'],
    );
  });

  test('a receiver that fails sees retries 5, 20 and 60 minutes after the previous attempt on the emulated clock', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['user.updated']);
    // 1st: 500; 2nd: no answer in 3 s; 3rd: connection refused; 4th: 204.
    r.answerEvents = [500, 'hang', 200];
    const t0 = z.zemu.built.ctx.clock.now();
    await record('user.updated', { id: 'u-retry' });
    await deliver();
    assert.equal(r.events().length, 1);
    const [d] = (await deliveries(`client_id=${app.client_id}`)).deliveries;
    assert.equal(d.status, 'pending');
    assert.equal(d.attempt_count, 1);
    assert.equal(Date.parse(d.next_attempt_at) - t0 >= 5 * MIN * 1000, true);

    await advance(4 * MIN);
    await deliver();
    assert.equal(r.events().length, 1, 'not before 5 minutes');
    await advance(1 * MIN + 1);
    await deliver();
    assert.equal(r.events().length, 2, 'the first retry after 5 minutes');

    await advance(19 * MIN);
    await deliver();
    assert.equal(r.events().length, 2, 'not before 20 more minutes');
    await r.shut();
    await advance(1 * MIN + 1);
    await deliver();

    await advance(59 * MIN);
    await deliver();
    await r.reopen();
    r.answerEvents = 204;
    await deliver();
    assert.equal(r.events().length, 2, 'not before 60 more minutes');
    await advance(1 * MIN + 1);
    await deliver();
    assert.equal(r.events().length, 3, 'the third retry');
    assert.ok(
      r.events().every((e) => e.signatureOk),
      'every attempt is signed afresh',
    );
    assert.ok(new Set(r.events().map((e) => e.raw)).size === 1, 'the same body on every attempt');

    const detail = (await z.control('GET', `/webhooks/deliveries/${d.id}`)).body;
    assert.equal(detail.status, 'delivered');
    assert.equal(detail.attempt_count, 4);
    const attempts = detail.attempts;
    assert.deepEqual(
      attempts.map((a: { status_code: number | null }) => a.status_code),
      [500, null, null, 204],
    );
    assert.match(attempts[1].error, /no answer within 3 s/);
    assert.ok(attempts[1].duration_ms >= 2900);
    assert.match(attempts[2].error, /connection refused/);
    assert.equal(attempts[0].response_snippet, '{"ok":true}');
    const gaps = attempts
      .slice(1)
      .map((a: { at: string }, i: number) => Date.parse(a.at) - Date.parse(attempts[i].at));
    assert.ok(gaps[0] >= 5 * MIN * 1000 && gaps[0] < 6 * MIN * 1000, `gap 1 ${gaps[0]}`);
    assert.ok(gaps[1] >= 20 * MIN * 1000 && gaps[1] < 21 * MIN * 1000, `gap 2 ${gaps[1]}`);
    assert.ok(gaps[2] >= 60 * MIN * 1000 && gaps[2] < 62 * MIN * 1000, `gap 3 ${gaps[2]}`);
  });

  test('after the fourth failed attempt the delivery is given up', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['user.deactivated']);
    r.answerEvents = 503;
    await record('user.deactivated', { id: 'u-gone' });
    await deliver();
    for (const minutes of [5, 20, 60]) {
      await advance(minutes * MIN + 1);
      await deliver();
    }
    assert.equal(r.events().length, 4);
    const failed = await deliveries(`client_id=${app.client_id}&status=failed`);
    assert.equal(failed.total_records, 1);
    assert.equal(failed.deliveries[0].next_attempt_at, null);
    assert.match(failed.deliveries[0].last_error, /HTTP 503/);
    await advance(10 * HOUR);
    await deliver();
    assert.equal(r.events().length, 4, 'no fifth attempt');
  });

  test('re-validation every 72 hours; a failed one stops deliveries until the endpoint validates again', async () => {
    const app = await newApp();
    const r = await receiver();
    const sub = await subscribe(app.client_id, r, ['user.activated']);
    await advance(71 * HOUR);
    await deliver();
    assert.equal(r.validations().length, 1, 'not before 72 hours');
    await advance(1 * HOUR + 1);
    await deliver();
    assert.equal(r.validations().length, 2, 're-validated after 72 hours');
    assert.ok(r.validations()[1]?.signatureOk);
    let listed = (await z.control('GET', `/apps/${app.client_id}/webhooks`)).body.subscriptions[0];
    assert.equal(listed.validated, true);
    assert.equal(Date.parse(listed.next_validation_at), Date.parse(listed.validated_at) + 72 * HOUR * 1000);

    r.answerValidation = 500;
    await advance(72 * HOUR + 1);
    await deliver();
    listed = (await z.control('GET', `/apps/${app.client_id}/webhooks`)).body.subscriptions[0];
    assert.equal(listed.validated, false);
    assert.match(listed.last_validation_error, /HTTP 500/);

    await record('user.activated', { id: 'while-unvalidated' });
    await deliver();
    assert.equal(r.events().length, 0, 'nothing is sent to an unvalidated endpoint');
    const skipped = await deliveries(`client_id=${app.client_id}&status=skipped`);
    assert.equal(skipped.total_records, 1);
    assert.match(skipped.deliveries[0].last_error, /not validated/);

    const stillBad = await z.control('POST', `/apps/${app.client_id}/webhooks/${sub.id}/validate`);
    assert.equal(stillBad.status, 400);
    assert.match(stillBad.body.errors[0].message, /HTTP 500/);
    r.answerValidation = 'ok';
    const ok = await z.control('POST', `/apps/${app.client_id}/webhooks/${sub.id}/validate`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.validated, true);
    await record('user.activated', { id: 'after' });
    await deliver();
    assert.deepEqual(
      r.events().map((e) => e.json.payload.object.id),
      ['after'],
    );
  });

  test('a retry waiting while its subscription is unvalidated goes out once it validates again', async () => {
    const app = await newApp();
    const r = await receiver();
    const sub = await subscribe(app.client_id, r, ['meeting.updated']);
    r.answerEvents = [500, 200];
    await record('meeting.updated', { id: 'held' });
    await deliver();
    assert.equal(r.events().length, 1);
    // The re-validation falls due (72 h) with the retry: it fails, so the retry is held.
    r.answerValidation = { status: 503, body: '' };
    await advance(72 * HOUR + 1);
    await deliver();
    assert.equal(r.events().length, 1, 'no retry to an unvalidated endpoint');
    const [held] = (await deliveries(`client_id=${app.client_id}`)).deliveries;
    assert.equal(held.status, 'pending');
    assert.equal(held.attempt_count, 1);
    r.answerValidation = 'ok';
    assert.equal((await z.control('POST', `/apps/${app.client_id}/webhooks/${sub.id}/validate`)).status, 200);
    await deliver();
    assert.equal(r.events().length, 2);
    const detail = (await z.control('GET', `/webhooks/deliveries/${held.id}`)).body;
    assert.equal(detail.status, 'delivered');
    assert.equal(detail.attempt_count, 2);
  });

  test('a redirect is a failed attempt; a disabled app gets skipped records', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['user.deleted']);
    r.answerEvents = { status: 302, body: '' };
    await record('user.deleted', { id: 'redirected' });
    await deliver();
    const [redirected] = (await deliveries(`client_id=${app.client_id}`)).deliveries;
    assert.equal(redirected.status, 'pending');
    assert.match(redirected.last_error, /HTTP 302/);
    assert.equal((await z.control('PATCH', `/apps/${app.client_id}`, { enabled: false })).status, 200);
    await record('user.deleted', { id: 'disabled' });
    await deliver();
    const skipped = await deliveries(`client_id=${app.client_id}&status=skipped`);
    assert.equal(skipped.total_records, 1);
    assert.match(skipped.deliveries[0].last_error, /the app is disabled/);
    assert.equal(r.events().length, 1);
  });

  /** Runs `work` with automatic delivery paused, so that only POST /_zemu/webhooks/deliver delivers. */
  async function whilePaused(work: () => Promise<void>) {
    assert.equal((await z.control('PATCH', '/webhooks/dispatcher', { paused: true })).status, 200);
    try {
      await work();
    } finally {
      await z.control('PATCH', '/webhooks/dispatcher', { paused: false });
    }
  }

  /** An account of its own with an S2S app: its events reach only the subscriptions a test adds. */
  async function isolatedApp() {
    const account = await z.control('POST', '/accounts', {
      owner: { email: `hooks-${randomBytes(3).toString('hex')}@isolated.test` },
    });
    assert.equal(account.status, 201, account.text);
    return { accountId: account.body.id as string, app: await newApp(account.body.id) };
  }

  // docs/compatibility.md, "When subscription membership is decided".
  test('membership is decided at fan-out: a subscription added after the event, before its fan-out, receives it; a disabled app gets a skipped record', async () => {
    await whilePaused(async () => {
      const { accountId, app } = await isolatedApp();
      const disabled = await newApp(accountId);
      const r = await receiver();
      const off = await receiver();
      await subscribe(disabled.client_id, off, ['user.activated']);
      const recorded = await record('user.activated', { id: 'late-subscriber' }, accountId);
      assert.ok(
        (await z.control('GET', '/webhooks/dispatcher')).body.queued_events >= 1,
        'not fanned out yet',
      );
      // After the event was recorded: a new subscription, and the other app disabled.
      await subscribe(app.client_id, r, ['user.activated']);
      assert.equal((await z.control('PATCH', `/apps/${disabled.client_id}`, { enabled: false })).status, 200);
      await deliver();
      assert.deepEqual(
        r.events('user.activated').map((e) => e.json.payload.object.id),
        ['late-subscriber'],
      );
      const [delivered] = (await deliveries(`client_id=${app.client_id}`)).deliveries;
      assert.equal(delivered.event_id, recorded.id);
      assert.equal(delivered.status, 'delivered');
      const skipped = (await deliveries(`client_id=${disabled.client_id}`)).deliveries;
      assert.deepEqual(
        skipped.map((d: { status: string; event_id: string }) => [d.status, d.event_id]),
        [['skipped', recorded.id]],
      );
      assert.match(skipped[0].last_error, /the app is disabled/);
      assert.equal(off.events().length, 0);
    });
  });

  // docs/compatibility.md, "Order and parallelism": up to 8 attempts at a time per process.
  test('up to 8 attempts run at a time: with 8 held by the receiver the other 4 wait, then all 12 arrive', async () => {
    await whilePaused(async () => {
      const { accountId, app } = await isolatedApp();
      const r = await receiver();
      await subscribe(app.client_id, r, ['meeting.deleted']);
      r.answerEvents = 'hold';
      for (let i = 0; i < 12; i++) await record('meeting.deleted', { id: i }, accountId);
      const delivering = deliver();
      await Promise.race([
        r.whenHeld(8),
        delivering.then(() => assert.fail(`the pass ended with ${r.maxHeld} attempts held at most`)),
      ]);
      // A round trip through Zemu: workers that could start an attempt have had their turn.
      await z.control('GET', '/webhooks/dispatcher');
      const claimed = await z.zemu.built.ctx.store.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('client_id', '=', app.client_id)
        .where('claimed_by', 'is not', null)
        .execute();
      assert.equal(claimed.length, 8, 'eight deliveries claimed, the other four not started');
      assert.equal(r.held(), 8);
      r.answerEvents = 200;
      r.release();
      const summary = await delivering;
      r.release();
      assert.equal(summary.delivered, 12, JSON.stringify(summary));
      assert.equal(r.maxHeld, 8);
      assert.deepEqual(
        r
          .events('meeting.deleted')
          .map((e) => e.json.payload.object.id)
          .sort((a: number, b: number) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      );
    });
  });

  test('deleting a subscription cancels its pending deliveries and stops new ones', async () => {
    const app = await newApp();
    const r = await receiver();
    const sub = await subscribe(app.client_id, r, ['user.disassociated']);
    r.answerEvents = 500;
    await record('user.disassociated', { id: 'u-1' });
    await deliver();
    const del = await z.control('DELETE', `/apps/${app.client_id}/webhooks/${sub.id}`);
    assert.equal(del.status, 204);
    assert.equal((await z.control('DELETE', `/apps/${app.client_id}/webhooks/${sub.id}`)).status, 404);
    const [d] = (await deliveries(`client_id=${app.client_id}`)).deliveries;
    assert.equal(d.status, 'cancelled');
    await record('user.disassociated', { id: 'u-2' });
    await advance(10 * MIN);
    await deliver();
    assert.equal(r.events().length, 1);
    assert.equal((await deliveries(`client_id=${app.client_id}`)).total_records, 1);
  });

  test('the delivery log filters by event, status and client_id, newest first, and checks its query', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['meeting.created', 'meeting.deleted']);
    await record('meeting.created', { id: 1 });
    await record('meeting.deleted', { id: 1 });
    await record('meeting.created', { id: 2 });
    await deliver();
    const all = await deliveries(`client_id=${app.client_id}`);
    assert.equal(all.total_records, 3);
    const created = await deliveries(`client_id=${app.client_id}&event=meeting.created&limit=1`);
    assert.equal(created.total_records, 2);
    assert.equal(created.deliveries.length, 1);
    const delivered = await deliveries(`client_id=${app.client_id}&status=delivered`);
    assert.equal(delivered.total_records, 3);
    assert.equal((await deliveries(`client_id=${app.client_id}&status=pending`)).total_records, 0);
    const bad = await z.control('GET', '/webhooks/deliveries?status=lost&limit=0');
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.body.errors.map((e: { field: string }) => e.field),
      ['status', 'limit'],
    );
    const twice = await z.control('GET', '/webhooks/deliveries?client_id=a&client_id=b&event=x&event=y');
    assert.equal(twice.status, 400);
    assert.deepEqual(
      twice.body.errors.map((e: { field: string }) => e.field),
      ['event', 'client_id'],
    );
    assert.equal((await z.control('GET', '/webhooks/deliveries/nope')).status, 404);
  });

  test('the dispatcher delivers on its own (no deliver call), and can be paused', async () => {
    const app = await newApp();
    const r = await receiver();
    await subscribe(app.client_id, r, ['user.invitation_accepted']);
    await record('user.invitation_accepted', { id: 'auto' });
    for (let i = 0; i < 100 && r.events().length === 0; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(r.events().length, 1, 'delivered without POST /_zemu/webhooks/deliver');

    const paused = await z.control('PATCH', '/webhooks/dispatcher', { paused: true });
    assert.equal(paused.status, 200);
    assert.equal(paused.body.paused, true);
    await record('user.invitation_accepted', { id: 'held' });
    await new Promise((res) => setTimeout(res, 1500));
    assert.equal(r.events().length, 1, 'paused: nothing automatic');
    assert.equal((await z.control('GET', '/webhooks/dispatcher')).body.queued_events, 1);
    await deliver();
    assert.equal(r.events().length, 2, 'deliver still works while paused');
    assert.equal((await z.control('PATCH', '/webhooks/dispatcher', { paused: false })).body.paused, false);
    assert.equal((await z.control('PATCH', '/webhooks/dispatcher', { paused: 'no' })).status, 400);
  });

  test('app_deauthorized: /oauth/revoke of a user-authorized grant notifies that app only, once', async () => {
    const oauthApp = await newApp(z.demo.account_id, 'oauth_user');
    const bystander = await newApp();
    const r = await receiver();
    const other = await receiver();
    await subscribe(oauthApp.client_id, r, ['app_deauthorized']);
    await subscribe(bystander.client_id, other, ['app_deauthorized']);
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'deauth@demo.zemu.test',
    });
    const accessToken = await userToken(z, { email: user.body.email, pkce: true, app: oauthApp });
    const form = {
      authorization: basic(oauthApp.client_id, oauthApp.client_secret),
      'content-type': 'application/x-www-form-urlencoded',
    };
    const revoke = () =>
      z.request('POST', '/oauth/revoke', {
        headers: form,
        body: new URLSearchParams({ token: accessToken }).toString(),
      });
    const before = z.zemu.built.ctx.clock.now();
    assert.equal((await revoke()).status, 200);
    const outbox = await recordedEvents(z, 'app_deauthorized');
    assert.equal(outbox.length, 1, 'recorded in the revoke');
    await deliver();
    const [got] = r.events('app_deauthorized');
    assert.ok(got?.signatureOk);
    assert.deepEqual(Object.keys(got.json.payload), [
      'account_id',
      'user_id',
      'signature',
      'deauthorization_time',
      'client_id',
    ]);
    assert.equal(got.json.payload.account_id, z.demo.account_id);
    assert.equal(got.json.payload.user_id, user.body.id);
    assert.equal(got.json.payload.client_id, oauthApp.client_id);
    assert.match(got.json.payload.signature, /^[0-9a-f]{64}$/);
    assert.ok(Date.parse(got.json.payload.deauthorization_time) >= before);
    assert.equal(other.events().length, 0, 'other apps are not told');

    assert.equal((await revoke()).status, 200);
    assert.equal((await recordedEvents(z, 'app_deauthorized')).length, 1, 'revoking again sends nothing');

    // An S2S token's revocation is not a deauthorization.
    const s2s = await z.s2sToken();
    await z.request('POST', '/oauth/revoke', {
      headers: {
        authorization: basic(z.demo.client_id, z.demo.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: s2s }).toString(),
    });
    assert.equal((await recordedEvents(z, 'app_deauthorized')).length, 1);
  });

  test('OAuth apps of another account receive the events of accounts where they hold a live grant', async () => {
    const vendor = await z.control('POST', '/accounts', { owner: { email: 'vendor@vendor.test' } });
    const oauthApp = await newApp(vendor.body.id, 'oauth_user');
    const r = await receiver();
    await subscribe(oauthApp.client_id, r, ['user.updated']);
    await record('user.updated', { id: 'before-grant' });
    await deliver();
    assert.equal(r.events().length, 0);
    await userToken(z, { email: z.demo.email, app: oauthApp });
    await record('user.updated', { id: 'with-grant' });
    await deliver();
    assert.deepEqual(
      r.events().map((e) => e.json.payload.object.id),
      ['with-grant'],
    );
  });

  test('every user.* and meeting.* event arrives signed, end to end through the API', async () => {
    const app = await newApp();
    const r = await receiver();
    const events = [
      'user.created',
      'user.invitation_accepted',
      'user.updated',
      'user.settings_updated',
      'user.deactivated',
      'user.activated',
      'user.disassociated',
      'user.deleted',
      'meeting.created',
      'meeting.updated',
      'meeting.deleted',
    ];
    await subscribe(app.client_id, r, events);
    const token = await z.s2sToken();
    const ok = async (method: string, path: string, status: number, body?: unknown) => {
      const res = await z.api(method, path, token, body);
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      return res.body;
    };
    const invited = await ok('POST', '/users', 201, {
      action: 'create',
      user_info: { email: 'e2e-invited@demo.zemu.test', type: 1 },
    });
    assert.equal((await z.control('POST', `/users/${invited.id}/accept-invitation`)).status, 200);
    const api = await ok('POST', '/users', 201, {
      action: 'autoCreate',
      user_info: { email: 'e2e-hooked@demo.zemu.test', type: 1, first_name: 'Hoo', password: 'Passw0rd1' },
    });
    await ok('PATCH', `/users/${api.id}`, 204, { first_name: 'Hooked' });
    await ok('PATCH', `/users/${api.id}/settings`, 204, { in_meeting: { chat: false } });
    await ok('PUT', `/users/${api.id}/status`, 204, { action: 'deactivate' });
    await ok('PUT', `/users/${api.id}/status`, 204, { action: 'activate' });
    const meeting = await ok('POST', `/users/${api.id}/meetings`, 201, { topic: 'Hooked' });
    await ok('PATCH', `/meetings/${meeting.id}`, 204, { topic: 'Hooked again' });
    await ok('DELETE', `/meetings/${meeting.id}`, 204);
    await ok('DELETE', `/users/${invited.id}`, 204);
    await ok('DELETE', `/users/${api.id}?action=delete`, 204);
    await deliver();

    for (const name of events) {
      const got = r.events(name);
      // Two users are created (an invitation and an autoCreate); every other change happens once.
      assert.equal(got.length, name === 'user.created' ? 2 : 1, `${name} arrived once per change`);
      const [hook] = got as [(typeof got)[number]];
      assert.ok(hook.signatureOk, `${name} is signed over the bytes sent`);
      assert.equal(hook.json.event, name);
      assert.equal(hook.json.payload.account_id, z.demo.account_id);
      // The one who made the change: the token's user, or the invitee accepting its invitation.
      const operator = name === 'user.invitation_accepted' ? invited.id : z.demo.user_id;
      assert.equal(hook.json.payload.operator_id, operator, `${name} operator`);
      assert.equal(typeof hook.json.event_ts, 'number');
    }
    const updated = r.events('user.updated')[0]!.json.payload;
    // The display name was the first and last name, so it follows the new first name.
    assert.deepEqual(updated.object, { id: api.id, first_name: 'Hooked', display_name: 'Hooked' });
    assert.equal(updated.old_object.first_name, 'Hoo');
    const settings = r.events('user.settings_updated')[0]!.json.payload;
    assert.deepEqual(settings.object, { id: api.id, settings: { in_meeting: { chat: false } } });
    assert.deepEqual(settings.old_object, { id: api.id, settings: { in_meeting: { chat: true } } });
    assert.deepEqual(
      r
        .events('user.created')
        .map((e) => e.json.payload.creation_type)
        .sort(),
      ['autoCreate', 'create'],
    );
    assert.equal(r.events('meeting.updated')[0]!.json.payload.object.topic, 'Hooked again');
    assert.equal(r.events('meeting.deleted')[0]!.json.payload.object.id, meeting.id);
    assert.equal(r.events('user.disassociated')[0]!.json.payload.object.id, invited.id);
    assert.equal(r.events('user.deleted')[0]!.json.payload.object.id, api.id);
  });

  test('seed file: an app with secret_token and webhooks; loading twice adds nothing', async () => {
    const r = await receiver('seeded-secret-token');
    const seed = {
      accounts: [
        {
          id: 'seedhooks',
          owner: { email: 'owner@seedhooks.test' },
          apps: [
            {
              name: 'seeded hooks',
              type: 'server_to_server' as const,
              client_id: 'seededHooksApp',
              secret_token: 'seeded-secret-token',
              webhooks: [{ endpoint_url: r.url, events: ['user.created'] }],
            },
          ],
        },
      ],
    };
    const ctx = z.zemu.built.ctx;
    await applySeed(seed, ctx.store, ctx.world, ctx.clock, ctx.faults);
    await applySeed(seed, ctx.store, ctx.world, ctx.clock, ctx.faults);
    const listed = await z.control('GET', '/apps/seededHooksApp/webhooks');
    assert.equal(listed.body.secret_token, 'seeded-secret-token');
    assert.equal(listed.body.subscriptions.length, 1);
    assert.equal(listed.body.subscriptions[0].validated, true);
    assert.equal(r.validations().length, 0, 'seeded subscriptions are taken as validated');
    await record('user.created', { id: 'seeded' }, 'seedhooks');
    await deliver();
    assert.equal(r.events().length, 1);
    assert.ok(r.events()[0]?.signatureOk, 'signed with the seeded secret');

    const app = {
      ...seed.accounts[0]?.apps[0],
      webhooks: [{ endpoint_url: 'mailto:x@y.z', events: ['nope'] }],
    };
    const bad = { accounts: [{ ...seed.accounts[0], apps: [app] }] } as typeof seed;
    await assert.rejects(
      applySeed(bad, ctx.store, ctx.world, ctx.clock, ctx.faults),
      /apps\[0\]\.webhooks\[0\]: endpoint_url: Must be an absolute http\(s\) URL/,
    );
  });
});
