/**
 * `zemu listen --forward-to URL`: receive an app's webhooks on localhost, the way `stripe listen` does.
 * A local endpoint on 127.0.0.1 is subscribed through the control API; it answers Zoom's URL
 * validation itself and forwards every other event to the target unchanged (the same body bytes, the
 * same x-zm-signature and x-zm-request-timestamp), answering Zemu with the target's status so that
 * Zemu's retries apply. Ctrl-C removes the subscription.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { ZOOM_EVENTS } from '../webhooks/emit.js';
import { type ControlTarget, control } from './control-client.js';
import { demoOf } from './control-commands.js';
import { EXIT } from './exit-codes.js';
import { action, list, type Terminal, UsageError } from './terminal.js';

/** Headers passed on to the target as Zemu sent them. */
const FORWARDED = [
  'content-type',
  'user-agent',
  'x-zm-signature',
  'x-zm-request-timestamp',
  'x-zm-trackingid',
];
/** Largest event body accepted from Zemu. */
const MAX_BODY = 4 * 1024 * 1024;

/** `user.*,meeting.created` -> the supported events those patterns name; unknown names are an error. */
export function expandEvents(patterns: string[], supported: readonly string[]): string[] {
  if (patterns.length === 0) return [...supported];
  const out = new Set<string>();
  const unknown: string[] = [];
  for (const pattern of patterns) {
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const matched = supported.filter((e) => re.test(e));
    if (matched.length === 0) unknown.push(pattern);
    for (const e of matched) out.add(e);
  }
  if (unknown.length > 0)
    throw new UsageError(
      `no event Zemu sends matches ${unknown.map((u) => `"${u}"`).join(', ')}`,
      `Zemu sends: ${supported.join(', ')}. Patterns may end with *, e.g. 'user.*'.`,
    );
  return [...out];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Forwarded {
  event: string;
  status: number | null;
  error?: string;
  ms: number;
}

function time(): string {
  return new Date().toISOString().slice(11, 19);
}

export function registerListen(program: Command): void {
  program
    .command('listen')
    .description("receive an app's webhooks from the Zemu at ZEMU_URL and forward them to a local URL")
    .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:3000/zoom/webhook')
    .option('--events <patterns>', 'events to subscribe, comma separated, * allowed (default: every event)')
    .option('--app <clientId>', 'the app to subscribe (default: the demo app)')
    .option('--json', 'one JSON object a line per event')
    .action(
      action(async ({ term, target, opts }) => {
        const forwardTo = String(opts.forwardTo);
        if (!URL.canParse(forwardTo) || !/^https?:$/.test(new URL(forwardTo).protocol))
          throw new UsageError(`--forward-to is not an http(s) URL: "${forwardTo}"`);
        const clientId = (opts.app as string | undefined) ?? (await demoOf(target, '--app')).client_id;
        const hooks = await control<{ secret_token: string; supported_events: string[] }>(
          target,
          'GET',
          `/apps/${encodeURIComponent(clientId)}/webhooks`,
        );
        const events = expandEvents(list(opts.events), hooks.supported_events ?? ZOOM_EVENTS);
        return listen(term, target, {
          clientId,
          forwardTo,
          events,
          secret: hooks.secret_token,
          json: Boolean(opts.json),
        });
      }),
    );
}

async function listen(
  term: Terminal,
  target: ControlTarget,
  o: { clientId: string; forwardTo: string; events: string[]; secret: string; json: boolean },
): Promise<number> {
  const p = term.paint;
  let forwarded = 0;
  let failed = 0;
  const status = () =>
    term.live(
      `listening for ${o.clientId} · ${forwarded} forwarded${failed ? `, ${failed} failed` : ''} · Ctrl-C to stop`,
    );

  const forward = async (body: Buffer, headers: IncomingMessage['headers']): Promise<Forwarded> => {
    let event = 'unknown';
    try {
      event = String((JSON.parse(body.toString('utf8')) as { event?: unknown }).event ?? 'unknown');
    } catch {
      // Forwarded as it came: the target decides.
    }
    const sent: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = headers[name];
      if (typeof value === 'string') sent[name] = value;
    }
    const started = performance.now();
    try {
      const res = await fetch(o.forwardTo, {
        method: 'POST',
        headers: sent,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      return { event, status: res.status, ms: Math.round(performance.now() - started) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return { event, status: null, error: cause, ms: Math.round(performance.now() - started) };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(413).end();
      return;
    }
    let parsed: { event?: unknown; payload?: { plainToken?: unknown } } = {};
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = {};
    }
    if (parsed.event === 'endpoint.url_validation' && typeof parsed.payload?.plainToken === 'string') {
      const plainToken = parsed.payload.plainToken;
      const encryptedToken = createHmac('sha256', o.secret).update(plainToken).digest('hex');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ plainToken, encryptedToken }));
      if (!o.json) term.note(p.dim(`${time()}  endpoint.url_validation answered`));
      return;
    }
    const result = await forward(body, req.headers);
    if (result.status !== null && result.status >= 200 && result.status < 300) forwarded++;
    else failed++;
    // Zemu sees what the target answered, so a failing receiver gets Zoom's retries.
    res.writeHead(result.status ?? 502).end();
    if (o.json) term.json({ at: new Date().toISOString(), ...result, forward_to: o.forwardTo });
    else
      term.line(
        `${p.dim(time())}  ${p.bold(result.event)}  -> ${o.forwardTo}  ${p.status(result.status, result.status === null ? `failed: ${result.error}` : String(result.status))}  ${p.dim(`${result.ms} ms`)}`,
      );
    status();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let subscriptionId: string;
  try {
    const sub = await control<{ id: string }>(
      target,
      'POST',
      `/apps/${encodeURIComponent(o.clientId)}/webhooks`,
      {
        endpoint_url: endpoint,
        events: o.events,
      },
    );
    subscriptionId = sub.id;
  } catch (error) {
    server.close();
    throw error;
  }
  if (o.json) {
    term.json({
      listening: endpoint,
      client_id: o.clientId,
      subscription_id: subscriptionId,
      secret_token: o.secret,
      events: o.events,
      forward_to: o.forwardTo,
    });
  } else {
    term.line(`Secret Token: ${p.bold(o.secret)}`);
    term.note(`Forwarding ${o.events.join(', ')}`);
    term.note(`  for app ${o.clientId} (subscription ${subscriptionId}, endpoint ${endpoint})`);
    term.note(`  to ${o.forwardTo}. Verify signatures with the Secret Token above. Ctrl-C to stop.`);
  }
  status();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      term.live('');
      let code: number = EXIT.ok;
      try {
        await control(target, 'DELETE', `/apps/${encodeURIComponent(o.clientId)}/webhooks/${subscriptionId}`);
        if (!o.json) term.note(`Removed subscription ${subscriptionId}.`);
      } catch (error) {
        term.note(`zemu: could not remove subscription ${subscriptionId}: ${(error as Error).message}`);
        code = EXIT.failure;
      }
      server.closeAllConnections();
      server.close(() => resolve(code));
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });
}
