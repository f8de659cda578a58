/**
 * /_zemu/console/f/*: the console's pages as server-rendered HTML fragments, behind the admin gate
 * (they are registered inside the control API). They only read; every form and button on them writes
 * through the control API itself, as JSON with the admin token in a header (assets/console/console.js),
 * so its Zoom-shaped validation errors are what the page shows next to each field.
 */
import type { FastifyReply } from 'fastify';
import { joinUrl } from '../api/meetings/present.js';
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import type { RouteSink } from '../http/dispatch.js';
import { limitSettingsOf } from '../limits/limiter.js';
import { defaultZakTtl } from '../oauth/zak.js';
import { presentEntry } from '../requestlog/log.js';
import { type Account, APP_TYPES, type App, PLANS, type TokenRecord } from '../store/models.js';
import { ZOOM_EVENTS } from '../webhooks/emit.js';
import { type Html, html, iso, raw } from './html.js';
import { CONSOLE_CSP } from './shell.js';

/** Users shown per page on the World page: a world of any size opens at the cost of one page. */
export const USERS_PER_PAGE = 50;
/** Snapshots shown per page on the State page, newest first. */
export const SNAPSHOTS_PER_PAGE = 50;
const DELIVERIES_SHOWN = 50;
const ACCOUNTS_SHOWN = 200;

type Query = Record<string, string | undefined>;

/** A query as strings only: a repeated key (an array) counts as absent. */
function single(q: unknown): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((q ?? {}) as Record<string, unknown>))
    if (typeof v === 'string') out[k] = v;
  return out;
}

// --- Form building blocks ---------------------------------------------------------------------------

interface FieldOptions {
  type?: string;
  value?: string;
  /** How console.js turns the text into JSON: number, bool, list (comma or newline separated). */
  as?: 'number' | 'bool' | 'list';
  placeholder?: string;
  hint?: string;
}

const fieldId = (form: string, name: string) => `${form}-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;

function errorSlot(id: string, name: string): Html {
  return html`<p class="field-error" id="${id}-error" data-error-for="${name}" role="alert"></p>`;
}

function input(form: string, name: string, label: string, o: FieldOptions = {}): Html {
  const id = fieldId(form, name);
  return html`<div class="field"><label for="${id}">${label}</label>
<input id="${id}" name="${name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}" data-as="${o.as ?? ''}"
 placeholder="${o.placeholder ?? ''}" aria-describedby="${id}-error${o.hint ? ` ${id}-hint` : ''}" autocomplete="off">
${o.hint ? html`<small id="${id}-hint">${o.hint}</small>` : ''}${errorSlot(id, name)}</div>`;
}

function textarea(form: string, name: string, label: string, o: FieldOptions = {}): Html {
  const id = fieldId(form, name);
  return html`<div class="field"><label for="${id}">${label}</label>
<textarea id="${id}" name="${name}" rows="3" data-as="${o.as ?? ''}" placeholder="${o.placeholder ?? ''}"
 aria-describedby="${id}-error" spellcheck="false">${o.value ?? ''}</textarea>${errorSlot(id, name)}</div>`;
}

function select(
  form: string,
  name: string,
  label: string,
  options: readonly (readonly [string, string])[],
  o: { value?: string; as?: 'number' } = {},
): Html {
  const id = fieldId(form, name);
  return html`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${name}" data-as="${o.as ?? ''}" aria-describedby="${id}-error">${options.map(
    ([value, text]) =>
      html`<option value="${value}"${value === o.value ? raw(' selected') : ''}>${text}</option>`,
  )}</select>${errorSlot(id, name)}</div>`;
}

function checkbox(form: string, name: string, label: string, checked: boolean): Html {
  const id = fieldId(form, name);
  return html`<div class="field check"><input id="${id}" name="${name}" type="checkbox" data-as="bool"${
    checked ? raw(' checked') : ''
  } aria-describedby="${id}-error"><label for="${id}">${label}</label>${errorSlot(id, name)}</div>`;
}

/** A form console.js submits as JSON to the control API; `result` forms show the answer below them. */
function apiForm(
  id: string,
  method: string,
  path: string,
  legend: string,
  fields: Html | Html[],
  submit: string,
  o: {
    result?: 'credentials' | 'json';
    reload?: boolean;
    confirm?: Confirm;
    /** Said in the page's status line once done; `{field}` is the answer's field. */
    done?: string;
    /** The body is the file chosen in the form's file field, sent as it is (an import). */
    upload?: boolean;
  } = {},
): Html {
  return html`<form id="${id}" class="api-form" data-method="${method}" data-path="${path}"
 data-result="${o.result ?? ''}" data-reload="${o.reload === false ? 'no' : 'yes'}"${confirmAttributes(o.confirm)}${
   o.done ? html` data-done="${o.done}"` : ''
 }${o.upload ? raw(' data-upload="file"') : ''} novalidate>
