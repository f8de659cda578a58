/**
 * `zemu token`, `zemu token inspect`, `zemu users get|token|list`: the CLI as a Zoom client, through
 * @zemu/client, against Zemu or Zoom alike. Credentials come from flags, then env (ZOOM_*), then a
 * profile in the user's config file; exit codes tell auth errors, not-found, rate limits and
 * network errors apart so that scripts can branch on them.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ZoomApiError,
  ZoomClient,
  ZoomConnectionError,
  ZoomError,
  ZoomInvalidTokenError,
  ZoomMissingScopeError,
  ZoomNotFoundError,
  ZoomOAuthError,
  ZoomPermissionError,
  ZoomRateLimitError,
  ZoomTimeoutError,
} from '@zemu/client';
import type { Command } from 'commander';

/** Exit codes of the client commands. */
export const EXIT = {
  ok: 0,
  /** Anything unexpected. */
  failure: 1,
  /** Bad usage or configuration: missing credentials, unknown profile, unreadable config file. */
  usage: 2,
  /** Authentication or authorization: OAuth errors, 124 invalid/expired token, 4711 missing scope, 403. */
  auth: 3,
  /** 404: the user (or other resource) does not exist. */
  notFound: 4,
  /** 429: rate limited. */
  rateLimited: 5,
  /** No HTTP answer: connection refused, DNS, timeout. */
  network: 6,
  /** Any other API error (400, 409, 5xx, ...). */
  api: 7,
} as const;

export interface ClientCommandsIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
  /** Test seam. */
  fetch?: typeof fetch;
}

interface ConnectionOptions {
  profile?: string;
  baseUrl?: string;
  oauthUrl?: string;
  apiUrl?: string;
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  json?: boolean;
}

interface Profile {
  base_url?: string;
  oauth_url?: string;
  api_url?: string;
  account_id?: string;
  client_id?: string;
  client_secret?: string;
}

interface ConfigFile {
  default_profile?: string;
  profiles?: Record<string, Profile>;
}

class UsageError extends Error {}

/** `$ZEMU_CONFIG`, else `$XDG_CONFIG_HOME/zemu/config.json` (`~/.config`, or `%APPDATA%` on Windows). */
export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.ZEMU_CONFIG) return env.ZEMU_CONFIG;
  const base =
    env.XDG_CONFIG_HOME ||
    (process.platform === 'win32' && env.APPDATA ? env.APPDATA : join(env.HOME || homedir(), '.config'));
  return join(base, 'zemu', 'config.json');
}

function readConfig(path: string): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as ConfigFile;
  } catch (error) {
    throw new UsageError(`the config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export interface ResolvedConnection {
  profile: string | undefined;
  oauthUrl: string | undefined;
  apiUrl: string | undefined;
  accountId: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** Flags win over env (ZOOM_*), env over the profile; the profile is --profile, $ZEMU_PROFILE or the file's default. */
export function resolveConnection(options: ConnectionOptions, env: NodeJS.ProcessEnv): ResolvedConnection {
  const path = configPath(env);
  const file = readConfig(path);
  const wanted = options.profile ?? env.ZEMU_PROFILE;
  const name = wanted ?? file?.default_profile ?? 'default';
  const profile = file?.profiles?.[name];
  if (wanted && !profile) {
    const known = Object.keys(file?.profiles ?? {});
    throw new UsageError(
      `no profile "${wanted}" in ${path}${known.length ? ` (profiles: ${known.join(', ')})` : ' (the file has no profiles)'}`,
    );
  }
  const base = options.baseUrl ?? profile?.base_url;
  const pick = (...values: Array<string | undefined>) => values.find((v) => v !== undefined && v !== '');
  return {
    profile: profile ? name : undefined,
    oauthUrl: pick(options.oauthUrl, options.baseUrl, env.ZOOM_OAUTH_URL, profile?.oauth_url, base),
    apiUrl: pick(
      options.apiUrl,
      options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/v2` : undefined,
      env.ZOOM_API_URL,
      profile?.api_url,
      base ? `${base.replace(/\/+$/, '')}/v2` : undefined,
    ),
    accountId: pick(options.accountId, env.ZOOM_ACCOUNT_ID, profile?.account_id),
    clientId: pick(options.clientId, env.ZOOM_CLIENT_ID, profile?.client_id),
    clientSecret: pick(options.clientSecret, env.ZOOM_CLIENT_SECRET, profile?.client_secret),
  };
}

