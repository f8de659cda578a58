/** The frame of every server-rendered page (consent, start, join): escaping, head, header, footer, headers. */
import type { FastifyReply } from 'fastify';

/** HTML-escapes text for element content and attribute values. */
export const esc = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The frame's own style; each page adds its layout (`main`'s width, forms, ...). */
const BASE_STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #f3f5f9; color: #1d2330; }
  header { background: #0b5cff; color: #fff; padding: 14px 24px; font-weight: 700; letter-spacing: .3px; }
  label { display: block; font-size: 13px; color: #5b6475; margin: 14px 0 4px; }
  .error { color: #b42318; background: #fef3f2; border-radius: 8px; padding: 10px 12px; margin-bottom: 12px; }
  footer { text-align: center; color: #8a93a5; font-size: 12px; margin-top: 18px; }
`;

/** A whole page: `body` inside the Zoom-like frame, styled by the frame's style and the page's own `style` (no external resources). */
export function layout(title: string, body: string, style: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style>${BASE_STYLE}${style}</style></head>
<body><header>zoom <span style="font-weight:400;opacity:.8">· Zemu</span></header><main>${body}</main>
<footer>Zemu, a local Zoom for tests. Nothing here talks to Zoom.</footer></body></html>`;
}

/**
 * Sends a page: never cached, never framed, never sniffed, never named in a Referer (the start link
 * carries a ZAK, the consent page an OAuth request), under the page's own content security policy.
 */
export function sendPage(reply: FastifyReply, status: number, body: string, csp: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', csp)
    .send(body);
}