<fieldset><legend>${legend}</legend>${fields}
<p class="form-error" data-error-for="_form" role="alert"></p>
<button type="submit">${submit}</button></fieldset><div class="result" aria-live="polite"></div></form>`;
}

/** What console.js asks before a destructive write, in its confirmation dialog. */
interface Confirm {
  title: string;
  message: string;
  /** The dialog's confirming button (the action in words). */
  label: string;
}

function confirmAttributes(c: Confirm | undefined): Html {
  return c
    ? html` data-confirm="${c.message}" data-confirm-title="${c.title}" data-confirm-label="${c.label}"`
    : html``;
}

interface ActionOptions {
  confirm?: Confirm;
  /** Said in the page's status line once done, as it is. */
  done?: string;
  /** The accessible name, when the visible label is not enough (one Restore button a row). */
  name?: string;
}

/** A one-click write (advance the clock, delete a rule, redeliver, ...). */
function action(
  label: string,
  method: string,
  path: string,
  body?: unknown,
  extra = '',
  o: ActionOptions = {},
): Html {
  return html`<button type="button" class="api-action ${extra}" data-method="${method}" data-path="${path}"
 data-body="${body === undefined ? '' : JSON.stringify(body)}"${confirmAttributes(o.confirm)}${
   o.done ? html` data-done="${o.done}"` : ''
 }${o.name ? html` aria-label="${o.name}"` : ''}>${label}</button>`;
}

function copyable(value: string, label: string): Html {
  return html`<code>${value}</code> <button type="button" class="copy" data-copy="${value}" aria-label="Copy ${label}">Copy</button>`;
}

/** A link to another view of a page: the hash names the page and its query (console.js loads it). */
function pageLink(page: string, query: Record<string, string>, text: string): Html {
  const qs = new URLSearchParams(query).toString();
  return html`<a href="#${page}${qs ? `?${qs}` : ''}">${text}</a>`;
}

// --- Pages -----------------------------------------------------------------------------------------

function tokenState(ctx: Ctx, t: TokenRecord): { state: string; detail: string } {
  if (t.revokedAt !== null)
    return { state: 'revoked', detail: `revoked ${iso(t.revokedAt)}: ${t.revokedReason ?? ''}` };
  if (ctx.clock.now() >= t.expiresAt) return { state: 'expired', detail: `expired at ${iso(t.expiresAt)}` };
  return { state: 'active', detail: `expires ${iso(t.expiresAt)}` };
}

function tokenTable(ctx: Ctx, tokens: TokenRecord[], mark?: string | null): Html {
  if (tokens.length === 0) return html`<p class="muted">No tokens.</p>`;
  return html`<table><thead><tr><th scope="col">Token</th><th scope="col">Kind</th><th scope="col">Grant</th>
<th scope="col">Issued (emulated)</th><th scope="col">State</th></tr></thead><tbody>${tokens.map((t) => {
    const s = tokenState(ctx, t);
    return html`<tr${t.id === mark ? raw(' class="marked"') : ''}><td><code>${t.id}</code>${
      t.id === mark ? html` <strong>(this request)</strong>` : ''
    }</td><td>${t.kind}</td><td>${t.grantType}</td><td>${iso(t.issuedAt)}</td>
<td><span class="badge ${s.state}">${s.state}</span> ${s.detail}</td></tr>`;
  })}</tbody></table>`;
}

async function worldPage(ctx: Ctx, q: Query): Promise<Html> {
  const accounts = (await ctx.store.accounts.list()).slice(0, ACCOUNTS_SHOWN);
  const selectedId = q.account ?? ctx.demo?.account_id ?? accounts[0]?.id;
  const account = selectedId ? await ctx.store.accounts.findById(selectedId.slice(0, 64)) : undefined;
  const accountRows = accounts.map(
    (a) =>
      html`<tr${a.id === account?.id ? raw(' class="marked"') : ''}><td>${pageLink('world', { account: a.id }, a.name)}</td>
<td><code>${a.id}</code></td><td>${a.plan}</td><td>${limitSettingsOf(a).enabled === false ? 'off' : 'on'}</td></tr>`,
  );
  const createAccount = apiForm(
    'create-account',
    'POST',
    '/_zemu/accounts',
    'Create an account',
    [
      input('create-account', 'name', 'Name'),
      select(
        'create-account',
        'plan',
        'Plan',
        PLANS.map((p) => [p, p]),
        { value: 'pro' },
      ),
      input('create-account', 'owner.email', 'Owner email', { type: 'email' }),
      input('create-account', 'owner.first_name', 'Owner first name'),
      input('create-account', 'owner.last_name', 'Owner last name'),
    ],
    'Create account',
  );
  return html`<h1>World</h1>
