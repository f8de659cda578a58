/**
 * `zemu token`, `zemu token inspect`, `zemu users get|token|list`: the CLI as a Zoom client, through
 * @zemu/client, against Zemu or Zoom alike. The connection comes from profile.ts; here each client
 * error class gets its message, hint and exit code (exit-codes.ts).
 */
import {
  ZoomApiError,
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
import { EXIT } from './exit-codes.js';
import {
  type ClientEnvironment,
  type ConnectionOptions,
  makeClient,
  type ResolvedConnection,
  resolveConnection,
  withConnection,
} from './profile.js';
import { UsageError } from './terminal.js';
import { inspectToken } from './token-inspect.js';

export interface ClientCommandsIO extends ClientEnvironment {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
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
