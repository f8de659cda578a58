/**
 * Starts a Zemu listening on a port: what `zemu serve` runs, and the harness a test suite uses
 * (`startZemu({ port: 0, memory: true })`, then `reset()`, `snapshot()`, `clock.advance()`, ...).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import { ZoomClient, type ZoomClientOptions } from '@zemu/client';
import { type BuiltZemu, buildZemu } from './app.js';
import { ConfigError, type ConfigInput, resolveConfig } from './config.js';
import type { StateDocument } from './state/document.js';
import type { SnapshotInfo } from './state/service.js';
import type { Plan } from './store/models.js';
import { DEMO_APP_SCOPES, type DemoCredentials } from './world/demo.js';
import { readSeedFile, type SeedFile } from './world/seed.js';
import type { AppInput, UserInput } from './world/world.js';

/** Credentials of a Server-to-Server app, as `zemu.client()` takes them. */
export interface S2SCredentials {
  account_id: string;
  client_id: string;
  client_secret: string;
}

export interface ZemuAccountApp extends S2SCredentials {
  name: string;
  type: string;
}

/** A fresh account made by `zemu.account()`, with its own credentials. */
export interface ZemuAccount {
  id: string;
  plan: Plan;
  owner: { id: string; email: string };
  users: { id: string; email: string }[];
  apps: ZemuAccountApp[];
  /** A ZoomClient for this account's first Server-to-Server app (or the one given). */
  client(app?: S2SCredentials, options?: Partial<ZoomClientOptions>): ZoomClient;
}

export interface AccountOptions {
  plan?: Plan;
  name?: string;
  /** A number of generated users, or their inputs (besides the owner). */
  users?: number | UserInput[];
  /** App inputs; by default one Server-to-Server app holding every user and meeting scope. */
  apps?: AppInput[];
}

export interface ZemuClock {
  /** The emulated time. */
  now(): Date;
  advance(seconds: number): void;
  set(at: Date | string): void;
  freeze(frozen?: boolean): void;
}

export interface RunningZemu {
  /** The origin serving /oauth, /v2 and /_zemu, e.g. http://127.0.0.1:9600 */
  url: string;
  /** The HTTPS origin as zoom.us and api.zoom.us (https://127.0.0.1:9643) when started with `tls`. */
  readonly tlsUrl: string | undefined;
  /** Path of the local CA certificate when started with `tls`. */
  readonly caCertPath: string | undefined;
  /** The demo account's credentials (those of the imported state after an import). */
  readonly demo: DemoCredentials;
  built: BuiltZemu;
  clock: ZemuClock;
  /** Back to the start state: the seed's world or the demo, real time, no faults, empty log and windows. */
  reset(): Promise<void>;
  /** Captures the whole state; returns the snapshot's id. */
  snapshot(name?: string): Promise<string>;
  restore(id: string): Promise<SnapshotInfo>;
  /** The whole state as the export document (`GET /_zemu/export`). */
  export(): Promise<StateDocument>;
  /** A fresh account with its own users and apps, for suites that isolate by account. */
  account(options?: AccountOptions): Promise<ZemuAccount>;
  /** A ZoomClient pointed at this Zemu, for the demo app or the Server-to-Server app given. */
  client(app?: S2SCredentials, options?: Partial<ZoomClientOptions>): ZoomClient;
  close(): Promise<void>;
}

export interface StartOptions extends Omit<ConfigInput, 'seed'> {
  /** Read ZEMU_* variables from this environment; tests pass {} to ignore the caller's. */
  env?: NodeJS.ProcessEnv;
  /** The start world: a seed object, or the path of a JSON or YAML seed file. */
  seed?: SeedFile | string;
  /** The start clock (part of the start state, so `reset()` comes back to it). */
  clock?: { set?: string | Date; frozen?: boolean };
}

function seedOf(options: StartOptions): { seed?: SeedFile; seedFile?: string } {
  const { seed, clock } = options;
  if (clock === undefined) {
    if (typeof seed === 'string') return { seedFile: seed };
    return seed === undefined ? {} : { seed };
  }
  if (typeof clock !== 'object' || clock === null) throw new ConfigError('clock must be an object');
  const set = clock.set instanceof Date ? clock.set.toISOString() : clock.set;
  if (set !== undefined && Number.isNaN(Date.parse(set)))
    throw new ConfigError(`clock.set must be an ISO 8601 time, got "${String(clock.set)}"`);
  const base = typeof seed === 'string' ? readSeedFile(seed) : (seed ?? {});
  return {
    seed: {
      ...base,
      clock: {
        ...base.clock,
        ...(set ? { set } : {}),
        ...(clock.frozen !== undefined ? { frozen: clock.frozen } : {}),
      },
    },
  };
}