<section aria-labelledby="accounts-h"><h2 id="accounts-h">Accounts</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Account ID</th><th scope="col">Plan</th><th scope="col">Rate limits</th></tr></thead>
<tbody>${accountRows}</tbody></table>${createAccount}</section>
${account ? await accountSection(ctx, account, q) : html`<p>No account yet: create one.</p>`}`;
}

async function accountSection(ctx: Ctx, account: Account, q: Query): Promise<Html> {
  const limits = limitSettingsOf(account);
  const after = q.after !== undefined && /^\d{1,15}$/.test(q.after) ? Number(q.after) : undefined;
  const [users, counts, apps] = await Promise.all([
    ctx.store.users.listByAccount(account.id, { afterSeq: after, limit: USERS_PER_PAGE + 1 }),
    Promise.all(
      (['active', 'inactive', 'pending'] as const).map(
        async (status) => [status, await ctx.store.users.count({ accountId: account.id, status })] as const,
      ),
    ),
    ctx.store.apps.listByAccount(account.id),
  ]);
  const more = users.length > USERS_PER_PAGE;
  const shown = users.slice(0, USERS_PER_PAGE);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const last = shown[shown.length - 1];
  const limitsForm = apiForm(
    'account-limits',
    'PATCH',
    `/_zemu/accounts/${account.id}/limits`,
    'Rate-limit switches',
    [
      checkbox('account-limits', 'enabled', 'Rate limits on', limits.enabled !== false),
      checkbox(
        'account-limits',
        'omit_retry_after',
        'Omit Retry-After on 429',
        limits.omit_retry_after === true,
      ),
    ],
    'Save switches',
  );
  const planForm = apiForm(
    'account-plan',
    'PATCH',
    `/_zemu/accounts/${account.id}`,
    'Plan',
    select(
      'account-plan',
      'plan',
      'Plan (sets the rate limits)',
      PLANS.map((p) => [p, p]),
      { value: account.plan },
    ),
    'Change plan',
  );
  const createUser = apiForm(
    'create-user',
    'POST',
    `/_zemu/accounts/${account.id}/users`,
    `Create a user in ${account.name}`,
    [
      input('create-user', 'email', 'Email', { type: 'email' }),
      input('create-user', 'first_name', 'First name'),
      input('create-user', 'last_name', 'Last name'),
      select(
        'create-user',
        'type',
        'Type',
        [
          ['1', 'Basic (1)'],
          ['2', 'Licensed (2)'],
          ['99', 'None (99)'],
        ],
        { as: 'number' },
      ),
      select('create-user', 'status', 'Status', [
        ['active', 'active'],
        ['pending', 'pending'],
        ['inactive', 'inactive'],
      ]),
    ],
    'Create user',
  );
  const createApp = apiForm(
    'create-app',
    'POST',
    `/_zemu/accounts/${account.id}/apps`,
    `Create an app in ${account.name}`,
    [
      input('create-app', 'name', 'App name'),
      select(
        'create-app',
        'type',
        'Type',
        APP_TYPES.map((t) => [t, t]),
      ),
      textarea('create-app', 'scopes', 'Scopes (space, comma or newline separated)', {
        as: 'list',
        placeholder: 'user:read:admin meeting:write:admin',
      }),
      textarea('create-app', 'redirect_uris', 'Redirect URIs (OAuth apps)', {
        as: 'list',
        placeholder: 'http://localhost:3000/callback',
      }),
    ],
    'Create app',
    { result: 'credentials' },
  );
  return html`<section aria-labelledby="account-h"><h2 id="account-h">Account ${account.name}</h2>
<dl class="facts"><dt>Account ID</dt><dd>${copyable(account.id, 'account ID')}</dd><dt>Plan</dt><dd>${account.plan}</dd>
<dt>Account number</dt><dd>${account.accountNumber}</dd><dt>Users</dt><dd id="user-counts">${total} (${counts
    .map(([s, c]) => `${c} ${s}`)
    .join(', ')})</dd></dl>${planForm}${limitsForm}</section>
<section aria-labelledby="apps-h"><h2 id="apps-h">Apps</h2>${apps.map((a) => appCard(ctx, a))}${createApp}</section>
<section aria-labelledby="users-h"><h2 id="users-h">Users</h2>
<table id="users-table"><thead><tr><th scope="col">Email</th><th scope="col">User ID</th><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Meetings</th></tr></thead>
<tbody>${shown.map(
    (
      u,
    ) => html`<tr><td>${u.email}</td><td><code>${u.id}</code></td><td>${`${u.firstName} ${u.lastName}`.trim()}</td>
<td>${u.type}</td><td><span class="badge ${u.status}">${u.status}</span></td><td>${pageLink('meetings', { user: u.id }, 'Meetings')}</td></tr>`,
  )}</tbody></table>
