/**
 * `zemu trigger EVENT`: makes Zemu emit a real event by performing the API operation behind it, with
 * a real Server-to-Server token (the demo app's, or a temporary app's in another account, removed
 * afterwards), the way `stripe trigger` does. `zemu trigger --list` lists the events.
 */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { ALL_MEETING_SCOPES_GRANULAR } from '../api/meetings/scopes.js';
import { ALL_USER_SCOPES_GRANULAR } from '../api/users/scopes.js';
import { ZOOM_EVENTS, type ZoomEventName } from '../webhooks/emit.js';
import { ControlError, type ControlTarget, control, unreachable } from './control-client.js';
import { demoOf } from './control-commands.js';
import { EXIT } from './exit-codes.js';
import { action, type Terminal, UsageError } from './terminal.js';

/** What `trigger` does for each event (shown by --list). */
export const TRIGGERS: Record<ZoomEventName, string> = {
  'user.created': 'creates a user (POST /v2/users, custCreate)',
  'user.updated': 'creates a user, then changes its job title (PATCH /v2/users/{userId})',
  'user.deleted': 'creates a user, then deletes it (DELETE /v2/users/{userId}?action=delete)',
  'user.activated': 'creates a user, deactivates it, then activates it (PUT /v2/users/{userId}/status)',
  'user.deactivated': 'creates a user, then deactivates it (PUT /v2/users/{userId}/status)',
  'user.disassociated':
    'creates a user who can sign in (autoCreate: API users cannot be unlinked), then disassociates it (DELETE /v2/users/{userId})',
  'user.invitation_accepted':
    'invites a user (POST /v2/users, create), then accepts (POST /_zemu/users/{userId}/accept-invitation)',
  'user.settings_updated': 'creates a user, then changes a setting (PATCH /v2/users/{userId}/settings)',
  'meeting.created': "creates a meeting for the account's owner (POST /v2/users/{userId}/meetings)",
  'meeting.updated': 'creates a meeting, then changes its topic (PATCH /v2/meetings/{meetingId})',
  'meeting.deleted': 'creates a meeting, then deletes it (DELETE /v2/meetings/{meetingId})',
  'meeting.started':
    'creates a meeting, then its host joins, which starts it (POST /_zemu/meetings/{meetingId}/participants)',
  'meeting.ended':
    'creates a meeting, its host joins, then ends it (PUT /v2/meetings/{meetingId}/status, action end)',
  'meeting.participant_joined':
    'creates a meeting, then its host joins (POST /_zemu/meetings/{meetingId}/participants)',
  'meeting.participant_left':
    'creates a meeting, its host joins, then leaves (DELETE /_zemu/meetings/{meetingId}/participants/{participantId})',
  'meeting.registration_created':
    'creates a meeting that requires registration, then registers someone (POST /v2/meetings/{meetingId}/registrants)',
  'meeting.registration_approved':
    'creates a meeting whose host approves registrants, registers someone, then approves them (PUT /v2/meetings/{meetingId}/registrants/status)',
  'meeting.registration_denied':
    'creates a meeting whose host approves registrants, registers someone, then denies them (PUT /v2/meetings/{meetingId}/registrants/status)',
  'meeting.registration_cancelled':
    'creates a meeting that requires registration, registers someone, then cancels the registration (PUT /v2/meetings/{meetingId}/registrants/status)',
  'recording.completed':
    'creates a meeting that records to the cloud, its host joins, then ends it (PUT /v2/meetings/{meetingId}/status, action end)',
  'recording.trashed':
    'records a meeting to the cloud, then moves its recording to the trash (DELETE /v2/meetings/{meetingId}/recordings)',
  'recording.deleted':
    'records a meeting to the cloud, then deletes its recording for good (DELETE /v2/meetings/{meetingId}/recordings?action=delete)',
  'recording.recovered':
    'records a meeting to the cloud, trashes its recording, then recovers it (PUT /v2/meetings/{meetingUUID}/recordings/status)',
  app_deauthorized:
    'authorizes a user-managed OAuth app for a user (consent, code exchange), then revokes the token (POST /oauth/revoke); needs --app and --client-secret',
};

