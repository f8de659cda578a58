import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../src/context.js';
import { issuedUserToken, recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec } from './spec.js';

describe('DELETE /v2/users/{userId} and DELETE /v2/users/{userId}/token', () => {
  let z: TestZemu;
  let ctx: Ctx;
  let token: string;
  let userApp: string;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
    token = await z.s2sToken();
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'user app',
      type: 'oauth_user',
      scopes: ['user:read:user'],
    });
    userApp = app.body.client_id;
  });
  after(() => z.close());

  const mkUser = async (input: Record<string, unknown>) => {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, input);
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const userToken = async (userId: string) =>
    issuedUserToken(z, { clientId: userApp, userId, scopes: ['user:read:user'] });

  test('action=delete: 204, the user is gone, its tokens answer 124, user.deleted is recorded', async () => {
    const id = await mkUser({ email: 'gone@demo.zemu.test', first_name: 'Gone', last_name: 'Soon' });
    const own = await userToken(id);
    assert.equal((await z.api('GET', '/users/me', own)).status, 200);
    const res = await z.api('DELETE', `/users/${id}?action=delete`, token);
    assert.equal(res.status, 204, res.text);
    assertMatchesSpec('DELETE', '/users/{userId}', res);
    assert.equal((await z.api('GET', `/users/${id}`, token)).body.code, 1001);
    const after = await z.api('GET', '/users/me', own);
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 124);
    const events = await recordedEvents(z, 'user.deleted');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.payload, {
      account_id: z.demo.account_id,
      operator: z.demo.email,
      operator_id: z.demo.user_id,
      object: { id, first_name: 'Gone', last_name: 'Soon', email: 'gone@demo.zemu.test', type: 1 },
    });
    // The address is free again (Zoom: "Users can create a new Zoom account using the same email").
    const again = await z.api('POST', '/users', token, {
      action: 'custCreate',
      user_info: { email: 'gone@demo.zemu.test', type: 1 },
    });
    assert.equal(again.status, 201, again.text);
  });

  test('disassociate (the default): the user leaves for a free account of its own; tokens and ZAKs stop working', async () => {
    const id = await mkUser({ email: 'leaver@demo.zemu.test', type: 2 });
    const own = await userToken(id);
    const zak = (await z.api('GET', `/users/${id}/token?type=zak`, token)).body.token as string;
    const user = await ctx.store.users.findById(id);
    assert.equal((await ctx.zaks.check(zak, user!)).ok, true);
    const res = await z.api('DELETE', `/users/${id}`, token);
    assert.equal(res.status, 204, res.text);
    assert.equal((await z.api('GET', `/users/${id}`, token)).status, 404);
    assert.equal((await z.api('GET', '/users/me', own)).status, 401);
    const moved = await ctx.store.users.findById(id);
    assert.ok(moved);
    assert.notEqual(moved.accountId, z.demo.account_id);
    assert.equal(moved.roleId, '0');
    assert.equal(moved.type, 1);
    const account = await z.control('GET', `/accounts/${moved.accountId}`);
    assert.equal(account.body.plan, 'free');
    assert.equal(account.body.owner.id, id);
    const check = await ctx.zaks.check(zak, moved);
    assert.equal(check.ok, false);
    const events = await recordedEvents(z, 'user.disassociated');
    assert.deepEqual(events.at(-1)!.payload.object, {
      id,
      first_name: '',
      last_name: '',
      email: 'leaver@demo.zemu.test',
      type: 2,
    });
  });

  test('a pending user goes only by disassociate (the invitation is withdrawn)', async () => {
    const id = await mkUser({ email: 'invitee@demo.zemu.test', status: 'pending' });
    const refused = await z.api('DELETE', `/users/${id}?action=delete`, token);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, {
      code: 300,
      message: 'To delete a pending user in the account, use `disassociate`.',
    });
    assert.equal((await z.api('GET', `/users/${id}`, token)).body.status, 'pending');
    assert.equal((await z.api('DELETE', `/users/${id}?action=disassociate`, token)).status, 204);
    assert.equal(await ctx.store.users.findById(id), undefined);
  });

  test('the owner cannot be deleted (200); an admin cannot be disassociated (1117) but can be deleted', async () => {
    for (const action of ['delete', 'disassociate']) {
      const res = await z.api('DELETE', `/users/${z.demo.user_id}?action=${action}`, token);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: 200, message: 'Cannot delete the account owner.' });
    }
    const admin = await mkUser({ email: 'admin@demo.zemu.test', role_id: '1' });
    const res = await z.api('DELETE', `/users/${admin}`, token);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 1117, message: 'You can not disassociate an Admin user.' });
    assert.equal((await z.api('GET', `/users/${admin}`, token)).status, 200);
    assert.equal((await z.api('DELETE', `/users/${admin}?action=delete`, token)).status, 204);
  });

  test('API users (custCreate) cannot be unlinked: 300', async () => {
    const created = await z.api('POST', '/users', token, {
      action: 'custCreate',
      user_info: { email: 'apiuser@demo.zemu.test', type: 1 },
    });
    const res = await z.api('DELETE', `/users/${created.body.id}`, token);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 300, message: 'Unable to unlink API user(s).' });
    assert.equal((await z.api('DELETE', `/users/${created.body.id}?action=delete`, token)).status, 204);
  });

  test('transfer_email: its own address is 300, an address outside the account 1001, another active user works', async () => {
    const id = await mkUser({ email: 'donor@demo.zemu.test' });
    const self = await z.api(
      'DELETE',
      `/users/${id}?action=delete&transfer_email=donor@demo.zemu.test&transfer_meeting=true`,
      token,
    );
    assert.equal(self.status, 400);
    assert.deepEqual(self.body, {
      code: 300,
      message:
        "The transfer-to email address cannot be the same as the unlinked or deleted user's email address.",
    });
    const nobody = await z.api('DELETE', `/users/${id}?action=delete&transfer_email=no@where.test`, token);
    assert.equal(nobody.status, 404);
    assert.equal(nobody.body.code, 1001);
    const inactive = await mkUser({ email: 'sleeper@demo.zemu.test', status: 'inactive' });
    assert.ok(inactive);
    const toInactive = await z.api(
      'DELETE',
      `/users/${id}?action=delete&transfer_email=sleeper@demo.zemu.test`,
      token,
    );
    assert.equal(toInactive.status, 404);
    assert.equal((await z.api('GET', `/users/${id}`, token)).status, 200, 'still there');
    const ok = await z.api(
      'DELETE',
      `/users/${id}?action=delete&transfer_email=${encodeURIComponent(z.demo.email)}&transfer_meeting=true&transfer_recording=false`,
      token,
    );
    assert.equal(ok.status, 204, ok.text);
  });

  test("meetings: transfer_meeting=true gives them to transfer_email's user; delete removes them; disassociate keeps them with the user", async () => {
    const meeting = async (hostId: string) => {
      const res = await z.api('POST', `/users/${hostId}/meetings`, token, { topic: `of ${hostId}` });
      assert.equal(res.status, 201, res.text);
      return res.body.id as number;
    };
    const heir = await mkUser({ email: 'heiress@demo.zemu.test' });
    const giver = await mkUser({ email: 'bestower@demo.zemu.test' });
    const given = await meeting(giver);
    const res = await z.api(
      'DELETE',
      `/users/${giver}?action=delete&transfer_email=heiress@demo.zemu.test&transfer_meeting=true`,
      token,
    );
    assert.equal(res.status, 204, res.text);
    const moved = await z.api('GET', `/meetings/${given}`, token);
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.host_id, heir);
    assert.equal(moved.body.host_email, 'heiress@demo.zemu.test');

    const leaver = await mkUser({ email: 'quitter-meetings@demo.zemu.test' });
    const gone = await meeting(leaver);
    assert.equal((await z.api('DELETE', `/users/${leaver}?action=delete`, token)).status, 204);
    assert.equal((await z.api('GET', `/meetings/${gone}`, token)).body.code, 3001);

    const mover = await mkUser({ email: 'wanderer@demo.zemu.test' });
    const kept = await meeting(mover);
    assert.equal((await z.api('DELETE', `/users/${mover}`, token)).status, 204);
    const outside = await z.api('GET', `/meetings/${kept}`, token);
    assert.equal(outside.status, 404, 'the meeting left the account with its host');
    const row = await ctx.store.db
      .selectFrom('meetings' as never)
      .select(['host_id' as never, 'account_id' as never])
      .where('id' as never, '=', kept as never)
      .executeTakeFirst();
    assert.equal((row as { host_id: string } | undefined)?.host_id, mover, 'still the same host');
    assert.notEqual((row as { account_id: string } | undefined)?.account_id, z.demo.account_id);
  });

  test('bad query values are 300 with the fields; unknown users 1001; missing scope 4711', async () => {
    const id = await mkUser({ email: 'stays@demo.zemu.test' });
    const bad = await z.api('DELETE', `/users/${id}?action=erase&transfer_meeting=yes`, token);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'Validation Failed.');
    assert.deepEqual(
      bad.body.errors.map((e: { field: string }) => e.field),
      ['action', 'transfer_meeting'],
    );
    const badEmail = await z.api('DELETE', `/users/${id}?transfer_email=nope`, token);
    assert.equal(badEmail.status, 400);
    assert.deepEqual(
      badEmail.body.errors.map((e: { field: string }) => e.field),
      ['transfer_email'],
    );
    const missing = await z.api('DELETE', '/users/nobody@demo.zemu.test', token);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { code: 1001, message: 'User does not exist: nobody@demo.zemu.test.' });
    const t = await s2s(z, ['user:read:user:admin']);
    const noScope = await z.api('DELETE', `/users/${id}`, t);
    assert.equal(noScope.status, 400);
    assert.deepEqual(noScope.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:delete:user, user:delete:user:admin].',
    });
    assert.equal((await z.api('GET', `/users/${id}`, token)).status, 200);
    assert.equal(
      (await recordedEvents(z, 'user.deleted')).some((e) => e.payload.object.id === id),
      false,
    );
  });

  test('DELETE /users/{userId}/token: 204; the ZAKs issued before stop working, new ones work', async () => {
    const id = await mkUser({ email: 'sso@demo.zemu.test', action: 'ssoCreate' });
    const zak = (await z.api('GET', `/users/${id}/token?type=zak`, token)).body.token as string;
    const res = await z.api('DELETE', `/users/${id}/token`, token);
    assert.equal(res.status, 204, res.text);
    assertMatchesSpec('DELETE', '/users/{userId}/token', res);
    const user = await ctx.store.users.findById(id);
    const check = await ctx.zaks.check(zak, user!);
    assert.equal(check.ok, false);
    assert.equal(check.ok === false && check.reason, 'revoked');
    const fresh = (await z.api('GET', `/users/${id}/token?type=zak`, token)).body.token as string;
    assert.equal((await ctx.zaks.check(fresh, user!)).ok, true);
    assert.equal((await z.api('DELETE', '/users/nobody/token', token)).body.code, 1001);
    const t = await s2s(z, ['user:read:token:admin']);
    const noScope = await z.api('DELETE', `/users/${id}/token`, t);
    assert.equal(noScope.body.code, 4711);
    assert.equal(
      noScope.body.message,
      'Invalid access token, does not contain scopes:[user:delete:token, user:delete:token:admin].',
    );
    assert.equal((await ctx.zaks.check(fresh, (await ctx.store.users.findById(id))!)).ok, true);
  });
});
