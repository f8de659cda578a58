/** Starts a Zemu listening on a port: what `zemu serve` runs, and what tests start in-process. */
import { once } from 'node:events';
import https from 'node:https';
import { type BuiltZemu, buildZemu } from './app.js';
import { type ConfigInput, resolveConfig } from './config.js';
import type { DemoCredentials } from './world/demo.js';

export interface RunningZemu {
  /** The origin serving /oauth, /v2 and /_zemu, e.g. http://127.0.0.1:9600 */
  url: string;
  /** The HTTPS origin as zoom.us and api.zoom.us (https://127.0.0.1:9643) when started with `tls`. */
  tlsUrl: string | undefined;
  /** Path of the local CA certificate when started with `tls`. */
  caCertPath: string | undefined;
  demo: DemoCredentials;
  built: BuiltZemu;
  close(): Promise<void>;
}

export interface StartOptions extends ConfigInput {
  /** Read ZEMU_* variables from this environment; tests pass {} to ignore the caller's. */
  env?: NodeJS.ProcessEnv;
}

export async function startZemu(options: StartOptions = {}): Promise<RunningZemu> {
  const config = resolveConfig(options, options.env ?? process.env);
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
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  built.setPublicUrl(url);
  let tls: { server: https.Server; url: string; caCertPath: string } | undefined;
  try {
    if (config.tls) tls = await listenTls(built, config.host, config.tlsPort, config.caDir);
  } catch (error) {
    await built.close();
    throw error;
  }
  return {
    url: config.publicUrl ?? url,
    tlsUrl: tls?.url,
    caCertPath: tls?.caCertPath,
    demo: built.ctx.demo as DemoCredentials,
    built,
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
