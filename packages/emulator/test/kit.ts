/**
 * The test kit both packages' suites share: the options a test Zemu starts with, and tokens got the
 * way an app gets them (the control API plus Zemu's own OAuth endpoints, over HTTP).
 *
 * @zemu/client's tests import this file by path rather than through a `testing` export of
 * @zemu/emulator: these are conveniences of this repository's suites, not an API worth a semver
 * promise, and a published export would ship them to every user. So this file imports nothing of
 * the emulator at run time (a type only) and works on any running Zemu, the client's `startZemu`
 * from `@zemu/emulator` included.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StartOptions } from '../src/server.js';

/** How every test Zemu starts unless a suite says otherwise; spread before the suite's own options. */
export const TEST_ZEMU_OPTIONS = {
  memory: true,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  env: {},
  // Zoom's limits (30 Light requests a second on Pro) would trip suites that are not about them;
  // tests of the limits turn them on.
  rateLimits: false,
} as const satisfies StartOptions;

/** What the kit needs of a running Zemu: the test harnesses of both packages and `startZemu`'s result fit. */
export interface ZemuAddress {
  url: string;
  demo: { account_id: string };
}

/** An app as the control API answers it. */
export interface AppCredentials {
  client_id: string;
  client_secret: string;
}

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

const REDIRECT = 'http://127.0.0.1:9/callback';

// biome-ignore lint/suspicious/noExplicitAny: the kit reads Zemu's JSON answers
async function call(url: string, init: RequestInit, expected: number): Promise<any> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${init.method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

function createApp(
  z: ZemuAddress,
  accountId: string,
  body: Record<string, unknown>,
): Promise<AppCredentials> {
  return call(
    `${z.url}/_zemu/accounts/${accountId}/apps`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    201,
  );
}

/**
 * A Server-to-Server token holding exactly `scopes`: a new app of the account (the demo account
 * unless `accountId` says otherwise) with those scopes, through the account_credentials grant.
 */
export async function s2s(z: ZemuAddress, scopes: string[], accountId = z.demo.account_id): Promise<string> {
  const app = await createApp(z, accountId, { name: 'kit s2s', type: 'server_to_server', scopes });
  const body = await call(
    `${z.url}/oauth/token?grant_type=account_credentials&account_id=${encodeURIComponent(accountId)}`,
    { method: 'POST', headers: { authorization: basic(app.client_id, app.client_secret) } },
    200,
  );
  return body.access_token as string;
}

export interface UserTokenOptions {
  /** The user (email or id) who approves on the consent step. */
  email: string;
  /** The scopes of a new user-managed OAuth app of the demo account; ignored with `app`. */
  scopes?: string[];
  /** Approve with an S256 code challenge and exchange with its verifier. */
  pkce?: boolean;
  /** An existing app to authorize instead of a new one; its first redirect URI is used. */
  app?: AppCredentials & { redirect_uris: string[] };
}

/** A user-level access token: the user approves an OAuth app, and the app exchanges the code. */
export async function userToken(z: ZemuAddress, options: UserTokenOptions): Promise<string> {
  const app =
    options.app ??
    (await createApp(z, z.demo.account_id, {
      name: 'kit user app',
      type: 'oauth_user',
      scopes: options.scopes ?? [],
      redirect_uris: [REDIRECT],
    }));
  const redirectUri = options.app?.redirect_uris[0] ?? REDIRECT;
  const verifier = options.pkce ? randomBytes(32).toString('base64url') : undefined;
  const approved = await call(
    `${z.url}/_zemu/oauth/approve`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: app.client_id,
        user: options.email,
        redirect_uri: redirectUri,
        ...(verifier
          ? {
              code_challenge: createHash('sha256').update(verifier).digest('base64url'),
              code_challenge_method: 'S256',
            }
          : {}),
      }),
    },
    200,
  );
  const code = new URL(approved.redirect_to).searchParams.get('code') as string;
  const tokens = await call(
    `${z.url}/oauth/token`,
    {
      method: 'POST',
      headers: {
        authorization: basic(app.client_id, app.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        ...(verifier ? { code_verifier: verifier } : {}),
      }).toString(),
    },
    200,
  );
  return tokens.access_token as string;
}
