/**
 * A webhook receiver that hangs, resets the connection or answers slowly never slows the API (issue 13
 * point 5). Deliveries run off the request path, at most 8 at a time, each cut at Zoom's 3 s, holding no
 * database connection while they wait. The proof uses no timing: the API calls of a burst complete
 * while deliveries are held open at the receivers (counted at the moment each call completes), and
 * far fewer held deliveries end during the burst than calls are answered.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { startTestZemu, type TestZemu } from './helpers.js';

type Mode = 'hang' | 'reset' | 'slow';

interface BadReceiver {
  url: string;
  /** Event requests whose connection is still open. */
  open: number;
  /** Event requests received. */
  received: number;
  /** Event requests whose connection has closed (timed out by Zemu, or reset). */
  ended: number;
  /** Resolves once `predicate` holds. */
  until(predicate: (r: BadReceiver) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Answers URL validation properly; events get `mode`: no answer, a reset, or a body that never ends. */
async function badReceiver(mode: Mode, secret: string): Promise<BadReceiver> {
  const sockets = new Set<Socket>();
  const drips = new Set<NodeJS.Timeout>();
  const waiters: { predicate: (r: BadReceiver) => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.predicate(receiver)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (json.event === 'endpoint.url_validation') {
        const plainToken = json.payload.plainToken as string;
        const encryptedToken = createHmac('sha256', secret).update(plainToken).digest('hex');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ plainToken, encryptedToken }));
        return;
      }
      receiver.received++;
      receiver.open++;
      res.on('close', () => {
        receiver.open--;
        receiver.ended++;
        check();
      });
      check();
      if (mode === 'reset') {
        req.socket.destroy();
      } else if (mode === 'slow') {
        // Headers at once, then a byte now and then: the answer never ends.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const drip = setInterval(() => res.write('.'), 250);
        drips.add(drip);
        res.on('close', () => {
          clearInterval(drip);
          drips.delete(drip);
        });
      }
      // 'hang': nothing at all.
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: BadReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    open: 0,
    received: 0,
    ended: 0,
    until(predicate) {
      if (predicate(receiver)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async close() {
      for (const drip of drips) clearInterval(drip);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return receiver;
}

async function subscribe(z: TestZemu, r: BadReceiver, secret: string): Promise<void> {
  const res = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
    endpoint_url: r.url,
    events: ['user.created'],
    secret_token: secret,
  });
  assert.equal(res.status, 201, res.text);
}

test('receivers that hang, reset or drip never slow the API: calls complete while deliveries are held open', {
  timeout: 120_000,
}, async () => {
  const z = await startTestZemu();
  const secret = 'bad-receivers-secret-token-0123';
  const receivers = {
    hang: await badReceiver('hang', secret),
    reset: await badReceiver('reset', secret),
    slow: await badReceiver('slow', secret),
  };
  try {
    await z.control('POST', '/clock', { frozen: true }); // no retry falls due: only first attempts
    for (const r of Object.values(receivers)) await subscribe(z, r, secret);
    const token = await z.s2sToken();
    // 24 users: 72 deliveries, 48 of which will be held open up to 3 s each, 8 at a time.
    for (let i = 0; i < 24; i++) {
      const res = await z.api('POST', '/users', token, {
        action: 'custCreate',
        user_info: { email: `bad-receiver-${i}@hooks.test`, type: 1 },
      });
      assert.equal(res.status, 201, res.text);
    }
    const held = () => receivers.hang.open + receivers.slow.open;
    await receivers.hang.until((r) => r.open >= 1);
    await receivers.slow.until((r) => r.open >= 1);

    // A burst of API calls of every kind: each is answered, and when it is, deliveries are still held.
    const heldAtAnswer: number[] = [];
    const endedBefore = receivers.hang.ended + receivers.slow.ended;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const calls = [
        z.api('GET', '/users/me', token),
        z.api('POST', '/users', token, {
          action: 'custCreate',
          user_info: { email: `during-${i}@hooks.test`, type: 1 },
        }),
        z.request('POST', `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`, {
          headers: {
            authorization: `Basic ${Buffer.from(`${z.demo.client_id}:${z.demo.client_secret}`).toString('base64')}`,
          },
        }),
      ];
      for (const call of calls) {
        const res = await call;
        statuses.push(res.status);
        heldAtAnswer.push(held());
      }
    }
    assert.ok(
      statuses.every((s) => s === 200 || s === 201),
      `every call answered: ${[...new Set(statuses)]}`,
    );
    // Attempts are cut at 3 s in batches of 8, so between two batches a moment may hold none; most
    // answers still come while deliveries are held open.
    const whileHeld = heldAtAnswer.filter((n) => n > 0).length;
    assert.ok(
      whileHeld * 2 > heldAtAnswer.length,
      `most answers came while deliveries were held open (held: ${heldAtAnswer.join(',')})`,
    );
    // Had the API waited for deliveries, held ones would have had to end (at 3 s) for calls to be
    // answered: far fewer ended than calls were answered.
    const ended = receivers.hang.ended + receivers.slow.ended - endedBefore;
    assert.ok(ended * 2 < statuses.length, `${ended} held deliveries ended during ${statuses.length} calls`);
    assert.ok(receivers.reset.received > 0, 'the resetting receiver was tried too');

    // The control API is not held either: a reset aborts the held attempts instead of waiting for them.
    const heldAtReset = held();
    const reset = await z.control('POST', '/reset');
    assert.equal(reset.status, 204, reset.text);
    assert.ok(heldAtReset > 0);
    await receivers.hang.until((r) => r.open === 0);
    await receivers.slow.until((r) => r.open === 0);
  } finally {
    for (const r of Object.values(receivers)) await r.close();
    await z.close();
  }
});