export async function startZemu(options: StartOptions = {}): Promise<RunningZemu> {
  const { seed: _seed, clock: _clock, ...input } = options;
  const config = resolveConfig({ ...input, ...seedOf(options) }, options.env ?? process.env);
  const built = await buildZemu(config);
  try {
    await built.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await built.close();
    throw error;
  }
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const listening = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  built.setPublicUrl(listening);
  let tls: { server: https.Server; url: string; caCertPath: string } | undefined;
  try {
    if (config.tls) tls = await listenTls(built, config.host, config.tlsPort, config.caDir);
  } catch (error) {
    await built.close();
    throw error;
  }
  const url = config.publicUrl ?? listening;
  const { ctx } = built;

  const client = (app?: S2SCredentials, extra: Partial<ZoomClientOptions> = {}): ZoomClient => {
    const credentials = app ?? ctx.demo;
    if (!credentials)
      throw new Error('zemu.client(): this Zemu has no demo account; pass an app (zemu.account())');
    return new ZoomClient({
      baseUrl: listening,
      auth: {
        type: 'server_to_server',
        accountId: credentials.account_id,
        clientId: credentials.client_id,
        clientSecret: credentials.client_secret,
      },
      ...extra,
    });
  };

  return {
    url,
    tlsUrl: tls?.url,
    caCertPath: tls?.caCertPath,
    get demo() {
      return ctx.demo as DemoCredentials;
    },
    built,
    clock: {
      now: () => new Date(ctx.clock.now()),
      advance: (seconds) => {
        if (typeof seconds !== 'number' || !Number.isFinite(seconds))
          throw new TypeError('clock.advance(seconds) needs a finite number');
        ctx.clock.advance(seconds);
      },
      set: (at) => {
        const ms = at instanceof Date ? at.getTime() : Date.parse(at);
        if (Number.isNaN(ms))
          throw new TypeError(`clock.set() needs a Date or an ISO 8601 time, got "${String(at)}"`);
        ctx.clock.set(ms);
      },
      freeze: (frozen = true) => ctx.clock.freeze(frozen),
    },
    reset: () => ctx.state.reset(),
    snapshot: async (name) => (await ctx.state.snapshot(name)).id,
    restore: (id) => ctx.state.restore(id),
    export: () => ctx.state.exportDocument(),
    async account(accountOptions = {}) {
      const tag = randomBytes(6).toString('hex');
      const { account, owner } = await ctx.world.createAccount({
        ...(accountOptions.name ? { name: accountOptions.name } : {}),
        plan: accountOptions.plan ?? 'pro',
        owner: { email: `owner@${tag}.accounts.zemu.test`, first_name: 'Owner', last_name: tag },
      });
      const userInputs =
        typeof accountOptions.users === 'number'
          ? Array.from({ length: accountOptions.users }, (_, i) => ({
              email: `user${i + 1}@${tag}.accounts.zemu.test`,
              first_name: 'User',
              last_name: String(i + 1),
            }))
          : (accountOptions.users ?? []);
      const users = [];
      for (const input of userInputs) {
        const user = await ctx.world.createUser(account.id, input);
        users.push({ id: user.id, email: user.email });
      }
      const appInputs = accountOptions.apps ?? [
        {
          name: `Server-to-Server ${tag}`,
          type: 'server_to_server' as const,
          scopes: [...DEMO_APP_SCOPES],
        },
      ];
      const apps: ZemuAccountApp[] = [];
      for (const input of appInputs) {
        const { app, clientSecret } = await ctx.world.createApp(account.id, input);
        apps.push({
          account_id: account.id,
          client_id: app.clientId,
          client_secret: clientSecret,
          name: app.name,
          type: app.type,
        });
      }
      const firstS2S = apps.find((a) => a.type === 'server_to_server');
      return {
        id: account.id,
        plan: account.plan,
        owner: { id: owner.id, email: owner.email },
        users,
        apps,
        client(app, extra) {
          const chosen = app ?? firstS2S;
          if (!chosen) throw new Error('this account has no Server-to-Server app; pass one to client()');
          return client(chosen, extra);
        },
      };
    },
    client,
    async close() {
      if (tls) {
        const closed = once(tls.server, 'close');
        tls.server.close();
        tls.server.closeAllConnections();
        await closed;
      }
      await built.close();
    },
  };
}

/**
 * The same Fastify app behind an HTTPS listener: every route, hook and error shape as on HTTP.
 * The CA is created once in `caDir`; the leaf is issued fresh at each start.
 */
async function listenTls(built: BuiltZemu, host: string, port: number, caDir: string) {
  const { ensureCa, issueServerCertificate } = await import('./tls/ca.js');
  const ca = await ensureCa(caDir);
  const leaf = await issueServerCertificate(ca);
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) =>
    built.app.routing(req, res),
  );
  server.keepAliveTimeout = built.app.server.keepAliveTimeout;
  server.listen(port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `https://${shown}:${actual}`;
  built.setTlsUrl(url);
  return { server, url, caCertPath: ca.certPath };
}
