/**
 * The users resource's writes against a live Zemu: update, delete, status, password, email, e-mail
 * check, settings and token revocation; and the error classes a live server produces for them,
 * including 403 (shared access) and invalid_grant (a rotated refresh token used again).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type UserOAuth,
  ZoomApiError,
  ZoomClient,
  ZoomConflictError,
  ZoomInvalidGrantError,
  ZoomMissingScopeError,
  ZoomNotFoundError,
  ZoomPermissionError,
  ZoomValidationError,
} from '@zemu/client';
import { type LiveZemu, liveZemu } from './helpers.js';

const REDIRECT = 'https://app.example.com/callback';

describe('users writes through @zemu/client against a live Zemu', () => {
  let z: LiveZemu;
  let zoom: ZoomClient;
  before(async () => {
    z = await liveZemu();
    zoom = z.client();
  });
  after(() => z.close());

  const mkUser = async (input: Record<string, unknown>) => {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, input);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };

  /** A user-level (authorization code) token pair for `email`, through the client's own exchange. */
  async function userClient(
    clientId: string,
    clientSecret: string,
    email: string,
  ): Promise<{ client: ZoomClient; refreshToken: string }> {
    const client = new ZoomClient({
      baseUrl: z.url,
      auth: { type: 'user', clientId, clientSecret, redirectUri: REDIRECT },
    });
    const auth = client.auth as UserOAuth;
    const a = auth.authorizationUrl();
    const challenge = new URL(a.url).searchParams.get('code_challenge') ?? '';
    assert.equal(challenge, createHash('sha256').update(a.codeVerifier).digest('base64url'));
    const approved = await z.control('POST', '/oauth/approve', {
      client_id: clientId,
      user: email,
      redirect_uri: REDIRECT,
      state: a.state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const code = new URL(approved.body.redirect_to).searchParams.get('code') ?? '';
    const tokens = await auth.exchangeCode({
      code,
      codeVerifier: a.codeVerifier,
      state: a.state,
      expectedState: a.state,
    });
    assert.ok(tokens.refreshToken);
    return { client, refreshToken: tokens.refreshToken };
  }

  test('update: the fields reach GET; bad ones are ZoomValidationError with the fields', async () => {
    const id = await mkUser({ email: 'client-update@demo.zemu.test' });
    await zoom.users.update(id, { first_name: 'Cli', dept: 'QA', pmi: 4441234567, use_pmi: true });
    const user = await zoom.users.get(id);
    assert.equal(user.first_name, 'Cli');
    assert.equal(user.dept, 'QA');
    assert.equal(user.pmi, 4441234567);
    assert.equal(user.use_pmi, true);
    await assert.rejects(
      zoom.users.update(id, { first_name: 'x'.repeat(65), host_key: '12' }),
      (e: unknown) =>
        e instanceof ZoomValidationError &&
        e.status === 400 &&
        e.errors.map((x) => x.field).join() === 'first_name,host_key',
    );
    await assert.rejects(zoom.users.update('nobody', { dept: 'x' }), ZoomNotFoundError);
  });

  test('updateStatus: deactivate then activate (204s); a deactivated user is listed as inactive', async () => {
    const id = await mkUser({ email: 'client-status@demo.zemu.test' });
    await zoom.users.updateStatus(id, 'deactivate');
    assert.equal((await zoom.users.get(id)).status, 'inactive');
    const inactive = await zoom.users.listPage({ status: 'inactive' });
    assert.ok(inactive.users?.some((u) => u.id === id));
    await zoom.users.updateStatus(id, 'activate');
    assert.equal((await zoom.users.get(id)).status, 'active');
    await assert.rejects(zoom.users.updateStatus(id, 'clock_in'), ZoomValidationError);
    await assert.rejects(
      zoom.users.updateStatus(z.demo.user_id, 'deactivate'),
      (e: unknown) => e instanceof ZoomApiError && e.status === 400 && e.code === 200,
    );
  });

  test('updatePassword: 204, then the rules as typed API errors with their codes', async () => {
    const id = await mkUser({ email: 'client-pw@demo.zemu.test', password: 'first-pass-1' });
    await zoom.users.updatePassword(id, { password: 'second-pass-2' });
    await assert.rejects(
      zoom.users.updatePassword(id, { password: 'second-pass-2' }),
      (e: unknown) => e instanceof ZoomValidationError && e.code === 300 && /match the old/.test(e.message),
    );
    await assert.rejects(
      zoom.users.updatePassword(id, { password: 'short1' }),
      (e: unknown) => e instanceof ZoomApiError && e.code === 1124,
    );
  });

  test('updateEmail and checkEmail: the new address exists, the old one not; a used one is ZoomConflictError', async () => {
    const id = await mkUser({ email: 'client-old@demo.zemu.test' });
    assert.deepEqual(await zoom.users.checkEmail('client-old@demo.zemu.test'), { existed_email: true });
    await zoom.users.updateEmail(id, { email: 'client-new@demo.zemu.test' });
    assert.deepEqual(await zoom.users.checkEmail('client-new@demo.zemu.test'), { existed_email: true });
    assert.deepEqual(await zoom.users.checkEmail('client-old@demo.zemu.test'), { existed_email: false });
    assert.equal((await zoom.users.get('client-new@demo.zemu.test')).id, id);
    await assert.rejects(
      zoom.users.updateEmail(id, { email: z.demo.email }),
      (e: unknown) => e instanceof ZoomConflictError && e.status === 409 && e.code === 1005,
    );
    await assert.rejects(zoom.users.checkEmail(''), ZoomValidationError);
  });

  test('getSettings / updateSettings: deep merge, meeting_security option, validation errors', async () => {
    const id = await mkUser({ email: 'client-settings@demo.zemu.test' });
    const before = await zoom.users.getSettings(id);
    assert.ok('schedule_meeting' in before);
    await zoom.users.updateSettings(id, {
      schedule_meeting: { host_video: true },
      in_meeting: { chat: false },
    });
    const after = (await zoom.users.getSettings(id)) as {
      schedule_meeting?: { host_video?: boolean; join_before_host?: boolean };
      in_meeting?: { chat?: boolean };
    };
    assert.equal(after.schedule_meeting?.host_video, true);
    assert.equal(after.schedule_meeting?.join_before_host, false);
    assert.equal(after.in_meeting?.chat, false);
    await zoom.users.updateSettings(
      id,
      { meeting_security: { waiting_room: false } },
      { option: 'meeting_security' },
    );
    const security = (await zoom.users.getSettings(id, { option: 'meeting_security' })) as {
      meeting_security?: { waiting_room?: boolean };
    };
    assert.equal(security.meeting_security?.waiting_room, false);
    await assert.rejects(
      zoom.users.updateSettings(id, { schedule_meeting: { host_video: 'yes' as unknown as boolean } }),
      (e: unknown) =>
        e instanceof ZoomValidationError && e.errors[0]?.field === 'schedule_meeting.host_video',
    );
  });

  test('revokeToken: 204 (the ZAKs issued before stop working on the server)', async () => {
    const id = await mkUser({ email: 'client-sso@demo.zemu.test', action: 'ssoCreate' });
    const { token } = await zoom.users.getToken(id, { type: 'zak' });
    assert.ok(token);
    await zoom.users.revokeToken(id);
    await assert.rejects(zoom.users.revokeToken('nobody'), ZoomNotFoundError);
  });

  test('delete: disassociate (default) and delete; query flags are sent as Zoom expects', async () => {
    const a = await mkUser({ email: 'client-leave@demo.zemu.test' });
    const b = await mkUser({ email: 'client-gone@demo.zemu.test' });
    await zoom.users.delete(a);
    await assert.rejects(zoom.users.get(a), ZoomNotFoundError);
    await assert.rejects(
      zoom.users.delete(b, {
        action: 'delete',
        transfer_email: 'client-gone@demo.zemu.test',
        transfer_meeting: true,
      }),
      (e: unknown) => e instanceof ZoomValidationError && /transfer-to email/.test(e.message),
    );
    await zoom.users.delete(b, { action: 'delete', transfer_email: z.demo.email, transfer_meeting: true });
    await assert.rejects(zoom.users.get(b), ZoomNotFoundError);
  });

  test('a token without the scope is ZoomMissingScopeError listing what is accepted', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'read only',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
    });
    const ro = new ZoomClient({
      baseUrl: z.url,
      auth: {
        type: 'server_to_server',
        accountId: z.demo.account_id,
        clientId: app.body.client_id,
        clientSecret: app.body.client_secret,
      },
    });
    await assert.rejects(
      ro.users.update(z.demo.user_id, { dept: 'x' }),
      (e: unknown) =>
        e instanceof ZoomMissingScopeError && e.scopes.join() === 'user:update:user,user:update:user:admin',
    );
  });

  test('403 code 3001 (a privilege without shared access) is ZoomPermissionError', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'user app',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: [REDIRECT],
    });
    const assistant = await mkUser({ email: 'client-assistant@demo.zemu.test' });
    const boss = await mkUser({ email: 'client-boss@demo.zemu.test' });
    const granted = await z.control('POST', `/users/${boss}/privileges`, {
      grantee_user_id: assistant,
      privilege: 'scheduling',
    });
    assert.equal(granted.status, 201);
    const { client } = await userClient(
      app.body.client_id,
      app.body.client_secret,
      'client-assistant@demo.zemu.test',
    );
    assert.equal((await client.users.get('me')).id, assistant);
    await assert.rejects(
      client.users.get(boss),
      (e: unknown) => e instanceof ZoomPermissionError && e.status === 403 && e.code === 3001,
    );
  });

  test('a rotated refresh token used again is ZoomInvalidGrantError; a deactivated user cannot refresh either, and works again once activated', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'rotating app',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: [REDIRECT],
    });
    const email = 'client-rotate@demo.zemu.test';
    const id = await mkUser({ email });
    const { refreshToken } = await userClient(app.body.client_id, app.body.client_secret, email);
    const auth = {
      type: 'user' as const,
      clientId: app.body.client_id,
      clientSecret: app.body.client_secret,
    };
    // A client that starts from the refresh token rotates it on its first call ...
    const first = new ZoomClient({ baseUrl: z.url, auth: { ...auth, refreshToken } });
    assert.equal((await first.users.get('me')).id, id);
    // ... so another one holding the same (now used) refresh token is refused: authorize again.
    const stale = new ZoomClient({ baseUrl: z.url, auth: { ...auth, refreshToken } });
    await assert.rejects(stale.users.get('me'), ZoomInvalidGrantError);

    const { client } = await userClient(app.body.client_id, app.body.client_secret, email);
    assert.equal((await client.users.get('me')).id, id);
    await zoom.users.updateStatus(id, 'deactivate');
    await assert.rejects(
      client.users.get('me', undefined, { maxRetries: 0 }),
      // The access token answers 124; the client refreshes once, and Zemu refuses to refresh for a
      // deactivated user, so the caller learns it must authorize again.
      ZoomInvalidGrantError,
    );
    await zoom.users.updateStatus(id, 'activate');
    assert.equal((await client.users.get('me')).id, id);
  });
});