function makeClient(connection: ResolvedConnection, io: ClientCommandsIO): ZoomClient {
  const missing = (
    [
      ['accountId', 'ZOOM_ACCOUNT_ID', '--account-id'],
      ['clientId', 'ZOOM_CLIENT_ID', '--client-id'],
      ['clientSecret', 'ZOOM_CLIENT_SECRET', '--client-secret'],
    ] as const
  ).filter(([field]) => !connection[field]);
  if (missing.length > 0) {
    throw new UsageError(
      `missing Server-to-Server credentials: ${missing.map(([, env, flag]) => `${env} (or ${flag})`).join(', ')}.\n` +
        `Set them in the environment, pass the flags, or add a profile to ${configPath(io.env)}, e.g.\n` +
        '  {"profiles": {"default": {"base_url": "http://127.0.0.1:9600", "account_id": "...", "client_id": "...", "client_secret": "..."}}}\n' +
        'Against Zemu, GET /_zemu/demo shows the demo credentials.',
    );
  }
  return new ZoomClient({
    ...(connection.oauthUrl ? { oauthUrl: connection.oauthUrl } : {}),
    ...(connection.apiUrl ? { apiUrl: connection.apiUrl } : {}),
    auth: {
      type: 'server_to_server',
      accountId: connection.accountId as string,
      clientId: connection.clientId as string,
      clientSecret: connection.clientSecret as string,
    },
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}

function withConnection(command: Command): Command {
  return command
    .option('--profile <name>', 'profile from the config file (env ZEMU_PROFILE)')
    .option('--base-url <url>', 'origin of a Zemu: sets both the OAuth and the API URL')
    .option('--oauth-url <url>', 'OAuth host (env ZOOM_OAUTH_URL, default https://zoom.us)')
    .option('--api-url <url>', 'API base with /v2 (env ZOOM_API_URL, default api_url of the token)')
    .option('--account-id <id>', 'env ZOOM_ACCOUNT_ID')
    .option('--client-id <id>', 'env ZOOM_CLIENT_ID')
    .option('--client-secret <secret>', 'env ZOOM_CLIENT_SECRET')
    .option('--json', 'print JSON only (for scripts)');
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

function statusLine(status: number): string {
  return `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
}

/** What went wrong, what to do, and which exit code says so. */
export function explain(
  error: unknown,
  connection?: ResolvedConnection,
): { code: number; message: string; hint?: string } {
  if (error instanceof UsageError) return { code: EXIT.usage, message: error.message };
  if (error instanceof ZoomOAuthError) {
    const hints: Record<string, string> = {
      invalid_client:
        'Check the client id and secret (ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET or the profile) against the app, and that the app is enabled.',
      unsupported_grant_type:
        'This app cannot use account_credentials: use the credentials of a Server-to-Server OAuth app.',
      invalid_grant: 'The grant is no longer valid: authorize the app again.',
      invalid_request: 'Check the account id (ZOOM_ACCOUNT_ID) and the OAuth URL.',
    };
    return {
      code: EXIT.auth,
      message: `the OAuth server refused the token request: ${error.status} ${error.error}: ${error.reason}`,
      hint: hints[error.error] ?? 'Check the app credentials and the OAuth URL.',
    };
  }
  if (error instanceof ZoomTimeoutError || error instanceof ZoomConnectionError) {
    return {
      code: EXIT.network,
      message: error.message,
      hint: `Is the server running? OAuth URL: ${connection?.oauthUrl ?? 'https://zoom.us'}, API URL: ${connection?.apiUrl ?? 'from the token'}. Set --base-url, ZOOM_OAUTH_URL or ZOOM_API_URL.`,
    };
  }
  if (error instanceof ZoomApiError) {
    const head = `${statusLine(error.status)}${error.code !== undefined ? ` (code ${error.code})` : ''}: ${error.message}`;
    const tracking = error.trackingId ? ` [tracking id ${error.trackingId}]` : '';
    if (error instanceof ZoomInvalidTokenError) {
      return {
        code: EXIT.auth,
        message: head + tracking,
        hint: 'The access token is invalid, expired or revoked (the client already tried one new token). Run `zemu token inspect <token>` to see why.',
      };
    }
    if (error instanceof ZoomMissingScopeError) {
      return {
        code: EXIT.auth,
        message: head + tracking,
        hint: `Add one of these scopes to the app, then get a new token: ${error.scopes.join(', ') || '(see message)'}.`,
      };
    }
    if (error instanceof ZoomPermissionError) {
      return {
        code: EXIT.auth,
        message: head + tracking,
        hint: 'The app or user may not access this resource.',
      };
    }
    if (error instanceof ZoomNotFoundError) {
      return {
        code: EXIT.notFound,
        message: head + tracking,
        hint: 'Check the id or email; `zemu users list` shows the users the app can see.',
      };
    }
    if (error instanceof ZoomRateLimitError) {
      const when =
        error.retryAfter !== undefined ? `retry after ${Math.ceil(error.retryAfter)} s` : 'retry later';
      return {
        code: EXIT.rateLimited,
        message: head + tracking,
        hint: `Rate limited${error.rateLimitType ? ` (${error.rateLimitType}${error.rateLimitCategory ? `, ${error.rateLimitCategory}` : ''})` : ''}: ${when}.`,
      };
    }
    return { code: EXIT.api, message: head + tracking };
  }
  if (error instanceof ZoomError) return { code: EXIT.failure, message: error.message };
  return { code: EXIT.failure, message: error instanceof Error ? error.message : String(error) };
}

function defaultIO(): ClientCommandsIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

export function registerClientCommands(program: Command, ioOverrides: Partial<ClientCommandsIO> = {}): void {
  const io: ClientCommandsIO = { ...defaultIO(), ...ioOverrides };
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

  /** Runs one command: resolves the connection, maps any error to a message, a hint and an exit code. */
  const run =
    <A extends unknown[]>(
      body: (
        connection: ResolvedConnection,
        options: ConnectionOptions,
        ...args: A
      ) => Promise<number | undefined>,
    ) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const options = command.optsWithGlobals() as ConnectionOptions;
      let connection: ResolvedConnection | undefined;
      try {
        connection = resolveConnection(options, io.env);
        const code = await body(connection, options, ...(args.slice(0, -2) as A));
        io.setExitCode(code ?? EXIT.ok);
      } catch (error) {
        const { code, message, hint } = explain(error, connection);
        if (options.json) {
          const api = error instanceof ZoomApiError ? error : undefined;
          print({
            error: {
              message,
              ...(hint ? { hint } : {}),
              exit_code: code,
              ...(api
                ? { status: api.status, code: api.code, body: api.body, tracking_id: api.trackingId }
                : {}),
            },
          });
        }
        io.stderr(`zemu: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
        io.setExitCode(code);
      }
    };

  /** Human output: status line and the body, like Zoom's curl samples; --json: the body alone. */
  const show = (options: ConnectionOptions, status: number, body: unknown) => {
    if (options.json) print(body ?? null);
    else
      io.stdout(`${statusLine(status)}\n${body === undefined ? '' : `${JSON.stringify(body, null, 2)}\n`}`);
  };

  const token = withConnection(program.command('token'))
    .description('print an access token of the Server-to-Server app (fetches one)')
    .action(
      run(async (connection, options) => {
        const zoom = makeClient(connection, io);
        const t = await zoom.auth.getToken();
        if (options.json) {
          print({
            access_token: t.accessToken,
            token_type: t.tokenType,
            expires_at: new Date(t.expiresAt).toISOString(),
            scope: t.scope.join(' '),
            api_url: t.apiUrl ?? null,
          });
        } else io.stdout(`${t.accessToken}\n`);
        return EXIT.ok;
      }),
    );

  withConnection(token.command('inspect'))
    .argument('<token>', 'the access token to explain')
    .description(
      'say whether a token works and why not (expired, revoked, missing scope): Zemu introspection, else its claims and a test call',
    )
    .action(
      run(async (connection, options, accessToken: string) => {
        const report = await inspectToken(accessToken, connection, io);
        if (options.json) print(report);
        else {
          io.stdout(
            `${report.active ? 'active' : 'NOT active'}${report.reason ? `: ${report.reason}` : ''}\n`,
          );
          for (const [key, value] of Object.entries(report)) {
            if (key === 'active' || key === 'reason' || value === undefined || value === null) continue;
            io.stdout(`  ${key}: ${Array.isArray(value) ? value.join(' ') : String(value)}\n`);
          }
        }
        return report.active ? EXIT.ok : EXIT.auth;
      }),
    );

  const users = program.command('users').description('call the Users API (GET /v2/users...)');

  withConnection(users.command('get'))
    .argument('<userId>', 'a user id, an email, or me')
    .description('GET /users/{userId}')
    .action(
      run(async (connection, options, userId: string) => {
        const res = await makeClient(connection, io).request('GET', `/users/${encodeURIComponent(userId)}`);
        show(options, res.status, res.data);
        return EXIT.ok;
      }),
    );

  withConnection(users.command('token'))
    .argument('<userId>', 'a user id, an email, or me')
    .option('--type <type>', 'token | zak (Zoom Access Key) | onbehalf', 'zak')
    .option('--ttl <seconds>', 'lifetime of a ZAK in seconds')
    .description("GET /users/{userId}/token: a user's ZAK or token")
    .action(
      run(async (connection, options, userId: string) => {
        const { type, ttl } = options as ConnectionOptions & { type?: string; ttl?: string };
        if (ttl !== undefined && !/^\d+$/.test(ttl))
          throw new UsageError(`--ttl must be a number of seconds, got "${ttl}"`);
        const res = await makeClient(connection, io).request(
          'GET',
          `/users/${encodeURIComponent(userId)}/token`,
          {
            query: { type, ttl },
          },
        );
        show(options, res.status, res.data);
        return EXIT.ok;
      }),
    );

  withConnection(users.command('list'))
    .option('--status <status>', 'active | inactive | pending')
    .option('--page-size <n>', 'users per page (Zoom default 30)')
    .option('--all', 'follow next_page_token through every page')
    .description('GET /users: one page, or every page with --all')
    .action(
      run(async (connection, options) => {
        const o = options as ConnectionOptions & { status?: string; pageSize?: string; all?: boolean };
        const zoom = makeClient(connection, io);
        const query = { status: o.status, page_size: o.pageSize };
        if (!o.all) {
          const res = await zoom.request('GET', '/users', { query });
          show(options, res.status, res.data);
          return EXIT.ok;
        }
        const all: unknown[] = [];
        const pages = zoom.users.list({
          ...(o.status ? { status: o.status as 'active' } : {}),
          ...(o.pageSize ? { page_size: Number(o.pageSize) } : {}),
        });
        for await (const user of pages) all.push(user);
        show(options, 200, { total_records: all.length, users: all });
        return EXIT.ok;
      }),
    );
}

interface InspectReport {
  active: boolean;
  reason?: string;
  source: 'zemu-introspection' | 'claims-and-test-call';
  kind?: string;
  account_id?: string;
  client_id?: string;
  user_id?: string;
  scopes?: string[];
  grant_type?: string;
  issued_at?: string;
  expires_at?: string;
  test_call?: string;
}

/** Zemu's POST /_zemu/tokens/introspect when the OAuth host is a Zemu; otherwise claims + GET /users/me. */
async function inspectToken(
  token: string,
  connection: ResolvedConnection,
  io: ClientCommandsIO,
): Promise<InspectReport> {
  const doFetch = io.fetch ?? fetch;
  const origin = (connection.oauthUrl ?? 'https://zoom.us').replace(/\/+$/, '');
  if (origin !== 'https://zoom.us') {
    let res: Response | undefined;
    try {
      res = await doFetch(`${origin}/_zemu/tokens/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new ZoomConnectionError(`could not reach ${origin} to introspect the token`, {
        method: 'POST',
        url: `${origin}/_zemu/tokens/introspect`,
        cause,
      });
    }
    if (res.ok) {
      const body = (await res.json()) as Record<string, unknown>;
      return {
        active: body.active === true,
        ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
        source: 'zemu-introspection',
        ...pickStrings(body, [
          'kind',
          'account_id',
          'client_id',
          'user_id',
          'grant_type',
          'issued_at',
          'expires_at',
        ]),
        ...(Array.isArray(body.scopes) ? { scopes: body.scopes as string[] } : {}),
      };
    }
    await res.body?.cancel();
  }
  return inspectByClaims(token, connection, doFetch);
}

function pickStrings(body: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number') out[key] = new Date(value).toISOString();
  }
  return out;
}

async function inspectByClaims(
  token: string,
  connection: ResolvedConnection,
  doFetch: typeof fetch,
): Promise<InspectReport> {
  // Zoom's access tokens are JWTs whose claims are undocumented (aid/uid/cid in v7+, accountId/userId
  // /clientId in v6); read what is there without trusting it, then let the API decide.
  let claims: Record<string, unknown> = {};
  const payload = token.split('.')[1];
  try {
    if (payload) claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    claims = {};
  }
  const str = (...keys: string[]) =>
    keys.map((k) => claims[k]).find((v): v is string => typeof v === 'string');
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  const iat = typeof claims.iat === 'number' ? claims.iat * 1000 : undefined;
  const report: InspectReport = {
    active: false,
    source: 'claims-and-test-call',
    ...(str('aid', 'accountId') ? { account_id: str('aid', 'accountId') } : {}),
    ...(str('cid', 'clientId') ? { client_id: str('cid', 'clientId') } : {}),
    ...(str('uid', 'userId') ? { user_id: str('uid', 'userId') } : {}),
    ...(iat ? { issued_at: new Date(iat).toISOString() } : {}),
    ...(exp ? { expires_at: new Date(exp).toISOString() } : {}),
  };
  if (!payload || Object.keys(claims).length === 0) {
    return { ...report, reason: 'not a JWT: Zoom access tokens are JWTs (they start with eyJ)' };
  }
  if (exp !== undefined && exp <= Date.now()) {
    return { ...report, reason: `expired at ${new Date(exp).toISOString()}: get a new token (zemu token)` };
  }
  const api = connection.apiUrl ?? 'https://api.zoom.us/v2';
  let res: Response;
  try {
    res = await doFetch(`${api}/users/me`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    throw new ZoomConnectionError(`could not reach ${api} to test the token`, {
      method: 'GET',
      url: `${api}/users/me`,
      cause,
    });
  }
  const text = await res.text();
  report.test_call = `GET /users/me -> ${res.status} ${text.slice(0, 200)}`;
  if (res.ok) return { ...report, active: true };
  let body: { code?: number; message?: string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = {};
  }
  if (body.code === 124) {
    const message = body.message ?? 'Invalid access token.';
    return {
      ...report,
      reason: /expired/i.test(message)
        ? `expired (the server says "${message}"): get a new token with zemu token`
        : `rejected (the server says "${message}"): revoked, superseded, or not issued by this server`,
    };
  }
  if (body.code === 4711) {
    // The token itself works; it just cannot call this endpoint.
    return { ...report, active: true, reason: `works, but lacks scopes for GET /users/me: ${body.message}` };
  }
  return { ...report, reason: `the API answered ${res.status}: ${body.message ?? text.slice(0, 200)}` };
}