<p class="pager">Showing ${shown.length} of ${total}${after !== undefined ? html` · ${pageLink('world', { account: account.id }, 'First page')}` : ''}${
    more && last
      ? html` · ${pageLink('world', { account: account.id, after: String(last.seq) }, 'Next page')}`
      : ''
  }</p>${createUser}</section>`;
}

function appCard(ctx: Ctx, a: App): Html {
  const demo = ctx.demo && ctx.demo.client_id === a.clientId ? ctx.demo : null;
  const url = ctx.publicUrl();
  const form = `app-${a.clientId}`;
  const s = a.settings as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  const curl =
    demo && a.type === 'server_to_server'
      ? `TOKEN=$(curl -s -X POST "${url}/oauth/token?grant_type=account_credentials&account_id=${a.accountId}" \\\n  -u "${a.clientId}:${demo.client_secret}" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')\ncurl -s "${url}/v2/users/me/token?type=zak" -H "Authorization: Bearer $TOKEN"`
      : '';
  return html`<article class="card app" aria-labelledby="${form}-h"><h3 id="${form}-h">${a.name} <span class="badge">${a.type}</span>${
    a.enabled ? '' : html` <span class="badge revoked">disabled</span>`
  }</h3>
<dl class="facts"><dt>Client ID</dt><dd>${copyable(a.clientId, `${a.name} client ID`)}</dd>
<dt>Client secret</dt><dd>${
    demo
      ? copyable(demo.client_secret, `${a.name} client secret`)
      : html`<span class="muted">shown once, when the app was created (Zemu keeps only its hash)</span>`
  }</dd>
<dt>Scopes</dt><dd>${a.scopes.length ? a.scopes.join(' ') : html`<span class="muted">none</span>`}</dd>
<dt>Redirect URIs</dt><dd>${a.redirectUris.length ? a.redirectUris.join(' ') : html`<span class="muted">none</span>`}</dd></dl>
${curl ? html`<div class="curl"><pre><code>${curl}</code></pre><button type="button" class="copy" data-copy="${curl}" aria-label="Copy the curl pair for ${a.name}">Copy curl</button></div>` : ''}
${apiForm(
  form,
  'PATCH',
  `/_zemu/apps/${a.clientId}`,
  'Settings',
  [
    checkbox(form, 'enabled', 'Enabled', a.enabled),
    input(form, 'settings.token_tolerance', 'Token tolerance (S2S tokens alive at once)', {
      as: 'number',
      value: num(s.token_tolerance),
    }),
    input(form, 'settings.refresh_grace_seconds', 'Refresh grace (s)', {
      as: 'number',
      value: num(s.refresh_grace_seconds),
    }),
    input(form, 'settings.refresh_token_ttl_seconds', 'Refresh token TTL (s)', {
      as: 'number',
      value: num(s.refresh_token_ttl_seconds),
    }),
    checkbox(
      form,
      'settings.strict_ttl',
      'Strict ttl: a ZAK ttl over a year is refused',
      s.strict_ttl === true,
    ),
    checkbox(
      form,
      'settings.legacy_single_token',
      'Legacy: only the newest token works',
      s.legacy_single_token === true,
    ),
  ],
  'Save settings',
)}</article>`;
}

function requestsPage(): Html {
  const f = 'requests-filter';
  return html`<h1>Requests</h1>
<form id="${f}" class="filters" aria-label="Filter requests">
${select(f, 'status', 'Status', [
  ['', 'any'],
  ['2xx', '2xx'],
  ['3xx', '3xx'],
  ['4xx', '4xx'],
  ['5xx', '5xx'],
])}${input(f, 'code', 'Code', { placeholder: '124 or invalid_client' })}${input(f, 'account_id', 'Account')}
${input(f, 'client_id', 'App (client ID)')}${input(f, 'user_id', 'User')}${input(f, 'path', 'Path', { placeholder: '/v2/users/*' })}
<button type="submit">Apply</button></form>
<p id="live-state" role="status" class="muted">Connecting…</p>
<table id="requests-table"><caption class="visually-hidden">Requests, newest first</caption>
<thead><tr><th scope="col">Time (emulated)</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col">Code</th><th scope="col">Reason</th></tr></thead>
<tbody id="requests-rows"></tbody></table>
<section id="request-detail" aria-live="polite" tabindex="-1"></section>`;
}

async function requestDetail(ctx: Ctx, id: number): Promise<Html> {
  const entry = await ctx.requestLog.find(id);
  if (!entry) throw zoomErrors.controlNotFound('Request log entry', String(id));
  const e = presentEntry(entry);
  const tokenId = entry.tokenId ?? entry.issuedTokenId;
  const token = tokenId ? await ctx.store.tokens.findById(tokenId) : undefined;
  const lineage = token ? await ctx.store.tokens.listByGrant(token.grantId, 100) : [];
  const facts: [string, string | number | null][] = [
    ['Emulated time', e.at],
    ['Real time', e.real_at],
    ['Request', `${e.method} ${e.path}`],
    ['Status', e.status],
    ['Zoom code / OAuth error', e.code ?? e.error],
    ['Account', e.account_id],
    ['App', e.client_id],
    ['User', e.user_id],
    ['Grant', e.grant_type ? `${e.grant_type} ${e.grant_id ?? ''}` : e.grant_id],
    ['Token presented', e.token_id],
    ['Token issued', e.issued_token_id],
    ['Fault rule', e.fault_id],
    ['Rate limit', e.rate_limit ? `${e.rate_limit.category} (${e.rate_limit.type})` : null],
    ['Duration', `${e.duration_ms} ms`],
  ];
  return html`<h2 id="detail-h">Request ${e.id}: ${e.method} ${e.path} → ${e.status}</h2>
<p class="reason ${e.reason ? 'refused' : 'ok'}" id="detail-reason">${e.reason ? `Refused: ${e.reason}` : 'Not refused.'}</p>
<dl class="facts">${facts
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
${bodies(e)}<h3>Token lineage</h3>${
    token
      ? html`<p>Grant <code>${token.grantId}</code> (${token.grantType}), every token it issued:</p>${tokenTable(ctx, lineage, token.id)}`
      : html`<p class="muted">${tokenId ? `Token ${tokenId} is not in the store (a forged or foreign token).` : 'No token took part in this request.'}</p>`
  }`;
}

