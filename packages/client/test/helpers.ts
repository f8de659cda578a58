/** Test harness: a live in-process Zemu, and a tiny fake Zoom for behaviour Zemu does not have yet. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startZemu } from '@zemu/emulator';
// The emulator's test kit, by path: see its header for why it is not a published export.
import { TEST_ZEMU_OPTIONS } from '../../emulator/test/kit.js';
import { ZoomClient, type ZoomClientOptions } from '../src/index.js';

export { TEST_ZEMU_OPTIONS, userToken } from '../../emulator/test/kit.js';

export interface LiveZemu {
  url: string;
  demo: Awaited<ReturnType<typeof startZemu>>['demo'];
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Token requests the server recorded for an app: counted on the server, not in the client. */
  tokenCount(clientId?: string): Promise<number>;
  /** A client of the demo Server-to-Server app against this Zemu; `options` add to or replace its settings. */
  client(options?: Partial<ZoomClientOptions>): ZoomClient;
  /** Moves the emulated clock forward (tokens expire server-side while the client thinks them fresh). */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export async function liveZemu(): Promise<LiveZemu> {
  const z = await startZemu(TEST_ZEMU_OPTIONS);
  const control: LiveZemu['control'] = async (method, path, body) => {
    const res = await fetch(`${z.url}/_zemu${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url: z.url,
    demo: z.demo,
    control,
    async tokenCount(clientId = z.demo.client_id) {
      const res = await control('GET', `/apps/${clientId}/tokens`);
      if (res.status !== 200) throw new Error(`token list failed: ${res.status}`);
      return res.body.total_records as number;
    },
    client: (options = {}) =>
      new ZoomClient({
        baseUrl: z.url,
        auth: {
          type: 'server_to_server',
          accountId: z.demo.account_id,
          clientId: z.demo.client_id,
          clientSecret: z.demo.client_secret,
        },
        ...options,
      }),
    async advance(seconds) {
      const res = await control('POST', '/clock', { advance: seconds });
      if (res.status !== 200) throw new Error(`clock failed: ${res.status}`);
    },
    close: () => z.close(),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeZoom {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** A node:http server on 127.0.0.1 answering like Zoom's contract says; records every request. */
export async function fakeZoom(handler: FakeHandler): Promise<FakeZoom> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const recorded = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      try {
        await handler(recorded, res);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** A fake token endpoint answer for Server-to-Server. */
export function tokenBody(accessToken: string, extra: Record<string, unknown> = {}) {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 3600,
    scope: 'user:read:admin',
    ...extra,
  };
}

/** Sleep stand-in that records the delays the client asked for and returns at once. */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}
