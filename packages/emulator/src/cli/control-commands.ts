/**
 * Terminal commands over the control API of `ZEMU_URL`: `zemu requests`, `zemu clock`, `zemu faults`,
 * `zemu apps create`, `zemu accounts create` and `zemu users create`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { type ControlTarget, control, controlHeaders, failure, unreachable } from './control-client.js';
import { EXIT } from './exit-codes.js';
import { action, list, numberOr, type Terminal, UsageError } from './terminal.js';

/** An entry of GET /_zemu/requests, as far as the terminal shows it. */
export interface RequestEntry {
  id: number;
  at: string;
  method: string;
  path: string;
  status: number;
  code: number | null;
  error: string | null;
  reason: string | null;
  client_id: string | null;
  account_id: string | null;
}

interface Demo {
  account_id: string;
  client_id: string;
  user_id: string;
  email: string;
}

/** The demo account's ids, or a usage error that says which flag to give instead. */
export async function demoOf(target: ControlTarget, flag: string): Promise<Demo> {
  try {
    return await control<Demo>(target, 'GET', '/demo');
  } catch (error) {
    if ((error as { status?: number }).status === 404)
      throw new UsageError(`this Zemu has no demo account (started with --no-demo): give ${flag}`);
    throw error;
  }
}

export function requestLine(term: Terminal, e: RequestEntry): string {
  const p = term.paint;
  const when = e.at.replace('T', ' ').slice(0, 19);
  const code = e.code ?? e.error ?? '';
  return [
    p.dim(when),
    e.method.padEnd(6),
    e.path,
    p.status(e.status, e.status === 0 ? 'no-answer' : String(e.status)),
    code === '' ? '' : p.bold(String(code)),
    e.reason ? p.dim(e.reason) : '',
  ]
    .filter((s) => s !== '')
    .join('  ');
}