/** Request and response bodies, when the log kept them (body capture): shown as the log has them, redacted. */
function bodies(e: Record<string, unknown>): Html {
  const kept = Object.entries(e).filter(
    ([key, value]) => /body/i.test(key) && value !== null && value !== undefined,
  );
  if (kept.length === 0) return html``;
  return html`<h3>Bodies</h3>${kept.map(
    ([key, value]) =>
      html`<h4>${key.replace(/_/g, ' ')}</h4><pre><code>${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</code></pre>`,
  )}`;
}

async function allApps(ctx: Ctx): Promise<App[]> {
  const accounts = (await ctx.store.accounts.list()).slice(0, ACCOUNTS_SHOWN);
  return (await Promise.all(accounts.map((a) => ctx.store.apps.listByAccount(a.id)))).flat();
}

async function tokensPage(ctx: Ctx, q: Query): Promise<Html> {
  const apps = await allApps(ctx);
  const clientId = q.client_id?.slice(0, 128) ?? ctx.demo?.client_id ?? apps[0]?.clientId;
  const app = clientId ? await ctx.store.apps.findByClientId(clientId) : undefined;
  const listed = app ? await ctx.store.tokens.listByClient(app.clientId, 100) : null;
  return html`<h1>Tokens</h1>
${apiForm(
  'introspect',
  'POST',
  '/_zemu/tokens/introspect',
  'Inspect a token',
  textarea('introspect', 'token', 'Token (access, refresh token or ZAK)'),
  'Inspect',
  { result: 'json', reload: false },
)}
<section aria-labelledby="app-tokens-h"><h2 id="app-tokens-h">An app's tokens</h2>
<form class="filters route-form" data-route="tokens">${select(
    'app-tokens',
    'client_id',
    'App',
    apps.map((a) => [a.clientId, `${a.name} (${a.clientId})`]),
    { value: app?.clientId },
  )}<button type="submit">Show tokens</button></form>
${listed && app ? html`<p>${listed.total} tokens of ${app.name}, newest first${listed.total > listed.tokens.length ? ` (the newest ${listed.tokens.length} shown)` : ''}.</p>${tokenTable(ctx, listed.tokens)}` : ''}</section>`;
}

function clockPage(ctx: Ctx): Html {
  const state = ctx.clock.state();
  const now = ctx.clock.now();
  return html`<h1>Clock</h1>
<dl class="facts" id="clock-facts"><dt>Emulated now</dt><dd id="clock-now">${iso(now)}</dd><dt>Real now</dt><dd>${iso(Date.now())}</dd>
<dt>Offset</dt><dd>${Math.round(state.offsetMs / 1000)} s</dd><dt>Frozen</dt><dd id="clock-frozen">${ctx.clock.frozen ? 'yes' : 'no'}</dd></dl>
<div class="actions" role="group" aria-label="Advance the clock">${action('+1 min', 'POST', '/_zemu/clock', { advance: 60 })}${action(
    '+1 h',
    'POST',
    '/_zemu/clock',
    { advance: 3600 },
  )}${action('+1 day', 'POST', '/_zemu/clock', { advance: 86400 })}${
    ctx.clock.frozen
      ? action('Unfreeze', 'POST', '/_zemu/clock', { frozen: false })
      : action('Freeze', 'POST', '/_zemu/clock', { frozen: true })
  }</div>
${apiForm(
  'clock-advance',
  'POST',
  '/_zemu/clock',
  'Advance by any amount',
  [
    input('clock-advance', 'advance', 'Amount (negative goes back)', { as: 'number', placeholder: '90' }),
    html`<div class="field"><label for="clock-advance-unit">Unit</label><select id="clock-advance-unit" data-scales="clock-advance-advance">
<option value="1">seconds</option><option value="60" selected>minutes</option><option value="3600">hours</option><option value="86400">days</option></select></div>`,
  ],
  'Advance',
)}
${apiForm(
  'clock-set',
  'POST',
  '/_zemu/clock',
  'Set the time',
  input('clock-set', 'set', 'ISO 8601 time', { placeholder: iso(now) }),
  'Set',
)}`;
}

function faultsPage(ctx: Ctx): Html {
  const rules = ctx.faults.list();
  const f = 'create-fault';
  return html`<h1>Faults</h1>
${
  rules.length === 0
    ? html`<p class="muted" id="faults-empty">No fault rules.</p>`
    : html`<table id="faults-table"><thead><tr><th scope="col">ID</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Action</th>
<th scope="col">Status</th><th scope="col">Remaining</th><th scope="col">Probability</th><th scope="col">Expires (emulated)</th><th scope="col">Fired</th><th scope="col"><span class="visually-hidden">Delete</span></th></tr></thead>
<tbody>${rules.map(
        (
          r,
        ) => html`<tr><td><code>${r.id}</code></td><td>${r.method ?? '*'}</td><td><code>${r.path}</code></td><td>${r.action}${
          r.latencyMs ? ` +${r.latencyMs} ms` : ''
        }</td><td>${r.action === 'error' ? r.status : ''}</td><td>${r.remaining ?? '∞'}</td><td>${r.probability}</td>
<td>${r.expiresAt === null ? 'never' : iso(r.expiresAt)}</td><td>${r.fired}</td><td>${action('Delete', 'DELETE', `/_zemu/faults/${r.id}`, undefined, 'danger')}</td></tr>`,
      )}</tbody></table><p>${action('Delete all', 'DELETE', '/_zemu/faults', undefined, 'danger')}</p>`
}
${apiForm(
  f,
  'POST',
  '/_zemu/faults',
  'Add a fault rule',
  [
    input(f, 'path', 'Path pattern', { placeholder: '/v2/users/*', hint: '* is one segment, ** anything' }),
    input(f, 'method', 'Method', { placeholder: 'any' }),
    select(f, 'action', 'Action', [
      ['error', 'error'],
      ['latency', 'latency'],
      ['reset', 'reset (connection reset)'],
      ['drop', 'drop (no answer)'],
    ]),
    input(f, 'status', 'Status (for error)', { as: 'number', value: '503' }),
    input(f, 'count', 'Count (times it fires)', { as: 'number' }),
    input(f, 'probability', 'Probability (0 to 1)', { as: 'number' }),
    input(f, 'latency_ms', 'Latency (ms)', { as: 'number' }),
    input(f, 'ttl_seconds', 'Expires after (emulated seconds)', { as: 'number' }),
    input(f, 'client_id', 'Only for app (client ID)'),
  ],
  'Add rule',
)}`;
}

async function webhooksPage(ctx: Ctx): Promise<Html> {
  const [status, subs, { total, deliveries }] = await Promise.all([
    ctx.webhooks.status(),
    ctx.store.webhooks.subscriptions.list(),
    ctx.store.webhooks.deliveries.list({ limit: DELIVERIES_SHOWN }),
  ]);
  const attempts = await Promise.all(deliveries.map((d) => ctx.store.webhooks.attempts.listOf(d.id)));
  return html`<h1>Webhooks</h1>
<dl class="facts"><dt>Dispatcher</dt><dd id="dispatcher-state">${status.paused ? 'paused' : 'running'}</dd>
<dt>Queued events</dt><dd>${status.queued_events}</dd><dt>Pending deliveries</dt><dd>${status.pending_deliveries}</dd></dl>
<div class="actions">${
    status.paused
      ? action('Resume dispatcher', 'PATCH', '/_zemu/webhooks/dispatcher', { paused: false })
      : action('Pause dispatcher', 'PATCH', '/_zemu/webhooks/dispatcher', { paused: true })
  }${action('Deliver what is due now', 'POST', '/_zemu/webhooks/deliver')}</div>
<section aria-labelledby="subs-h"><h2 id="subs-h">Subscriptions</h2>${
    subs.length === 0
      ? html`<p class="muted">No event subscriptions. Add one with POST /_zemu/apps/{clientId}/webhooks.</p>`
      : html`<table><thead><tr><th scope="col">App</th><th scope="col">Endpoint</th><th scope="col">Events</th><th scope="col">Validation</th></tr></thead><tbody>${subs.map(
          (
            s,
          ) => html`<tr><td><code>${s.clientId}</code></td><td><code>${s.endpointUrl}</code></td><td>${s.events.join(', ')}</td>
<td><span class="badge ${s.validated ? 'active' : 'revoked'}">${s.validated ? 'validated' : 'not validated'}</span> ${
            s.validated
              ? `at ${iso(s.validatedAt)}, again ${iso(s.nextValidationAt)}`
              : (s.lastValidationError ?? '')
          }</td></tr>`,
        )}</tbody></table>`
  }<p class="muted">Events Zemu sends: ${ZOOM_EVENTS.join(', ')}.</p></section>
<section aria-labelledby="deliveries-h"><h2 id="deliveries-h">Deliveries</h2><p>${total} deliveries${
    total > deliveries.length ? `, the newest ${deliveries.length} shown` : ''
  }.</p>
<table id="deliveries-table"><thead><tr><th scope="col">Event</th><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${deliveries.map(
    (
      d,
      i,
    ) => html`<tr data-delivery="${d.id}"><td>${d.event}<br><small><code>${d.id}</code></small></td><td><code>${d.endpointUrl}</code></td>
<td><span class="badge ${d.status}">${d.status}</span>${d.nextAttemptAt !== null && d.status === 'pending' ? html`<br><small>next ${iso(d.nextAttemptAt)}</small>` : ''}</td>
<td><details><summary>${d.attemptCount} attempt${d.attemptCount === 1 ? '' : 's'}</summary><ol>${(
      attempts[i] ?? []
    ).map(
      (a) =>
        html`<li>${iso(a.at)}: ${a.ok ? 'ok' : 'failed'} ${a.statusCode ?? ''} ${a.error ?? ''} (${a.durationMs} ms)</li>`,
    )}</ol></details></td><td>${d.lastError ?? ''}</td>
<td>${d.status === 'pending' ? '' : action('Redeliver', 'POST', `/_zemu/webhooks/deliveries/${d.id}/redeliver`)}</td></tr>`,
  )}</tbody></table></section>`;
}

async function meetingsPage(ctx: Ctx, q: Query): Promise<Html> {
  const wanted = (q.user ?? ctx.demo?.user_id ?? '').slice(0, 256);
  const user = wanted ? await ctx.store.users.findByIdOrEmail(wanted) : undefined;
  const form = html`<form class="filters route-form" data-route="meetings">${input(
    'meetings-user',
    'user',
    'User (ID or email)',
    { value: user?.email ?? wanted },
  )}<button type="submit">Show meetings</button></form>`;
  if (!user)
    return html`<h1>Meetings</h1>${form}<p role="alert">${wanted ? `No user ${wanted}.` : 'Choose a user.'}</p>`;
  const meetings = await ctx.store.meetings.listByHost(user.id);
  const url = ctx.publicUrl();
  // One fresh ZAK for the host's start links, as GET /v2/meetings/{id} hands out.
  const zak = meetings.length > 0 ? await ctx.zaks.issue(user, defaultZakTtl(user), 'zak') : '';
  return html`<h1>Meetings</h1>${form}<h2>Meetings of ${user.email}</h2>${
    meetings.length === 0
      ? html`<p class="muted">No meetings. Create one with POST /v2/users/{userId}/meetings.</p>`
      : html`<table id="meetings-table"><thead><tr><th scope="col">Topic</th><th scope="col">Meeting ID</th><th scope="col">Type</th><th scope="col">Start time</th><th scope="col">Start link (host)</th><th scope="col">Join link</th></tr></thead>
<tbody>${meetings.map(
          (
            m,
          ) => html`<tr><td>${m.topic}</td><td>${m.id}</td><td>${m.type}</td><td>${m.startTime === null ? '' : iso(m.startTime)}</td>
<td><a href="${`${url}/s/${m.id}?zak=${zak}`}" target="_blank" rel="noreferrer noopener">Start</a></td>
<td><a href="${joinUrl(ctx, m)}" target="_blank" rel="noreferrer noopener">Join</a> <button type="button" class="copy" data-copy="${joinUrl(ctx, m)}" aria-label="Copy the join link of ${m.topic}">Copy</button></td></tr>`,
        )}</tbody></table>`
  }`;
}

const sizeInWords = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What a reset, a restore and an import replace, in words. */
const WHOLE_STATE =
  'the world (accounts, users, apps, meetings), tokens and ZAKs, webhook subscriptions and deliveries, the clock and the fault rules';

async function statePage(ctx: Ctx, q: Query): Promise<Html> {
  const [snapshots, accounts] = await Promise.all([ctx.state.list(), ctx.store.accounts.list()]);
  const newest = [...snapshots].reverse();
  const pages = Math.max(1, Math.ceil(newest.length / SNAPSHOTS_PER_PAGE));
  const wanted = q.page !== undefined && /^\d{1,6}$/.test(q.page) ? Number(q.page) : 1;
  const pageNo = Math.min(Math.max(1, wanted), pages);
  const shown = newest.slice((pageNo - 1) * SNAPSHOTS_PER_PAGE, pageNo * SNAPSHOTS_PER_PAGE);
  const now = ctx.clock.now();
  const take = apiForm(
    'take-snapshot',
    'POST',
    '/_zemu/snapshots',
    'Take a snapshot',
    input('take-snapshot', 'name', 'Snapshot name (optional)', {
      placeholder: 'before the test',
      hint: 'At most 128 characters.',
    }),
    'Take snapshot',
    { done: 'Took snapshot {id}.' },
  );
  const rows = shown.map((s) => {
    const called = s.name ?? s.id;
    return html`<tr data-snapshot="${s.id}"><td>${s.name ?? html`<span class="muted">(no name)</span>`}</td><td><code>${s.id}</code></td>
<td>${s.created_at}</td><td>${s.clock}</td><td>${s.schema}</td><td>${sizeInWords(s.size_bytes)}</td>
<td class="row-actions">${action('Restore', 'POST', `/_zemu/snapshots/${s.id}/restore`, undefined, '', {
      name: `Restore snapshot ${called}`,
      done: `Restored snapshot ${called}: the state is as it was at ${s.clock} (emulated).`,
      confirm: {
        title: `Restore snapshot ${called}?`,
        message: `Everything goes back to the moment it was taken (${s.created_at}; emulated clock ${s.clock}): ${WHOLE_STATE}. What changed since is lost unless another snapshot or an export keeps it. The request log is kept.`,
        label: 'Restore',
      },
    })} ${action('Delete', 'DELETE', `/_zemu/snapshots/${s.id}`, undefined, 'danger', {
      name: `Delete snapshot ${called}`,
      done: `Deleted snapshot ${called}.`,
      confirm: {
        title: `Delete snapshot ${called}?`,
        message: 'The snapshot is removed from the database; the current state does not change.',
        label: 'Delete snapshot',
      },
    })}</td></tr>`;
  });
  const pageLinkTo = (n: number, text: string) => pageLink('state', n === 1 ? {} : { page: String(n) }, text);
  const pager = html`<p class="pager">${
    newest.length === 0
      ? ''
      : `Snapshots ${(pageNo - 1) * SNAPSHOTS_PER_PAGE + 1}–${(pageNo - 1) * SNAPSHOTS_PER_PAGE + shown.length} of ${newest.length}, newest first`
  }${pageNo > 1 ? html` · ${pageLinkTo(1, 'First page')} · ${pageLinkTo(pageNo - 1, 'Previous page')}` : ''}${
    pageNo < pages ? html` · ${pageLinkTo(pageNo + 1, 'Next page')}` : ''
  }</p>`;
  const importForm = apiForm(
    'state-import',
    'POST',
    '/_zemu/import',
    'Import a state document',
    html`<div class="field"><label for="state-import-file">State document (JSON exported by Zemu)</label>
<input id="state-import-file" name="document" type="file" accept=".json,application/json" aria-describedby="state-import-file-error">
${errorSlot('state-import-file', 'document')}</div>`,
    'Import',
    {
      upload: true,
      done: 'Imported: the state is the document’s.',
      confirm: {
        title: 'Replace the whole state with the document’s?',
        message: `Everything is replaced by what the document holds: ${WHOLE_STATE}. The request log is emptied; snapshots are kept. A document Zemu refuses changes nothing.`,
        label: 'Import',
      },
    },
  );
  return html`<h1>State</h1>
<p class="muted">A reset, a restore and an import each replace the whole state in one step: ${WHOLE_STATE}.
Snapshots are kept in the database (they survive a restart); none of these touches them.</p>
<p id="state-status" class="page-status ok" role="status"></p>
<dl class="facts" id="state-now"><dt>Emulated now</dt><dd id="state-clock">${iso(now)}${ctx.clock.frozen ? ' (frozen)' : ''}</dd>
<dt>Accounts</dt><dd id="state-accounts">${accounts.length}</dd><dt>Fault rules</dt><dd id="state-faults">${ctx.faults.list().length}</dd>
<dt>Request log</dt><dd>${await ctx.requestLog.kept()} entries</dd><dt>Snapshots</dt><dd id="state-snapshot-count">${snapshots.length}</dd></dl>
<section aria-labelledby="snapshots-h"><h2 id="snapshots-h">Snapshots</h2>${take}${
    newest.length === 0
      ? html`<p class="muted" id="snapshots-empty">No snapshots yet.</p>`
      : html`<table id="snapshots-table"><caption class="visually-hidden">Snapshots, newest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">ID</th><th scope="col">Taken (real)</th><th scope="col">Clock (emulated)</th><th scope="col">Schema</th><th scope="col">Size</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table>${pager}`
  }</section>
<section aria-labelledby="export-h"><h2 id="export-h">Export and import</h2>
<p>The state document is the whole state as one JSON file, the one <code>zemu export</code> writes. It holds the
installation key, so that its tokens and ZAKs verify wherever it is imported: keep it like a password.</p>
<p class="actions"><button type="button" class="download" data-path="/_zemu/export" id="state-export">Download the state document</button></p>
${importForm}</section>
<section aria-labelledby="reset-h"><h2 id="reset-h">Reset</h2>
<p>Back to the state a fresh start has: the demo and the seed, the seed’s clock (else real time) and its fault
rules; the request log, webhook queues and rate-limit windows emptied. Tokens issued before stop working.</p>
<p class="actions">${action('Reset the world', 'POST', '/_zemu/reset', undefined, 'danger', {
    done: 'Reset: the world is back to its start state.',
    confirm: {
      title: 'Reset the whole state?',
      message: `Everything goes back to the start state: ${WHOLE_STATE}. The request log is emptied; snapshots are kept. What is not in a snapshot or an export is lost.`,
      label: 'Reset',
    },
  })}</p></section>`;
}

export function consoleFragmentRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    const send = (reply: FastifyReply, body: Html) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', CONSOLE_CSP)
        .header('x-content-type-options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(body.text);
    app.get<{ Querystring: Query }>('/console/f/world', async (request, reply) =>
      send(reply, await worldPage(ctx, single(request.query))),
    );
    app.get('/console/f/requests', async (_request, reply) => send(reply, requestsPage()));
    app.get<{ Params: { id: string } }>('/console/f/requests/:id', async (request, reply) => {
      const id = Number(request.params.id);
      if (!Number.isInteger(id) || id < 1)
        throw zoomErrors.validation([{ field: 'id', message: 'Must be a request log id.' }]);
      return send(reply, await requestDetail(ctx, id));
    });
    app.get<{ Querystring: Query }>('/console/f/tokens', async (request, reply) =>
      send(reply, await tokensPage(ctx, single(request.query))),
    );
    app.get('/console/f/clock', async (_request, reply) => send(reply, clockPage(ctx)));
    app.get('/console/f/faults', async (_request, reply) => send(reply, faultsPage(ctx)));
    app.get('/console/f/webhooks', async (_request, reply) => send(reply, await webhooksPage(ctx)));
    app.get<{ Querystring: Query }>('/console/f/meetings', async (request, reply) =>
      send(reply, await meetingsPage(ctx, single(request.query))),
    );
    app.get<{ Querystring: Query }>('/console/f/state', async (request, reply) =>
      send(reply, await statePage(ctx, single(request.query))),
    );
  };
}
