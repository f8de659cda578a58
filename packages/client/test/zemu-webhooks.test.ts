/**
 * The client's webhook helpers against signatures Zemu itself produces: a receiver built on
 * `handleWebhook` answers Zemu's endpoint.url_validation (registration passes only through it) and
 * verifies the app_deauthorized Zemu sends when a user-authorized grant is revoked, including a retry
 * sent after the emulated clock has moved days ahead (the verifier's tolerance uses real time).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { handleWebhook, verifyWebhook, type WebhookEvent } from '@zemu/client';
import { type LiveZemu, liveZemu, userToken } from './helpers.js';

const REDIRECT = 'https://app.example.com/callback';

interface Handled {
  status: number;
  event?: WebhookEvent;
  error?: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A receiver as the client README shows it: raw body in, handleWebhook's answer out. */
async function clientReceiver(secretToken: () => string, failFirstEvents = 0) {
  const handled: Handled[] = [];
  let events = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const answer = handleWebhook({ secretToken: secretToken(), headers: req.headers, rawBody });
      handled.push({
        status: answer.status,
        headers: req.headers,
        raw: rawBody.toString('utf8'),
        ...(answer.status === 200 ? { event: answer.event } : { error: answer.error.reason }),
      });
      if (
        answer.status === 200 &&
        answer.event.event !== 'endpoint.url_validation' &&
        events++ < failFirstEvents
      ) {
        res.writeHead(500).end();
        return;
      }
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/zoom`;
  return { url, handled, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('@zemu/client webhook helpers against Zemu', () => {
  let z: LiveZemu;
  let app: { client_id: string; client_secret: string; redirect_uris: string[] };
  before(async () => {
    z = await liveZemu();
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'webhook receiver app',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: [REDIRECT],
    });
    assert.equal(created.status, 201);
    app = created.body;
  });
  after(() => z.close());

  const form = () => ({
    authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  });

  async function authorizeAndRevoke(email: string) {
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email });
    const access_token = await userToken(z, { email, app });
    const revoked = await fetch(`${z.url}/oauth/revoke`, {
      method: 'POST',
      headers: form(),
      body: new URLSearchParams({ token: access_token }),
    });
    assert.equal(revoked.status, 200);
    return user.body.id as string;
  }

  test("Zemu's URL validation passes through handleWebhook, and fails with a receiver holding another secret", async () => {
    const settings = await z.control('GET', `/apps/${app.client_id}/webhooks`);
    const secret = settings.body.secret_token as string;
    const wrong = await clientReceiver(() => 'not-the-apps-secret-token');
    try {
      const refused = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
        endpoint_url: wrong.url,
        events: ['app_deauthorized'],
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body.errors[0].message, /HTTP 401/);
      assert.equal(
        wrong.handled[0]?.error,
        'bad_signature',
        'the client saw a signature it could not verify',
      );
    } finally {
      await wrong.close();
    }
    const right = await clientReceiver(() => secret);
    try {
      const ok = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
        endpoint_url: right.url,
        events: ['app_deauthorized'],
      });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(right.handled[0]?.status, 200);
      assert.equal(right.handled[0]?.event?.event, 'endpoint.url_validation');
      await z.control('DELETE', `/apps/${app.client_id}/webhooks/${ok.body.id}`);
    } finally {
      await right.close();
    }
  });

  test('app_deauthorized from a revoke verifies; so does its retry after the emulated clock ran days ahead', async () => {
    const secret = (await z.control('GET', `/apps/${app.client_id}/webhooks`)).body.secret_token as string;
    const receiver = await clientReceiver(() => secret, 1);
    try {
      const sub = await z.control('POST', `/apps/${app.client_id}/webhooks`, {
        endpoint_url: receiver.url,
        events: ['app_deauthorized'],
      });
      assert.equal(sub.status, 201);
      await z.advance(3 * 24 * 3600);
      const userId = await authorizeAndRevoke('deauthorizer@demo.zemu.test');
      await z.control('POST', '/webhooks/deliver');
      await z.advance(5 * 60 + 1);
      await z.control('POST', '/webhooks/deliver');
      const events = receiver.handled.filter((h) => h.event?.event === 'app_deauthorized');
      assert.equal(events.length, 2, 'the first answer was 500: Zemu retried after 5 emulated minutes');
      for (const h of events) {
        assert.equal(h.status, 200, `verified with the default 300 s tolerance: ${h.error}`);
        const payload = h.event?.payload as Record<string, unknown>;
        assert.equal(payload.user_id, userId);
        assert.equal(payload.client_id, app.client_id);
        assert.equal(payload.account_id, z.demo.account_id);
        // The same through verifyWebhook directly, on the raw bytes Zemu sent.
        assert.equal(
          verifyWebhook({ secretToken: secret, headers: h.headers, rawBody: h.raw }).event,
          'app_deauthorized',
        );
      }
      const eventTs = events[0]?.event?.event_ts ?? 0;
      assert.ok(eventTs > Date.now() + 2 * 24 * 3600 * 1000, 'event_ts is emulated time (3 days ahead)');
      const deliveries = await z.control(
        'GET',
        `/webhooks/deliveries?client_id=${app.client_id}&event=app_deauthorized`,
      );
      assert.equal(deliveries.body.deliveries[0].status, 'delivered');
      assert.equal(deliveries.body.deliveries[0].attempt_count, 2);
    } finally {
      await receiver.close();
    }
  });
});
