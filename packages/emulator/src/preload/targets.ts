/**
 * Where the preload sends Zoom's hard-coded hosts: `zoom.us` (OAuth) and `api.zoom.us` (REST API),
 * read once from ZEMU_URL, ZEMU_OAUTH_URL and ZEMU_API_URL. Nothing here imports the emulator.
 */

export const DEFAULT_ZEMU_URL = 'http://127.0.0.1:9600';

/** The Zemu origin one Zoom host goes to. */
export interface Target {
  protocol: 'http:' | 'https:';
  /** Without IPv6 brackets, as `http.request` wants it. */
  hostname: string;
  port: number;
  /** e.g. http://127.0.0.1:9600 */
  origin: string;
}

export interface Targets {
  /** The target for a host, or undefined for every host that is not Zoom's. */
  lookup(host: string): Target | undefined;
  debug: boolean;
}

export class RegisterConfigError extends Error {}

function parseOrigin(name: string, value: string): Target {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RegisterConfigError(
      `zemu register: ${name} must be an http(s) origin such as ${DEFAULT_ZEMU_URL}, got "${value}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RegisterConfigError(
      `zemu register: ${name} must start with http:// or https://, got "${value}"`,
    );
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username || url.password) {
    throw new RegisterConfigError(
      `zemu register: ${name} must be an origin only (scheme, host, port; no path such as /v2), got "${value}"`,
    );
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    origin: url.origin,
  };
}

/** Lower case, without a trailing dot or IPv6 brackets: how a host is compared. */
export function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

export function readTargets(env: NodeJS.ProcessEnv = process.env): Targets {
  const base = env.ZEMU_URL || DEFAULT_ZEMU_URL;
  const oauth = parseOrigin(env.ZEMU_OAUTH_URL ? 'ZEMU_OAUTH_URL' : 'ZEMU_URL', env.ZEMU_OAUTH_URL || base);
  const api = parseOrigin(env.ZEMU_API_URL ? 'ZEMU_API_URL' : 'ZEMU_URL', env.ZEMU_API_URL || base);
  const hosts = new Map<string, Target>([
    ['zoom.us', oauth],
    ['api.zoom.us', api],
  ]);
  return {
    lookup: (host) => hosts.get(normalHost(host)),
    debug: env.ZEMU_REGISTER_DEBUG === '1',
  };
}

/** One stderr line per rewrite; the path without its query, which may carry a token. */
export function logRewrite(via: string, method: string, from: string, path: string, to: Target): void {
  const pathname = path.split('?')[0] ?? '';
  process.stderr.write(`zemu register: ${via} ${method} ${from}${pathname} -> ${to.origin}${pathname}\n`);
}
