/**
 * A webhook receiver for tests: node:http on 127.0.0.1, port 0. It verifies every request's signature
 * over the raw body (independently of Zemu's code), answers endpoint.url_validation, and answers
 * other events as the test tells it: a status, a hang past Zoom's 3 s, or not at all (closed port).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary payloads
  json: any;
  /** x-zm-signature matched HMAC-SHA256(secret, "v0:{ts}:{raw body}"). */
  signatureOk: boolean;
  at: number;
}

/** `'hold'`: no answer until `release()` (answered 200 then), to see how many attempts run at once. */
export type Answer =
  | number
  | 'hang'
  | 'hold'
  | 'bad-token'
  | 'wrong-plain-token'
  | { status: number; body: string };

export interface Receiver {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Events other than url_validation. */
  events(name?: string): ReceivedRequest[];
  validations(): ReceivedRequest[];
  secret: string;
  /** How to answer events (default 200); a list is used one answer per request, the last repeating. */
  answerEvents: Answer | Answer[];
  /** Real ms to wait before answering an event (lets concurrent deliverers overlap). */
  delayMs: number;
  /** How to answer url_validation: 'ok' (correct), or a wrong answer. */
  answerValidation: 'ok' | Answer;
  /** Event requests answered `'hold'` and not yet released. */
  held(): number;
  /** The most event requests held at one time. */
  maxHeld: number;
  /** Resolves once `count` event requests are held at the same time. */
  whenHeld(count: number): Promise<void>;
  /** Answers every held request with 200. */
  release(): void;
  /** Stops listening (connections are then refused); `reopen()` listens on the same port again. */
  shut(): Promise<void>;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export function expectedSignature(secret: string, ts: string, raw: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${raw}`).digest('hex')}`;
}

export async function startReceiver(secret: string): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let eventAnswers = 0;
  const sockets = new Set<import('node:net').Socket>();
  const hanging = new Set<NodeJS.Timeout>();
  const holding: (() => void)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hold = (answer: () => void) => {
    holding.push(answer);
    receiver.maxHeld = Math.max(receiver.maxHeld, holding.length);
    for (const w of waiters.filter((w) => holding.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    secret,
    answerEvents: 200,
    delayMs: 0,
    answerValidation: 'ok',
    events: (name) =>
      received.filter(
        (r) => r.json?.event !== 'endpoint.url_validation' && (!name || r.json?.event === name),
      ),
    validations: () => received.filter((r) => r.json?.event === 'endpoint.url_validation'),
    held: () => holding.length,
    maxHeld: 0,
    whenHeld: (count) =>
      holding.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    release: () => {
      for (const answer of holding.splice(0)) answer();
    },
    shut: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    reopen: async () => {
      await new Promise<void>((resolve) => server.listen(receiver.port, '127.0.0.1', resolve));
    },
    close: async () => {
      for (const t of hanging) clearTimeout(t);
      if (server.listening) await receiver.shut();
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-zm-request-timestamp'] ?? '');
      const sig = String(req.headers['x-zm-signature'] ?? '');
      const expected = expectedSignature(receiver.secret, ts, raw);
      const signatureOk =
        sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
      let json: unknown = null;
      try {
        json = JSON.parse(raw);
      } catch {
        json = null;
      }
      received.push({ headers: req.headers, raw, json, signatureOk, at: Date.now() });
      const event = (json as { event?: string } | null)?.event;
      let answer: Answer;
      if (event === 'endpoint.url_validation') {
        const plainToken = (json as { payload: { plainToken: string } }).payload.plainToken;
        const ok = {
          plainToken,
          encryptedToken: createHmac('sha256', receiver.secret).update(plainToken).digest('hex'),
        };
        if (receiver.answerValidation === 'ok') answer = { status: 200, body: JSON.stringify(ok) };
        else if (receiver.answerValidation === 'bad-token')
          answer = { status: 200, body: JSON.stringify({ plainToken, encryptedToken: 'f'.repeat(64) }) };
        else if (receiver.answerValidation === 'wrong-plain-token')
          answer = { status: 200, body: JSON.stringify({ ...ok, plainToken: 'other' }) };
        else answer = receiver.answerValidation;
      } else {
        const list = Array.isArray(receiver.answerEvents) ? receiver.answerEvents : [receiver.answerEvents];
        answer = list[Math.min(eventAnswers++, list.length - 1)] as Answer;
      }
      if (answer === 'hold') {
        const answer200 = () => {
          if (!res.destroyed) respond(200);
        };
        hold(answer200);
        // A sender that gave up (Zoom's 3 s) is no longer held.
        res.on('close', () => {
          const at = holding.indexOf(answer200);
          if (at >= 0) holding.splice(at, 1);
        });
        return;
      }
      if (answer === 'hang') {
        // Past Zoom's 3 s, then answer (too late).
        const t = setTimeout(() => {
          hanging.delete(t);
          if (!res.destroyed) res.writeHead(200).end();
        }, 4000);
        hanging.add(t);
        return;
      }
      if (receiver.delayMs > 0 && event !== 'endpoint.url_validation') {
        const t = setTimeout(() => {
          hanging.delete(t);
          respond(answer);
        }, receiver.delayMs);
        hanging.add(t);
        return;
      }
      respond(answer);
    });
    const respond = (answer: Answer) => {
      if (typeof answer === 'number') {
        res
          .writeHead(answer, { 'content-type': 'application/json' })
          .end(answer === 204 ? undefined : '{"ok":true}');
        return;
      }
      if (typeof answer === 'object') {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        return;
      }
      res.writeHead(200).end();
    };
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/zoom/webhook`;
  return receiver;
}