interface Step {
  method: string;
  path: string;
  status: number;
  did: string;
}

interface AppView {
  client_id: string;
  account_id: string;
  type: string;
  redirect_uris: string[];
  scopes: string[];
}

/** A Server-to-Server caller of /v2 in one account, logging each step. */
class Caller {
  readonly steps: Step[] = [];
  private token = '';
  constructor(
    private readonly target: ControlTarget,
    private readonly term: Terminal,
    private readonly quiet: boolean,
  ) {}

  async raw(method: string, path: string, init: { headers?: Record<string, string>; body?: string }) {
    let res: Response;
    try {
      res = await fetch(`${this.target.url}${path}`, {
        method,
        ...init,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      throw unreachable(this.target, cause);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    if (!res.ok) {
      const what =
        typeof body.message === 'string'
          ? `(code ${body.code}): ${body.message}`
          : typeof body.reason === 'string'
            ? `${body.error}: ${body.reason}`
            : text.slice(0, 200);
      throw new ControlError(
        `${method} ${path.split('?')[0]} answered ${res.status} ${what}`,
        'Zemu refused the operation behind the event; `zemu requests --status 4xx` shows why.',
        { kind: 'api', status: res.status, ...(typeof body.code === 'number' ? { code: body.code } : {}) },
      );
    }
    return { status: res.status, body };
  }

  log(step: Step) {
    this.steps.push(step);
    if (!this.quiet)
      this.term.line(
        `  ${step.method.padEnd(6)} ${step.path.split('?')[0]}  ${this.term.paint.status(step.status)}  ${step.did}`,
      );
  }

  async signIn(accountId: string, clientId: string, clientSecret: string) {
    const res = await this.raw(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${encodeURIComponent(accountId)}`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      },
    );
    this.token = String(res.body.access_token);
  }

  async api(method: string, path: string, body: unknown, did: (answer: Record<string, unknown>) => string) {
    const res = await this.raw(method, `/v2${path}`, {
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    this.log({ method, path: `/v2${path}`, status: res.status, did: did(res.body) });
    return res.body;
  }
}

export function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .argument('[event]', 'the event to emit, e.g. user.created (see --list)')
    .description('make the Zemu at ZEMU_URL emit an event by performing the real operation behind it')
    .option('--list', 'list the events Zemu sends and what trigger does for each')
    .option('--account <accountId>', "the account it happens in (default: the app's, else the demo account)")
    .option(
      '--app <clientId>',
      'the app whose account it happens in; for app_deauthorized, the app deauthorized',
    )
    .option('--client-secret <secret>', 'app_deauthorized: the secret of --app (env ZOOM_CLIENT_SECRET)')
    .option('--user <userId>', 'app_deauthorized: the user who authorizes (default: the account owner)')
    .option('--json', 'print what was done as one JSON object')
    .action(
      action<[string | undefined]>(async ({ term, target, opts }, event) => {
        if (opts.list) {
          for (const name of ZOOM_EVENTS) {
            if (opts.json) term.json({ event: name, does: TRIGGERS[name] });
            else term.line(`${term.paint.bold(name.padEnd(26))}${TRIGGERS[name]}`);
          }
          return EXIT.ok;
        }
        if (!event) throw new UsageError('name the event to trigger', '`zemu trigger --list` lists them.');
        if (!ZOOM_EVENTS.includes(event as ZoomEventName))
          throw new UsageError(
            `Zemu does not send "${event}"`,
            `Events: ${ZOOM_EVENTS.join(', ')} (\`zemu trigger --list\`).`,
          );
        return trigger(term, target, opts, event as ZoomEventName);
      }),
    );
}

async function trigger(
  term: Terminal,
  target: ControlTarget,
  opts: Record<string, unknown>,
  event: ZoomEventName,
): Promise<number> {
  const json = Boolean(opts.json);
  const app = opts.app
    ? await control<AppView>(target, 'GET', `/apps/${encodeURIComponent(String(opts.app))}`)
    : undefined;
  const accountId =
    (opts.account as string | undefined) ??
    app?.account_id ??
    (await demoOf(target, '--account or --app')).account_id;
  const account = await control<{ id: string; owner: { id: string; email: string } | null }>(
    target,
    'GET',
    `/accounts/${encodeURIComponent(accountId)}`,
  );
  if (!account.owner) throw new UsageError(`account ${accountId} has no owner to act as`);
  const caller = new Caller(target, term, json);
  if (!json) term.line(`Triggering ${term.paint.bold(event)} in account ${accountId}:`);

  if (event === 'app_deauthorized') {
    await deauthorize(caller, target, opts, app, account.owner.id);
  } else {
    const cleanup = await signInTo(caller, target, accountId);
    try {
      await perform(caller, target, event, account.owner.id);
    } finally {
      await cleanup();
    }
  }
  if (json) term.json({ event, account_id: accountId, steps: caller.steps });
  else
    term.line(
      `Emitted ${event}. Zemu delivers it to the subscriptions that list it (\`zemu listen\` receives it).`,
    );
  return EXIT.ok;
}

/** A token in the account: the demo app's in the demo account, else a temporary S2S app's (removed after). */
async function signInTo(
  caller: Caller,
  target: ControlTarget,
  accountId: string,
): Promise<() => Promise<void>> {
  const demo = await control<{ account_id: string; client_id: string; client_secret: string }>(
    target,
    'GET',
    '/demo',
  ).catch(() => undefined);
  if (demo && demo.account_id === accountId) {
    await caller.signIn(accountId, demo.client_id, demo.client_secret);
    return async () => {};
  }
  const temp = await control<{ client_id: string; client_secret: string }>(
    target,
    'POST',
    `/accounts/${encodeURIComponent(accountId)}/apps`,
    {
      name: 'zemu trigger (temporary)',
      type: 'server_to_server',
      scopes: [...ALL_USER_SCOPES_GRANULAR, ...ALL_MEETING_SCOPES_GRANULAR],
    },
  );
  caller.log({
    method: 'POST',
    path: `/_zemu/accounts/${accountId}/apps`,
    status: 201,
    did: `temporary Server-to-Server app ${temp.client_id} to act in the account`,
  });
  const remove = async () => {
    await control(target, 'DELETE', `/apps/${encodeURIComponent(temp.client_id)}`);
    caller.log({
      method: 'DELETE',
      path: `/_zemu/apps/${temp.client_id}`,
      status: 204,
      did: 'temporary app removed',
    });
  };
  try {
    await caller.signIn(accountId, temp.client_id, temp.client_secret);
  } catch (error) {
    await remove();
    throw error;
  }
  return remove;
}

async function perform(caller: Caller, target: ControlTarget, event: ZoomEventName, ownerId: string) {
  const newUser = async (action: 'custCreate' | 'create' | 'autoCreate' = 'custCreate') => {
    const email = `trigger-${randomBytes(4).toString('hex')}@trigger.zemu.test`;
    const info: Record<string, unknown> = { email, type: 1, first_name: 'Trigger', last_name: 'User' };
    if (action === 'autoCreate') info.password = `Trigger-${randomBytes(6).toString('hex')}-9`;
    const user = await caller.api(
      'POST',
      '/users',
      { action, user_info: info },
      (u) => `${action === 'create' ? 'invited' : 'created'} user ${u.id} (${email})`,
    );
    return String(user.id);
  };
  const setStatus = (id: string, action: 'activate' | 'deactivate') =>
    caller.api('PUT', `/users/${id}/status`, { action }, () => `${action}d user ${id}`);
  const newMeeting = async (settings?: Record<string, unknown>) => {
    const clock = await control<{ epoch_ms: number }>(target, 'GET', '/clock');
    const meeting = await caller.api(
      'POST',
      `/users/${ownerId}/meetings`,
      {
        topic: 'zemu trigger',
        type: 2,
        start_time: new Date(clock.epoch_ms + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        duration: 30,
        ...(settings ? { settings } : {}),
      },
      (m) => `created meeting ${m.id} "${m.topic}" for ${ownerId}`,
    );
    return String(meeting.id);
  };
  /** The meeting's host joins it, which starts it; the participant's id. */
  const hostJoins = async (id: string) => {
    const joined = await control<{ id: string }>(target, 'POST', `/meetings/${id}/participants`, {
      user_id: ownerId,
    });
    caller.log({
      method: 'POST',
      path: `/_zemu/meetings/${id}/participants`,
      status: 201,
      did: `the host joined meeting ${id}, which started it`,
    });
    return joined.id;
  };
  switch (event) {
    case 'user.created':
      await newUser();
      return;
    case 'user.updated': {
      const id = await newUser();
      await caller.api('PATCH', `/users/${id}`, { job_title: 'Triggered' }, () => `set job_title of ${id}`);
      return;
    }
    case 'user.deleted': {
      const id = await newUser();
      await caller.api('DELETE', `/users/${id}?action=delete`, undefined, () => `deleted user ${id}`);
      return;
    }
    case 'user.disassociated': {
      const id = await newUser('autoCreate');
      await caller.api(
        'DELETE',
        `/users/${id}?action=disassociate`,
        undefined,
        () => `disassociated user ${id}`,
      );
      return;
    }
    case 'user.deactivated':
      await setStatus(await newUser(), 'deactivate');
      return;
    case 'user.activated': {
      const id = await newUser();
      await setStatus(id, 'deactivate');
      await setStatus(id, 'activate');
      return;
    }
    case 'user.invitation_accepted': {
      const id = await newUser('create');
      await control(target, 'POST', `/users/${encodeURIComponent(id)}/accept-invitation`);
      caller.log({
        method: 'POST',
        path: `/_zemu/users/${id}/accept-invitation`,
        status: 200,
        did: `user ${id} accepted the invitation`,
      });
      return;
    }
    case 'user.settings_updated': {
      const id = await newUser();
      await caller.api(
        'PATCH',
        `/users/${id}/settings`,
        { schedule_meeting: { host_video: true } },
        () => `set schedule_meeting.host_video of ${id}`,
      );
      return;
    }
    case 'meeting.created':
      await newMeeting();
      return;
    case 'meeting.updated': {
      const id = await newMeeting();
      await caller.api(
        'PATCH',
        `/meetings/${id}`,
        { topic: 'zemu trigger (updated)' },
        () => `renamed meeting ${id}`,
      );
      return;
    }
    case 'meeting.deleted': {
      const id = await newMeeting();
      await caller.api('DELETE', `/meetings/${id}`, undefined, () => `deleted meeting ${id}`);
      return;
    }
    case 'meeting.started':
    case 'meeting.participant_joined':
      await hostJoins(await newMeeting());
      return;
    case 'meeting.ended': {
      const id = await newMeeting();
      await hostJoins(id);
      await caller.api('PUT', `/meetings/${id}/status`, { action: 'end' }, () => `ended meeting ${id}`);
      return;
    }
    case 'meeting.participant_left': {
      const id = await newMeeting();
      const participant = await hostJoins(id);
      await control(target, 'DELETE', `/meetings/${id}/participants/${participant}`);
      caller.log({
        method: 'DELETE',
        path: `/_zemu/meetings/${id}/participants/${participant}`,
        status: 204,
        did: `the host left meeting ${id}, which ended it`,
      });
      return;
    }
    case 'meeting.registration_created':
    case 'meeting.registration_approved':
    case 'meeting.registration_denied':
    case 'meeting.registration_cancelled': {
      const manual = event === 'meeting.registration_approved' || event === 'meeting.registration_denied';
      const id = await newMeeting({ approval_type: manual ? 1 : 0 });
      const registrant = await caller.api(
        'POST',
        `/meetings/${id}/registrants`,
        { email: 'registrant@zemu-trigger.test', first_name: 'Reggie', last_name: 'Strant' },
        (r) => `registered registrant ${r.registrant_id} for meeting ${id}`,
      );
      if (event === 'meeting.registration_created') return;
      const action = { approved: 'approve', denied: 'deny', cancelled: 'cancel' }[
        event.slice('meeting.registration_'.length) as 'approved' | 'denied' | 'cancelled'
      ];
      await caller.api(
        'PUT',
        `/meetings/${id}/registrants/status`,
        { action, registrants: [{ id: registrant.registrant_id }] },
        () => `${action} registrant ${registrant.registrant_id}`,
      );
      return;
    }
    case 'recording.completed':
    case 'recording.trashed':
    case 'recording.deleted':
    case 'recording.recovered': {
      const id = await newMeeting({ auto_recording: 'cloud' });
      await hostJoins(id);
      await caller.api('PUT', `/meetings/${id}/status`, { action: 'end' }, () => `ended meeting ${id}`);
      if (event === 'recording.completed') return;
      const action = event === 'recording.deleted' ? 'delete' : 'trash';
      await caller.api(
        'DELETE',
        `/meetings/${id}/recordings?action=${action}`,
        undefined,
        () => `${action === 'delete' ? 'deleted' : 'trashed'} the recording of meeting ${id}`,
      );
      if (event !== 'recording.recovered') return;
      const past = await caller.api(
        'GET',
        `/past_meetings/${id}`,
        undefined,
        () => `read meeting ${id}'s uuid`,
      );
      const uuid = encodeURIComponent(encodeURIComponent(String(past.uuid)));
      await caller.api(
        'PUT',
        `/meetings/${uuid}/recordings/status`,
        { action: 'recover' },
        () => `recovered the recording of meeting ${id}`,
      );
      return;
    }
    case 'app_deauthorized':
      throw new Error('handled by deauthorize()');
  }
}

/** app_deauthorized goes only to the app it names: authorize that app for a user, then revoke. */
async function deauthorize(
  caller: Caller,
  target: ControlTarget,
  opts: Record<string, unknown>,
  app: AppView | undefined,
  ownerId: string,
) {
  const secret = (opts.clientSecret as string | undefined) ?? process.env.ZOOM_CLIENT_SECRET;
  if (!app || !secret)
    throw new UsageError(
      'app_deauthorized is sent only to the app deauthorized: give --app CLIENT_ID and --client-secret (or ZOOM_CLIENT_SECRET) of a user-managed OAuth app',
      'Create one with `zemu apps create --type oauth_user --scopes user:read:user --redirect-uri http://localhost/cb`.',
    );
  if (app.type !== 'oauth_user' && app.type !== 'oauth_account')
    throw new UsageError(
      `app ${app.client_id} is a ${app.type} app: users do not authorize it, so it is never deauthorized`,
    );
  const redirectUri = app.redirect_uris[0];
  if (!redirectUri) throw new UsageError(`app ${app.client_id} has no redirect URI to authorize with`);
  const user = (opts.user as string | undefined) ?? ownerId;
  const approved = await control<{ redirect_to: string }>(target, 'POST', '/oauth/approve', {
    client_id: app.client_id,
    user,
    redirect_uri: redirectUri,
  });
  const redirect = new URL(approved.redirect_to);
  const code = redirect.searchParams.get('code');
  if (!code)
    throw new ControlError(
      `the consent was refused: ${redirect.searchParams.get('error') ?? 'no code'} ${redirect.searchParams.get('error_description') ?? ''}`.trim(),
      'Check that the user belongs to the account and the app may be authorized by them.',
      { kind: 'api', status: 400 },
    );
  caller.log({
    method: 'POST',
    path: '/_zemu/oauth/approve',
    status: 200,
    did: `user ${user} approved ${app.client_id}`,
  });
  const basic = `Basic ${Buffer.from(`${app.client_id}:${secret}`).toString('base64')}`;
  const form = (params: Record<string, string>) => ({
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const tokens = await caller.raw(
    'POST',
    '/oauth/token',
    form({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
  );
  caller.log({
    method: 'POST',
    path: '/oauth/token',
    status: tokens.status,
    did: 'exchanged the code for tokens',
  });
  const revoked = await caller.raw(
    'POST',
    '/oauth/revoke',
    form({ token: String(tokens.body.access_token) }),
  );
  caller.log({
    method: 'POST',
    path: '/oauth/revoke',
    status: revoked.status,
    did: `revoked ${user}'s authorization`,
  });
}
