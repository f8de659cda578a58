/** Server-rendered pages of /oauth/authorize: sign-in + consent, and the error page. No JavaScript needed. */
import { esc, layout } from '../pages/layout.js';

/** What this module's pages add to the frame's style. */
const STYLE = `
  main { max-width: 440px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 28px 32px;
         box-shadow: 0 4px 24px rgba(20, 30, 60, .08); }
  h1 { font-size: 20px; margin: 0 0 6px; }
  p.sub { color: #5b6475; margin: 0 0 20px; }
  input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: 10px 12px;
         border: 1px solid #cfd5e0; border-radius: 8px; font-size: 15px; }
  ul.scopes { background: #f6f8fc; border-radius: 8px; padding: 10px 14px 10px 30px; margin: 16px 0; }
  ul.scopes li { font-family: ui-monospace, monospace; font-size: 13px; margin: 3px 0; }
  .buttons { display: flex; gap: 12px; margin-top: 22px; }
  button { flex: 1; padding: 11px; font-size: 15px; border-radius: 8px; border: 1px solid #0b5cff; cursor: pointer; }
  button.approve { background: #0b5cff; color: #fff; }
  button.deny { background: #fff; color: #0b5cff; }
`;

export interface ConsentView {
  appName: string;
  scopes: string[];
  /** The original query, echoed back in hidden fields. */
  params: Record<string, string>;
  csrf: string;
  error?: string;
  email?: string;
}

export function consentPage(view: ConsentView): string {
  const hidden = Object.entries(view.params)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const scopes = view.scopes.length
    ? `<ul class="scopes">${view.scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`
    : '<p class="sub">No scopes.</p>';
  return page(
    `Authorize ${view.appName}`,
    `<h1>${esc(view.appName)} wants to access your Zoom account</h1>
<p class="sub">Sign in as a user of this emulated Zoom to approve or deny.</p>
${view.error ? `<div class="error" role="alert">${esc(view.error)}</div>` : ''}
<form method="post" action="/oauth/authorize">
${hidden}<input type="hidden" name="csrf_token" value="${esc(view.csrf)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" value="${esc(view.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<p class="sub" style="margin-top:16px">It will be allowed to:</p>${scopes}
<div class="buttons"><button class="deny" type="submit" name="decision" value="deny">Deny</button>
<button class="approve" type="submit" name="decision" value="approve">Approve</button></div>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${esc(title)}</h1><div class="error" role="alert">${esc(message)}</div>
<p class="sub">The app sent an authorization request Zoom would refuse. Nothing was sent back to it.</p>`,
  );
}

/** This module's pages in the shared frame, with this module's style. */
function page(title: string, body: string): string {
  return layout(title, body, STYLE);
}
