/**
 * Where the client commands' connection comes from: flags, then env (ZOOM_*), then a profile in the
 * user's config file.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ZoomClient } from '@zemu/client';
import type { Command } from 'commander';
import { UsageError } from './terminal.js';

export interface ConnectionOptions {
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

/** What building a client takes from the process, as seams for tests. */
export interface ClientEnvironment {
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** A Server-to-Server client for the resolved connection, or a UsageError naming what is missing. */
export function makeClient(connection: ResolvedConnection, io: ClientEnvironment): ZoomClient {
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

/** The connection flags every client command takes. */
export function withConnection(command: Command): Command {
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
