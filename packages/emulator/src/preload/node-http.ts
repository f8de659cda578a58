/**
 * `http.request`/`http.get` and `https.request`/`https.get` with Zoom's hosts sent to Zemu. A request
 * for any other host is passed on with the caller's own arguments, untouched. For a Zoom host only
 * the scheme, host and port change: the path, query, method, headers and body stay the caller's, and
 * the Host header is the one the caller's request would have carried.
 */
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { logRewrite, type Target, type Targets } from './targets.js';

type RequestFn = typeof http.request;
type Callback = (res: http.IncomingMessage) => void;

const originals = {
  'http:': { request: http.request, Agent: http.Agent },
  'https:': { request: https.request, Agent: https.Agent },
} as const;

/** An agent of the other protocol for each agent a caller passed, made once and kept with it. */
const converted = new WeakMap<http.Agent, http.Agent>();

function agentFor(agent: unknown, target: Target): unknown {
  if (agent === undefined || agent === false || agent === null) return agent;
  if (typeof agent !== 'object') return agent;
  const a = agent as http.Agent & { protocol?: string; keepAliveMsecs?: number; options?: http.AgentOptions };
  if (a.protocol === undefined || a.protocol === target.protocol) return agent;
  let other = converted.get(a);
  if (!other) {
    // The caller's pooling choices carry over; idle keep-alive sockets are unref'd by Node's agent.
    other = new originals[target.protocol].Agent({
      keepAlive: a.options?.keepAlive ?? false,
      keepAliveMsecs: a.keepAliveMsecs,
      maxSockets: a.maxSockets,
      maxFreeSockets: a.maxFreeSockets,
      ...(a.options?.timeout === undefined ? {} : { timeout: a.options.timeout }),
    });
    converted.set(a, other);
  }
  return other;
}

function hasHeader(headers: unknown, name: string): boolean {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === name) return true;
    }
    return false;
  }
  return Object.keys((headers ?? {}) as object).some((k) => k.toLowerCase() === name);
}

/** The arguments of `request(url?, options?, callback?)` as one options object, as Node merges them. */
function merge(args: unknown[]): { options: https.RequestOptions; callback: Callback | undefined } {
  const [first, second, third] = args;
  if (typeof first === 'string' || first instanceof URL) {
    const fromUrl = urlToHttpOptions(typeof first === 'string' ? new URL(first) : first);
    if (typeof second === 'function') return { options: fromUrl, callback: second as Callback };
    return { options: { ...fromUrl, ...(second as object) }, callback: third as Callback | undefined };
  }
  return { options: { ...(first as object) }, callback: second as Callback | undefined };
}

function patched(own: 'http:' | 'https:', targets: Targets): RequestFn {
  const original = originals[own].request;
  return function request(this: unknown, ...args: unknown[]) {
    const { options, callback } = merge(args);
    const protocol = options.protocol ?? own;
    const host = (options.hostname ?? options.host ?? '').replace(/^\[(.*)\]$/, '$1');
    const target = targets.lookup(host);
    if (!target) return (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);

    const defaultPort = protocol === 'https:' ? 443 : 80;
    // As Node reads it: axios passes port '' for "the default".
    const port = Number(options.port) || defaultPort;
    const rewritten: https.RequestOptions = {
      ...options,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      agent: agentFor(options.agent, target) as http.Agent | boolean | undefined,
    };
    delete rewritten.host;
    delete (rewritten as { _defaultAgent?: unknown })._defaultAgent;
    if (options.setHost !== false && !hasHeader(options.headers, 'host')) {
      const hostHeader = port === defaultPort ? host : `${host}:${port}`;
      rewritten.headers = Array.isArray(options.headers)
        ? [...(options.headers as string[]), 'Host', hostHeader]
        : { ...(options.headers as http.OutgoingHttpHeaders | undefined), Host: hostHeader };
    }
    if (targets.debug) {
      logRewrite(
        `${own === 'https:' ? 'https' : 'http'}.request`,
        options.method ?? 'GET',
        `${protocol}//${host}${port === defaultPort ? '' : `:${port}`}`,
        options.path ?? '/',
        target,
      );
    }
    return originals[target.protocol].request(rewritten, callback);
  } as RequestFn;
}

export function patchNodeHttp(targets: Targets): void {
  for (const [mod, own] of [
    [http, 'http:'],
    [https, 'https:'],
  ] as const) {
    const request = patched(own, targets);
    // Node's own get() calls the module's inner request(), not the export: both are replaced.
    const get = function get(this: unknown, ...args: unknown[]) {
      const req = (request as (...a: unknown[]) => http.ClientRequest).apply(this, args);
      req.end();
      return req;
    } as typeof http.get;
    Object.assign(mod, { request, get });
  }
}
