/** Starts a Zemu listening on a port: what `zemu serve` runs, and what tests start in-process. */
import { type BuiltZemu, buildZemu } from './app.js';
import { type ConfigInput, resolveConfig } from './config.js';
import type { DemoCredentials } from './world/demo.js';

export interface RunningZemu {
  /** The origin serving /oauth, /v2 and /_zemu, e.g. http://127.0.0.1:9600 */
  url: string;
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
  return {
    url: config.publicUrl ?? url,
    demo: built.ctx.demo as DemoCredentials,
    built,
    close: () => built.close(),
  };
}