/** Parses Server-Sent Events from a fetch body; calls `onEvent` for each `request` event. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (data: string, id: string) => void) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let data = '';
      let id = '';
      let event = 'message';
      for (const line of block.split('\n')) {
        if (line.startsWith('data: ')) data += line.slice(6);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
      }
      if (event === 'request' && data) onEvent(data, id);
      end = buffer.indexOf('\n\n');
    }
  }
}

/** `90s`, `15m`, `2h`, `3d`, `1h30m`, `-10m` or a plain number of seconds -> seconds. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(-)?((?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+)$/.exec(t);
  if (!m) {
    throw new UsageError(
      `not a duration: "${text}"`,
      'Give seconds or a number with a unit: 90s, 15m, 2h, 3d, 1w, or combined like 1h30m; a leading - goes back.',
    );
  }
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
  let seconds = 0;
  for (const [, n, u] of (m[2] as string).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g))
    seconds += Number(n) * (unit[u as string] as number);
  return m[1] ? -seconds : seconds;
}

interface ClockView {
  now: string;
  epoch_ms: number;
  frozen: boolean;
  offset_seconds: number;
}

function showClock(term: Terminal, opts: Record<string, unknown>, clock: ClockView) {
  if (opts.json) return term.json(clock);
  const offset = clock.offset_seconds;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const parts = [
    [Math.floor(abs / 86_400), 'd'],
    [Math.floor((abs % 86_400) / 3600), 'h'],
    [Math.floor((abs % 3600) / 60), 'm'],
    [abs % 60, 's'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, u]) => `${n}${u}`)
    .join('');
  term.line(`emulated  ${term.paint.bold(clock.now)}${clock.frozen ? term.paint.cyan('  (frozen)') : ''}`);
  term.line(`real      ${new Date().toISOString()}`);
  term.line(`offset    ${offset === 0 ? '0s' : `${sign}${parts}`}`);
}

function showFault(term: Terminal, f: Record<string, unknown>) {
  const p = term.paint;
  const what =
    f.action === 'error'
      ? `error ${f.status}`
      : f.action === 'latency'
        ? `latency ${f.latency_ms} ms`
        : String(f.action);
  const who = [
    f.client_id ? `app ${f.client_id}` : '',
    f.account_id ? `account ${f.account_id}` : '',
    f.user_id ? `user ${f.user_id}` : '',
  ].filter(Boolean);
  term.line(
    [
      p.bold(String(f.id)),
      `${f.method} ${f.path}`,
      what,
      f.action !== 'latency' && Number(f.latency_ms) > 0 ? `+${f.latency_ms} ms` : '',
      who.join(' '),
      f.remaining === null ? 'unlimited' : `${f.remaining} left`,
      f.probability !== 1 ? `p=${f.probability}` : '',
      f.expires_at ? `until ${f.expires_at}` : '',
      p.dim(`fired ${f.fired}`),
    ]
      .filter(Boolean)
      .join('  '),
  );
}

export function registerControlCommands(program: Command): void {
  program
    .command('requests')
    .description('the request log of the Zemu at ZEMU_URL: one line per request, with the refusal reason')
    .option('-f, --follow', 'keep printing requests as they happen (Ctrl-C stops)')
    .option('--status <status>', 'a status (401) or a class (4xx)')
    .option('--app <clientId>', "only this app's requests")
    .option('--account <accountId>', "only this account's requests")
    .option('--path <path>', 'an exact path, or a prefix ending with *')
    .option('-n, --limit <n>', 'how many past requests to show first', '20')
    .option('--json', 'one JSON object a line')
    .action(
      action(async ({ term, target, opts }) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
          throw new UsageError(`--limit must be an integer from 0 to 1000, got "${opts.limit}"`);
        const filter = new URLSearchParams();
        if (opts.status) filter.set('status', String(opts.status));
        if (opts.app) filter.set('client_id', String(opts.app));
        if (opts.account) filter.set('account_id', String(opts.account));
        if (opts.path) filter.set('path', String(opts.path));
        const print = (e: RequestEntry) => (opts.json ? term.json(e) : term.line(requestLine(term, e)));
        // The newest id now: the stream replays everything after it, so nothing falls between the
        // history and the live part, and nothing shows twice.
        const newest = await control<{ requests: RequestEntry[] }>(target, 'GET', '/requests?page_size=1');
        const latest = newest.requests[0]?.id ?? 0;
        if (limit > 0) {
          const page = new URLSearchParams(filter);
          page.set('page_size', String(limit));
          const past = await control<{ requests: RequestEntry[] }>(target, 'GET', `/requests?${page}`);
          for (const e of past.requests.filter((r) => r.id <= latest).reverse()) print(e);
        }
        if (!opts.follow) return EXIT.ok;
        term.note(`Following the request log of ${target.url} (Ctrl-C to stop).`);
        return follow(term, target, filter, latest, print);
      }),
    );

  const clock = program
    .command('clock')
    .description('the emulated clock of the Zemu at ZEMU_URL: show it, or advance, set, freeze, unfreeze')
    .option('--json', 'print the clock as JSON')
    .action(
      action(async ({ term, target, opts }) => {
        showClock(term, opts, await control<ClockView>(target, 'GET', '/clock'));
        return EXIT.ok;
      }),
    );
  const clockCall = (body: (arg: string) => Record<string, unknown>) =>
    action<[string]>(async ({ term, target, opts }, arg) => {
      showClock(term, opts, await control<ClockView>(target, 'POST', '/clock', body(arg)));
      return EXIT.ok;
    });
  clock
    .command('advance')
    .argument('<duration>', '90s, 15m, 2h, 3d, 1h30m, or seconds; -1h goes back')
    .description('move the emulated clock forward (tokens, ZAKs, retries and windows fall due)')
    .option('--json', 'print the clock as JSON')
    // A duration that goes back begins with `-`: commander would take `-1h` for an unknown option.
    // Anything else that looks like an option fails parseDuration with its usage error.
    .allowUnknownOption()
    .action(clockCall((d) => ({ advance: parseDuration(d) })));
  clock
    .command('set')
    .argument('<time>', 'an ISO 8601 time, e.g. 2030-01-01T00:00:00Z')
    .description('set the emulated time')
    .option('--json', 'print the clock as JSON')
    .action(clockCall((time) => ({ set: time })));
  clock
    .command('freeze')
    .description('stop the emulated clock (it moves only when told)')
    .option('--json', 'print the clock as JSON')
    .action(clockCall(() => ({ frozen: true })));
  clock
    .command('unfreeze')
    .description('let the emulated clock run again from where it stands')
    .option('--json', 'print the clock as JSON')
    .action(clockCall(() => ({ frozen: false })));

  const faults = program.command('faults').description('fault rules of the Zemu at ZEMU_URL');
  faults
    .command('add')
    .description('make matching requests fail: an error answer, latency, a reset or a dropped response')
    .option('--path <pattern>', "path pattern: /v2/users/* (one segment), /v2/** (any), '/v2/users/{userId}'")
    .option('--status <status>', 'the HTTP status to answer with (action error)')
    .option(
      '--action <action>',
      'error | latency | reset | drop (default error, or latency with only --latency)',
    )
    .option('--count <n>', 'fire this many times, then remove the rule')
    .option('--probability <p>', 'fire on this share of matching requests, 0 to 1')
    .option('--latency <ms>', 'delay in milliseconds before acting')
    .option('--method <method>', 'only this HTTP method')
    .option('--app <clientId>', "only this app's requests")
    .option('--account <accountId>', "only this account's requests")
    .option('--user <userId>', "only this user's requests")
    .option('--ttl <duration>', 'remove the rule after this much emulated time (90s, 15m, 2h)')
    .option('--json', 'print the rule as JSON')
    .action(
      action(async ({ term, target, opts }) => {
        const act =
          opts.action ?? (opts.latency !== undefined && opts.status === undefined ? 'latency' : 'error');
        const body: Record<string, unknown> = { path: opts.path, action: act };
        if (opts.status !== undefined) body.status = numberOr(opts.status);
        if (opts.count !== undefined) body.count = numberOr(opts.count);
        if (opts.probability !== undefined) body.probability = numberOr(opts.probability);
        if (opts.latency !== undefined) body.latency_ms = numberOr(opts.latency);
        if (opts.method !== undefined) body.method = opts.method;
        if (opts.app !== undefined) body.client_id = opts.app;
        if (opts.account !== undefined) body.account_id = opts.account;
        if (opts.user !== undefined) body.user_id = opts.user;
        if (opts.ttl !== undefined) body.ttl_seconds = parseDuration(String(opts.ttl));
        const rule = await control<Record<string, unknown>>(target, 'POST', '/faults', body);
        if (opts.json) term.json(rule);
        else {
          term.note('Added fault rule:');
          showFault(term, rule);
        }
        return EXIT.ok;
      }),
    );
  faults
    .command('list')
    .description('the fault rules, with what is left of each')
    .option('--json', 'one rule a line as JSON')
    .action(
      action(async ({ term, target, opts }) => {
        const { faults: rules } = await control<{ faults: Record<string, unknown>[] }>(
          target,
          'GET',
          '/faults',
        );
        for (const rule of rules) opts.json ? term.json(rule) : showFault(term, rule);
        if (!opts.json && rules.length === 0) term.note('No fault rules.');
        return EXIT.ok;
      }),
    );
  faults
    .command('rm')
    .argument('[id]', 'the rule to remove')
    .option('--all', 'remove every rule')
    .description('remove a fault rule, or all of them')
    .action(
      action<[string | undefined]>(async ({ term, target, opts }, id) => {
        if (opts.all && id) throw new UsageError('give a rule id or --all, not both');
        if (!opts.all && !id)
          throw new UsageError(
            'give the id of the rule to remove, or --all',
            '`zemu faults list` shows the ids.',
          );
        await control(target, 'DELETE', opts.all ? '/faults' : `/faults/${encodeURIComponent(id as string)}`);
        term.note(opts.all ? 'Removed every fault rule.' : `Removed fault rule ${id}.`);
        return EXIT.ok;
      }),
    );

  const apps =
    program.commands.find((c) => c.name() === 'apps') ??
    program.command('apps').description('apps of the emulated world');
  apps
    .command('create')
    .description('create an app and print its credentials (the secret is shown only now)')
    .option('--account <accountId>', 'the account (default: the demo account)')
    .option(
      '--type <type>',
      'server_to_server | oauth_user | oauth_account | chatbot | jwt',
      'server_to_server',
    )
    .option('--scopes <scopes>', 'scopes, separated by commas or spaces')
    .option('--name <name>', 'the app name')
    .option('--redirect-uri <uri...>', 'redirect URIs (OAuth apps)')
    .option('--json', 'print the app as JSON')
    .action(
      action(async ({ term, target, opts }) => {
        const account =
          (opts.account as string | undefined) ?? (await demoOf(target, '--account')).account_id;
        const body: Record<string, unknown> = {
          name: opts.name ?? `${opts.type} app`,
          type: opts.type,
          scopes: list(opts.scopes),
        };
        if (opts.redirectUri) body.redirect_uris = opts.redirectUri;
        const app = await control<Record<string, unknown>>(
          target,
          'POST',
          `/accounts/${encodeURIComponent(account)}/apps`,
          body,
        );
        if (opts.json) term.json(app);
        else {
          for (const key of ['client_id', 'client_secret', 'account_id', 'type', 'name'])
            if (app[key] !== undefined) term.line(`${key.padEnd(14)}${app[key]}`);
          term.line(`${'scopes'.padEnd(14)}${(app.scopes as string[] | undefined)?.join(' ') ?? ''}`);
          if (app.type === 'server_to_server')
            term.note(
              term.paint.dim(
                `Token: curl -s -X POST "${target.url}/oauth/token?grant_type=account_credentials&account_id=${app.account_id}" -u "${app.client_id}:${app.client_secret}"`,
              ),
            );
        }
        return EXIT.ok;
      }),
    );

  const accounts =
    program.commands.find((c) => c.name() === 'accounts') ??
    program.command('accounts').description('accounts of the emulated world');
  accounts
    .command('create')
    .description('create an account and its owner')
    .requiredOption('--email <email>', "the owner's email")
    .option('--name <name>', 'the account name')
    .option('--plan <plan>', 'free | pro | business')
    .option('--first-name <name>', "the owner's first name")
    .option('--last-name <name>', "the owner's last name")
    .option('--password <password>', "the owner's password (for the consent page)")
    .option('--json', 'print the account as JSON')
    .action(
      action(async ({ term, target, opts }) => {
        const owner: Record<string, unknown> = { email: opts.email };
        if (opts.firstName) owner.first_name = opts.firstName;
        if (opts.lastName) owner.last_name = opts.lastName;
        if (opts.password) owner.password = opts.password;
        const body: Record<string, unknown> = { owner };
        if (opts.name) body.name = opts.name;
        if (opts.plan) body.plan = opts.plan;
        const account = await control<Record<string, unknown> & { owner: Record<string, unknown> }>(
          target,
          'POST',
          '/accounts',
          body,
        );
        if (opts.json) term.json(account);
        else {
          term.line(`account_id    ${account.id}`);
          term.line(`name          ${account.name}`);
          term.line(`plan          ${account.plan}`);
          term.line(`owner         ${account.owner.id} ${account.owner.email}`);
        }
        return EXIT.ok;
      }),
    );

  const users =
    program.commands.find((c) => c.name() === 'users') ?? program.command('users').description('users');
  users
    .command('create')
    .description('create a user in an account of the emulated world (control API)')
    .requiredOption('--email <email>', 'the email')
    .option('--account <accountId>', 'the account (default: the demo account)')
    .option('--type <type>', '1 basic, 2 licensed, 4 unassigned, 99 none')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--status <status>', 'active | inactive | pending')
    .option('--action <action>', 'create | autoCreate | custCreate | ssoCreate')
    .option('--login-type <n>', "Zoom's login_type (1 Google, 100 work email, ...)")
    .option('--password <password>', 'password (for the consent page)')
    .option('--json', 'print the user as JSON')
    .action(
      action(async ({ term, target, opts }) => {
        const account =
          (opts.account as string | undefined) ?? (await demoOf(target, '--account')).account_id;
        const body: Record<string, unknown> = { email: opts.email };
        if (opts.type !== undefined) body.type = numberOr(opts.type);
        if (opts.firstName) body.first_name = opts.firstName;
        if (opts.lastName) body.last_name = opts.lastName;
        if (opts.status) body.status = opts.status;
        if (opts.action) body.action = opts.action;
        if (opts.loginType !== undefined) body.login_type = numberOr(opts.loginType);
        if (opts.password) body.password = opts.password;
        const user = await control<Record<string, unknown>>(
          target,
          'POST',
          `/accounts/${encodeURIComponent(account)}/users`,
          body,
        );
        if (opts.json) term.json(user);
        else term.line(`${user.id}  ${user.email}  type ${user.type}  ${user.status}`);
        return EXIT.ok;
      }),
    );
}

/** The live part of `zemu requests --follow`: the SSE stream, reconnecting (from the last id) if it drops. */
async function follow(
  term: Terminal,
  target: ControlTarget,
  filter: URLSearchParams,
  since: number,
  print: (e: RequestEntry) => void,
): Promise<number> {
  let last = since;
  let shown = 0;
  const controller = new AbortController();
  let stopped = false;
  const done = new Promise<number>((resolve) => {
    process.once('SIGINT', () => {
      stopped = true;
      controller.abort();
      term.live('');
      resolve(EXIT.ok);
    });
  });
  const status = (state: string) => term.live(`${state} ${target.url} · ${shown} shown · Ctrl-C to stop`);
  const run = async () => {
    let failures = 0;
    let first = true;
    while (!stopped) {
      if (!first) {
        // A restarted Zemu numbers its log from 1 again: then everything it holds is new.
        const newest = await control<{ requests: RequestEntry[] }>(
          target,
          'GET',
          '/requests?page_size=1',
        ).catch(() => undefined);
        if (newest && (newest.requests[0]?.id ?? 0) < last) {
          term.note('zemu: Zemu restarted; following its new request log.');
          last = 0;
        }
      }
      first = false;
      const query = new URLSearchParams(filter);
      query.set('since', String(last));
      let res: Response;
      try {
        res = await fetch(`${target.url}/_zemu/requests/stream?${query}`, {
          headers: { ...controlHeaders(target, false), accept: 'text/event-stream' },
          signal: controller.signal,
        });
      } catch (cause) {
        if (stopped) return;
        if (failures++ === 0) term.note(`zemu: ${unreachable(target, cause).what}; retrying`);
        status('reconnecting to');
        await sleep(Math.min(5000, 250 * 2 ** failures));
        continue;
      }
      if (!res.ok) throw await failure(target, 'GET', '/requests/stream', res);
      failures = 0;
      status('following');
      try {
        await readEvents(res.body as ReadableStream<Uint8Array>, (data, id) => {
          const entry = JSON.parse(data) as RequestEntry;
          last = Math.max(last, Number(id) || entry.id);
          shown++;
          print(entry);
          status('following');
        });
      } catch {
        // The stream broke (Zemu stopped): reconnect below.
      }
      if (stopped) return;
      status('reconnecting to');
      await sleep(500);
    }
  };
  return Promise.race([done, run().then(() => EXIT.ok)]);
}
