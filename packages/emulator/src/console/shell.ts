/**
 * The console's shell and assets, outside the admin gate: the page frame and the scripts carry no
 * data, so they load for anyone; every fragment and every write they make goes through the gated
 * control API (see fragments.ts). Everything is served by Zemu itself: htmx from node_modules, the
 * console's own script and style from assets/console/ (no CDN, no build step).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { zoomErrors } from '../errors/zoom.js';

const require = createRequire(import.meta.url);
const ASSETS = new URL('../../assets/console/', import.meta.url);

/** The pages of the console, in the order of the navigation. */
export const CONSOLE_PAGES = [
  ['world', 'World'],
  ['requests', 'Requests'],
  ['tokens', 'Tokens'],
  ['clock', 'Clock'],
  ['faults', 'Faults'],
  ['webhooks', 'Webhooks'],
  ['meetings', 'Meetings'],
  ['state', 'State'],
] as const;

/** No inline script or style, nothing from another origin, no framing, no referrer. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

function shell(pages: readonly (readonly [string, string])[]): string {
  const nav = pages.map(([id, title]) => `<li><a href="#${id}" data-page="${id}">${title}</a></li>`).join('');
  // htmx: no eval, no inline styles of its own (the CSP forbids both), no history cache.
  const htmxConfig = JSON.stringify({
    allowEval: false,
    allowScriptTags: false,
    includeIndicatorStyles: false,
    historyCacheSize: 0,
    selfRequestsOnly: true,
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<meta name="htmx-config" content='${htmxConfig}'>
<title>Zemu console</title><link rel="stylesheet" href="/_zemu/console/assets/console.css">
<script src="/_zemu/console/assets/htmx.min.js" defer></script>
<script src="/_zemu/console/assets/console.js" defer></script></head>
<body><a class="skip" href="#page">Skip to content</a>
<header><span class="brand">zoom <span>· Zemu console</span></span><span id="gate-state" role="status"></span></header>
<nav aria-label="Console pages"><ul>${nav}</ul></nav>
<main id="page" tabindex="-1"><p class="muted">Loading…</p></main>
<dialog id="admin-token-dialog" aria-labelledby="admin-token-title">
<form id="admin-token-form" method="dialog"><h2 id="admin-token-title">Admin token needed</h2>
<p>This Zemu's control API is closed to this browser: it is not a loopback caller of a loopback-bound Zemu.
Enter the admin token (<code>ZEMU_ADMIN_TOKEN</code>) it was started with. It is kept for this browser
session only and sent as a header, never in a URL.</p>
<label for="admin-token">Admin token</label><input id="admin-token" name="token" type="password" autocomplete="off" required>
<p class="field-error" id="admin-token-error" role="alert"></p>
<button type="submit">Unlock the console</button></form></dialog>
<dialog id="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
<h2 id="confirm-title">Are you sure?</h2><p id="confirm-message"></p>
<div class="actions"><button type="button" id="confirm-cancel" class="secondary" autofocus>Cancel</button>
<button type="button" id="confirm-ok" class="danger-solid">Confirm</button></div></dialog>
<footer>Zemu, a local Zoom for tests. Nothing here talks to Zoom.</footer></body></html>`;
}

const assetTypes: Record<string, string> = {
  'htmx.min.js': 'text/javascript; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

function loadAssets(): Map<string, string> {
  return new Map([
    ['htmx.min.js', readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8')],
    ['console.js', readFileSync(new URL('console.js', ASSETS), 'utf8')],
    ['console.css', readFileSync(new URL('console.css', ASSETS), 'utf8')],
  ]);
}

export function consoleShellRoutes(pages: readonly (readonly [string, string])[] = CONSOLE_PAGES) {
  return async (app: FastifyInstance) => {
    const page = shell(pages);
    // Read on first use, then kept: a few hundred KB at most.
    let assets: Map<string, string> | undefined;
    app.get('/', async (_request, reply) =>
      secure(reply).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page),
    );
    app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
      const type = assetTypes[request.params.name];
      if (!type) throw zoomErrors.routeNotFound();
      assets ??= loadAssets();
      return secure(reply)
        .header('cache-control', 'no-cache')
        .type(type)
        .send(assets.get(request.params.name));
    });
  };
}
