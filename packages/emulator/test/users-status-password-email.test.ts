import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../src/context.js';
import { issuedUserToken, recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec } from './spec.js';

const REDIRECT = 'https://app.example.com/callback';

describe('PUT /v2/users/{userId}/status, /password, /email and GET /v2/users/email', () => {
  let z: TestZemu;
  let ctx: Ctx;
  let token: string;
  let userApp: { client_id: string };
  let accountApp: { client_id: string };
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
    token = await z.s2sToken();
    userApp = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'user app',
        type: 'oauth_user',
        scopes: ['user:read:user', 'user:update:email', 'user:update:password'],
        redirect_uris: [REDIRECT],
      })
    ).body;
    accountApp = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'account app',
        type: 'oauth_account',
        scopes: ['user:update:email:admin', 'user:update:password:admin'],
      })
    ).body;
  });
  after(() => z.close());

  const mkUser = async (input: Record<string, unknown>) => {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, input);
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const userToken = async (userId: string, scopes = ['user:read:user'], app = userApp) =>
    issuedUserToken(z, { clientId: app.client_id, userId, scopes });

  /** Signs in on the consent page as a browser would; true when Zemu redirects back with a code. */
  async function consentSignIn(email: string, password: string): Promise<boolean> {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: userApp.client_id,
      redirect_uri: REDIRECT,
    });
    const page = await fetch(`${z.url}/oauth/authorize?${query}`);
    const html = await page.text();
    assert.equal(page.status, 200, html);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await fetch(`${z.url}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...Object.fromEntries(query),
        csrf_token: csrf,
        email,
        password,
        decision: 'approve',
      }).toString(),
    });
    await res.text();
    return res.status === 302 && (res.headers.get('location') ?? '').includes('code=');
  }

  describe('status', () => {
    test('deactivate: 204, status inactive, its tokens answer 124; activate restores them; events recorded', async () => {
      const id = await mkUser({ email: 'sleepy@demo.zemu.test', first_name: 'Sleepy' });
      const own = await userToken(id);
      const off = await z.api('PUT', `/users/${id}/status`, token, { action: 'deactivate' });
      assert.equal(off.status, 204, off.text);
      assert.equal(off.text, '');
      assert.equal((await z.api('GET', `/users/${id}`, token)).body.status, 'inactive');
      const refused = await z.api('GET', '/users/me', own);
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, { code: 124, message: 'Invalid access token.' });
      const listed = await z.api('GET', '/users?status=inactive', token);
      assert.ok(listed.body.users.some((u: { id: string }) => u.id === id));
      const on = await z.api('PUT', `/users/${id}/status`, token, { action: 'activate' });
      assert.equal(on.status, 204);
      assert.equal((await z.api('GET', '/users/me', own)).status, 200);
      const deactivated = await recordedEvents(z, 'user.deactivated');
      const activated = await recordedEvents(z, 'user.activated');
      assert.deepEqual(deactivated.at(-1)!.payload.object, {
        id,
        first_name: 'Sleepy',
        last_name: '',
        email: 'sleepy@demo.zemu.test',
        type: 1,
      });
      assert.equal(activated.at(-1)!.payload.object.id, id);
      assert.equal(activated.at(-1)!.payload.operator_id, z.demo.user_id);
      // Activating an active user changes nothing and records nothing.
      assert.equal((await z.api('PUT', `/users/${id}/status`, token, { action: 'activate' })).status, 204);
      assert.equal((await recordedEvents(z, 'user.activated')).length, activated.length);
    });

    test('owner and admins: 400 200; pending users and bad actions: 300; unknown 1001; scope 4711', async () => {
      const owner = await z.api('PUT', `/users/${z.demo.user_id}/status`, token, { action: 'deactivate' });
      assert.equal(owner.status, 400);
      assert.deepEqual(owner.body, {
        code: 200,
        message: "Zoom Room and Admin users' status cannot be activated or deactivated.",
      });
      const admin = await mkUser({ email: 'status-admin@demo.zemu.test', role_id: '1' });
      assert.equal(
        (await z.api('PUT', `/users/${admin}/status`, token, { action: 'deactivate' })).body.code,
        200,
      );
      const pending = await mkUser({ email: 'status-pending@demo.zemu.test', status: 'pending' });
      const p = await z.api('PUT', `/users/${pending}/status`, token, { action: 'deactivate' });
      assert.equal(p.status, 400);
      assert.equal(p.body.code, 300);
      assert.equal((await z.api('GET', `/users/${pending}`, token)).body.status, 'pending');
      const bad = await z.api('PUT', `/users/${admin}/status`, token, { action: 'pause' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.message, 'Validation Failed.');
      assert.equal(bad.body.errors[0].field, 'action');
      const missing = await z.api('PUT', '/users/nobody/status', token, { action: 'activate' });
      assert.deepEqual(missing.body, { code: 1001, message: 'User does not exist: nobody.' });
      const t = await s2s(z, ['user:read:user:admin']);
      const id = await mkUser({ email: 'status-scope@demo.zemu.test' });
      const noScope = await z.api('PUT', `/users/${id}/status`, t, { action: 'deactivate' });
      assert.equal(noScope.body.code, 4711);
      assert.equal(
        noScope.body.message,
        'Invalid access token, does not contain scopes:[user:update:status, user:update:status:admin].',
      );
      assert.equal((await z.api('GET', `/users/${id}`, token)).body.status, 'active');
    });
  });

  describe('password', () => {
    test('204; stored with scrypt; the consent page signs in with the new password only', async () => {
      const id = await mkUser({ email: 'pw@demo.zemu.test', password: 'old-password-1' });
      assert.equal(await consentSignIn('pw@demo.zemu.test', 'old-password-1'), true);
      const res = await z.api('PUT', `/users/${id}/password`, token, { password: 'new-password-2' });
      assert.equal(res.status, 204, res.text);
      assertMatchesSpec('PUT', '/users/{userId}/password', res);
      const stored = await ctx.store.users.findById(id);
      assert.match(stored!.passwordHash ?? '', /^scrypt\$/);
      assert.equal(await consentSignIn('pw@demo.zemu.test', 'new-password-2'), true);
      assert.equal(await consentSignIn('pw@demo.zemu.test', 'old-password-1'), false);
    });

    test("the account's rules: 1124 length, 1125 letter, 1126 number, 300 same as old; nothing changes", async () => {
      const id = await mkUser({ email: 'rules@demo.zemu.test', password: 'keep-this-1' });
      const cases: [string, number, string][] = [
        ['abc12', 1124, 'Have at least 8 characters'],
        ['12345678', 1125, 'Have at least 1 letter (a, b, c…)'],
        ['abcdefgh', 1126, 'Have at least 1 number (1, 2, 3…)'],
        ['keep-this-1', 300, 'Your new password can not match the old password.'],
      ];
      for (const [password, code, message] of cases) {
        const res = await z.api('PUT', `/users/${id}/password`, token, { password });
        assert.equal(res.status, 400, password);
        assert.deepEqual(res.body, { code, message });
      }
      const long = await z.api('PUT', `/users/${id}/password`, token, { password: `a1${'x'.repeat(30)}` });
      assert.equal(long.status, 400);
      assert.equal(long.body.message, 'Validation Failed.');
      assert.equal(long.body.errors[0].field, 'password');
      const missing = await z.api('PUT', `/users/${id}/password`, token, {});
      assert.equal(missing.body.errors[0].field, 'password');
      assert.equal(await consentSignIn('rules@demo.zemu.test', 'keep-this-1'), true);
    });

    test('1123 for users without a Zoom work-email sign-in; 1117 for another admin; 1001; 4711', async () => {
      const sso = await mkUser({ email: 'pw-sso@demo.zemu.test', action: 'ssoCreate' });
      const res = await z.api('PUT', `/users/${sso}/password`, token, { password: 'abcdefg1' });
      assert.deepEqual(res.body, {
        code: 1123,
        message: 'Can only update password of Zoom work email account',
      });
      const api = await mkUser({ email: 'pw-api@demo.zemu.test', action: 'custCreate' });
      const apiRes = await z.api('PUT', `/users/${api}/password`, token, { password: 'abcdefg1' });
      assert.equal(apiRes.body.code, 1123);
      const admin = await mkUser({
        email: 'pw-admin@demo.zemu.test',
        role_id: '1',
        password: 'admin-pass-1',
      });
      const other = await mkUser({ email: 'pw-admin2@demo.zemu.test', role_id: '1' });
      const adminToken = await userToken(admin, ['user:update:password:admin'], accountApp);
      const refused = await z.api('PUT', `/users/${other}/password`, adminToken, { password: 'abcdefg1' });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, { code: 1117, message: "Can not update Admin's password" });
      // The owner (the S2S app's user) may.
      assert.equal(
        (await z.api('PUT', `/users/${other}/password`, token, { password: 'abcdefg1' })).status,
        204,
      );
      assert.equal(
        (await z.api('PUT', '/users/nobody/password', token, { password: 'abcdefg1' })).body.code,
        1001,
      );
      const t = await s2s(z, ['user:update:email:admin']);
      const noScope = await z.api('PUT', `/users/${admin}/password`, t, { password: 'abcdefg1' });
      assert.equal(noScope.body.code, 4711);
      assert.equal(await consentSignIn('pw-admin@demo.zemu.test', 'admin-pass-1'), true);
    });
  });

  describe('email', () => {
    test('204; GET by the new address; user.updated with old and new; the old address is free', async () => {
      const id = await mkUser({ email: 'before@demo.zemu.test' });
      const res = await z.api('PUT', `/users/${id}/email`, token, { email: 'After@Demo.zemu.test' });
      assert.equal(res.status, 204, res.text);
      assertMatchesSpec('PUT', '/users/{userId}/email', res);
      const got = await z.api('GET', '/users/after@demo.zemu.test', token);
      assert.equal(got.body.id, id);
      assert.equal(got.body.email, 'after@demo.zemu.test');
      assert.equal((await z.api('GET', '/users/before@demo.zemu.test', token)).status, 404);
      const event = (await recordedEvents(z, 'user.updated')).at(-1)!;
      assert.deepEqual(event.payload.object, { id, email: 'after@demo.zemu.test' });
      assert.deepEqual(event.payload.old_object, { id, email: 'before@demo.zemu.test' });
    });

    test('a used address is 409 1005; bad ones 300; members may not (200); admins not on admins (1000)', async () => {
      const id = await mkUser({ email: 'mail@demo.zemu.test' });
      const used = await z.api('PUT', `/users/${id}/email`, token, { email: z.demo.email });
      assert.equal(used.status, 409);
      assert.deepEqual(used.body, { code: 1005, message: `Email ${z.demo.email} has already been used.` });
      for (const email of ['nope', 42, undefined, `${'x'.repeat(120)}@demo.zemu.test`]) {
        const bad = await z.api('PUT', `/users/${id}/email`, token, { email });
        assert.equal(bad.status, 400, String(email));
        assert.deepEqual(bad.body.errors, [{ field: 'email', message: 'Invalid field.' }]);
      }
      const member = await userToken(id, ['user:update:email']);
      const self = await z.api('PUT', '/users/me/email', member, { email: 'mine@demo.zemu.test' });
      assert.deepEqual(self.body, { code: 200, message: 'Only an account administrator can change email.' });
      const admin = await mkUser({ email: 'mail-admin@demo.zemu.test', role_id: '1' });
      const adminToken = await userToken(admin, ['user:update:email:admin'], accountApp);
      const onOwner = await z.api('PUT', `/users/${z.demo.user_id}/email`, adminToken, {
        email: 'boss@demo.zemu.test',
      });
      assert.deepEqual(onOwner.body, { code: 1000, message: "Admin can not change other admin's email." });
      assert.equal((await z.api('GET', `/users/${id}`, token)).body.email, 'mail@demo.zemu.test');
      assert.equal((await z.api('GET', `/users/${z.demo.user_id}`, token)).body.email, z.demo.email);
      assert.equal((await z.api('PUT', '/users/nobody/email', token, { email: 'a@b.test' })).body.code, 1001);
      const t = await s2s(z, ['user:read:user:admin']);
      assert.equal((await z.api('PUT', `/users/${id}/email`, t, { email: 'a@b.test' })).body.code, 4711);
    });
  });

  describe('GET /users/email', () => {
    test('true for a work-email user of the account, false for SSO users, other accounts and strangers', async () => {
      const res = await z.api('GET', `/users/email?email=${encodeURIComponent(z.demo.email)}`, token);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { existed_email: true });
      assertMatchesSpec('GET', '/users/email', res);
      await mkUser({ email: 'check-sso@demo.zemu.test', action: 'ssoCreate' });
      const sso = await z.api('GET', '/users/email?email=check-sso@demo.zemu.test', token);
      assert.deepEqual(sso.body, { existed_email: false });
      const other = await z.control('POST', '/accounts', { owner: { email: 'owner@elsewhere.test' } });
      assert.equal(other.status, 201);
      const foreign = await z.api('GET', '/users/email?email=owner@elsewhere.test', token);
      assert.deepEqual(foreign.body, { existed_email: false });
      const stranger = await z.api('GET', '/users/email?email=who@nowhere.test', token);
      assert.deepEqual(stranger.body, { existed_email: false });
    });

    test('no email is 300 "Email is required."; a token without the scope is 4711', async () => {
      for (const q of ['', '?email=']) {
        const res = await z.api('GET', `/users/email${q}`, token);
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, { code: 300, message: 'Email is required.' });
      }
      const t = await s2s(z, ['user:read:user:admin']);
      const res = await z.api('GET', `/users/email?email=${z.demo.email}`, t);
      assert.deepEqual(res.body, {
        code: 4711,
        message: 'Invalid access token, does not contain scopes:[user:read:email, user:read:email:admin].',
      });
    });
  });
});
