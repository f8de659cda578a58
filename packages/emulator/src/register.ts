/**
 * `node --import @zemu/emulator/register` (or NODE_OPTIONS="--import @zemu/emulator/register"):
 * requests for https://zoom.us and https://api.zoom.us (and http:// to them) go to Zemu, whatever
 * the Node client uses underneath: http/https.request and get, the global fetch, the undici package,
 * and the libraries built on them (axios, got, node-fetch). ZEMU_URL (default http://127.0.0.1:9600),
 * or ZEMU_OAUTH_URL and ZEMU_API_URL for each host; ZEMU_REGISTER_DEBUG=1 logs each rewrite.
 */
import { syncBuiltinESMExports } from 'node:module';
import { patchFetch } from './preload/fetch.js';
import { patchNodeHttp } from './preload/node-http.js';
import { RegisterConfigError, readTargets } from './preload/targets.js';

let targets: ReturnType<typeof readTargets>;
try {
  targets = readTargets();
} catch (error) {
  if (!(error instanceof RegisterConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
patchNodeHttp(targets);
// ESM callers that imported { request } from 'node:https' see the patched functions too.
syncBuiltinESMExports();
patchFetch(targets);
