import type { Command } from 'commander';
import { ConfigError, type LogLevel, parseSwitch, resolveConfig } from '../config.js';
import type { startZemu } from '../server.js';
import { CaError } from '../tls/errors.js';
import { banner } from './banner.js';

interface ServeOptions {
  port?: string;
  host?: string;
  data?: string;
  memory?: boolean;
  seed?: string;
  logLevel?: LogLevel;
  publicUrl?: string;
  demo: boolean;
  rateLimits: boolean;
  requestLog: boolean;
  captureBodies?: boolean;
  redisUrl?: string;
  import?: string;
  exportOnExit?: string;
  generated?: string;
  tls?: boolean;
  tlsPort?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the emulator: Zoom OAuth (/oauth), REST API v2 (/v2) and the control API (/_zemu)')
    .option('-p, --port <port>', 'port to listen on (env ZEMU_PORT, default 9600)')
    .option('-H, --host <host>', 'address to bind (env ZEMU_HOST, default 127.0.0.1)')
    .option('-d, --data <dir>', 'SQLite data directory (env ZEMU_DATA, default ./.zemu)')
    .option('-m, --memory', 'keep everything in memory: a throwaway world')
    .option(
      '-s, --seed <file>',
      'load accounts, users and apps from a JSON or YAML seed file (env ZEMU_SEED)',
    )
    .option(
      '--public-url <url>',
      'origin clients use to reach Zemu, returned as api_url (env ZEMU_PUBLIC_URL)',
    )
    .option(
      '--log-level <level>',
      'fatal|error|warn|info|debug|trace|silent (env ZEMU_LOG_LEVEL, default info)',
    )
    .option('--no-demo', 'do not create the demo account on first start')
    .option('--no-rate-limits', "turn Zoom's rate limits off (env ZEMU_RATE_LIMITS=off)")
    .option('--no-request-log', 'do not record requests in the request log (env ZEMU_REQUEST_LOG=off)')
    .option(
      '--capture-bodies',
      'keep request and response bodies, secrets redacted, in the request log (env ZEMU_CAPTURE_BODIES=on)',
    )
    .option('--redis-url <url>', 'share rate-limit counters with other Zemu processes (env REDIS_URL)')
    .option('--import <file>', 'start from the state in FILE (written by zemu export or --export-on-exit)')
    .option('--export-on-exit <file>', 'write the whole state to FILE on SIGINT or SIGTERM')
    .option(
      '--generated <on|off>',
      "answer the operations Zemu does not emulate statefully from Zoom's OpenAPI documents (env ZEMU_GENERATED, default on)",
    )
    .option('--tls', 'also serve HTTPS as zoom.us and api.zoom.us, signed by the local CA (see zemu ca)')
    .option('--tls-port <port>', 'HTTPS port with --tls (env ZEMU_TLS_PORT, default 9643)')
    .action(async (options: ServeOptions) => {
      let zemu: Awaited<ReturnType<typeof startZemu>>;
      // Loaded here, not at the top: the other commands of the CLI start without the emulator.
      const { startZemu: start } = await import('../server.js');
      const { SeedError } = await import('../world/seed.js');
      const { StateDocumentError } = await import('../state/document.js');
      const { writeStateDocument } = await import('../state/read.js');
      try {
        zemu = await start({
          port: options.port,
          host: options.host,
          dataDir: options.data,
          memory: options.memory,
          seedFile: options.seed,
          logLevel: options.logLevel,
          publicUrl: options.publicUrl,
          demo: options.demo,
          // Commander sets the --no-* switches true by default: pass only what the user turned off.
          rateLimits: options.rateLimits === false ? false : undefined,
          requestLog: options.requestLog === false ? false : undefined,
          captureBodies: options.captureBodies === true ? true : undefined,
          redisUrl: options.redisUrl,
          importFile: options.import,
          generated: parseSwitch('--generated', options.generated),
          tls: options.tls,
          tlsPort: options.tlsPort,
        });
      } catch (error) {
        process.stderr.write(
          `zemu: cannot start: ${explainStartError(error, { SeedError, StateDocumentError })}\n`,
        );
        process.exit(1);
      }
      process.stdout.write(
        banner(
          zemu.url,
          zemu.built.storeLocation,
          zemu.built.ctx.demo,
          zemu.tlsUrl && zemu.caCertPath ? { url: zemu.tlsUrl, caCertPath: zemu.caCertPath } : undefined,
        ),
      );
      if (zemu.built.seeded) {
        const s = zemu.built.seeded;
        process.stdout.write(
          `  Seed loaded: ${s.accounts} accounts, ${s.users} users, ${s.apps} apps added.\n\n`,
        );
      }
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        zemu.built.ctx.log.info({ signal }, 'shutting down');
        let code = 0;
        if (options.exportOnExit) {
          try {
            writeStateDocument(options.exportOnExit, await zemu.built.ctx.state.exportDocument());
            zemu.built.ctx.log.info({ file: options.exportOnExit }, 'state exported');
          } catch (error) {
            process.stderr.write(
              `zemu: cannot export the state to ${options.exportOnExit}: ${(error as Error).message}\n`,
            );
            code = 1;
          }
        }
        await zemu.close();
        process.exit(code);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}

type ErrorClass = new (...args: never[]) => Error;

/** `kinds`: the start's own error classes, passed in because serve loads them only when it runs. */
function explainStartError(
  error: unknown,
  kinds?: { SeedError: ErrorClass; StateDocumentError: ErrorClass },
): string {
  if (error instanceof ConfigError || error instanceof CaError || (kinds && error instanceof kinds.SeedError))
    return (error as Error).message;
  if (kinds && error instanceof kinds.StateDocumentError)
    return `${error.message}. Nothing was imported; the store is as it was.`;
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE')
    return `${err.message}. Another program uses that port: pick one with --port or ZEMU_PORT (--tls-port or ZEMU_TLS_PORT for HTTPS).`;
  if (err?.code === 'EACCES') return `${err.message}. Use a port above 1024 or another --host.`;
  if (err?.code === 'ECONNREFUSED') return `${err.message}. Is PostgreSQL running at DATABASE_URL?`;
  return err?.message ?? String(error);
}

export function registerCa(program: Command): void {
  program
    .command('ca')
    .description("print the path of Zemu's local CA certificate (created on first use), for --cacert")
    .option('--pem', 'print the certificate itself instead of its path')
    .option('-d, --data <dir>', 'data directory whose ca/ holds the CA (env ZEMU_DATA, default ./.zemu)')
    .option('--ca-dir <dir>', 'the CA directory itself (env ZEMU_CA_DIR, default <data>/ca)')
    .action(async (options: { pem?: boolean; data?: string; caDir?: string }) => {
      try {
        const { caDir } = resolveConfig({ dataDir: options.data, caDir: options.caDir });
        const { ensureCa } = await import('../tls/ca.js');
        const ca = await ensureCa(caDir);
        process.stdout.write(options.pem ? ca.certPem : `${ca.certPath}\n`);
      } catch (error) {
        process.stderr.write(`zemu ca: ${explainStartError(error)}\n`);
        process.exit(1);
      }
    });
}
