import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issuedUserToken, startTestZemu, type TestZemu } from './helpers.js';

describe('who may touch whom: user-level tokens, shared access, account-level tokens', () => {
  let z: TestZemu;
  let a: string;
  let b: string;
  let c: string;
  let userApp: string;
  let accountApp: string;
  before(async () => {
    z = await startTestZemu();
    const mk = async (email: string) =>
      (await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email })).body.id as string;
    a = await mk('assistant@example.com');
    b = await mk('boss@example.com');
    c = await mk('colleague@example.com');
    const app = async (type: string, scopes: string[]) =>
      (await z.control('POST', `/accounts/${z.demo.account_id}/apps`, { name: type, type, scopes })).body
        .client_id as string;
    userApp = await app('oauth_user', ['user:read:user', 'user:read']);
    accountApp = await app('oauth_account', ['user:read:user:admin', 'user:read:admin']);
  });
  after(() => z.close());

  const userToken = async (clientId: string, userId: string, scopes: string[]) =>
    issuedUserToken(z, { clientId, userId, scopes });

  test('a user-level token reaches me, and its own id or email only with self_by_id; another user is 400 4700', async () => {
    const t = await userToken(userApp, a, ['user:read:user']);
    assert.equal((await z.api('GET', '/users/me', t)).status, 200);
    // Its own id or email only with the app setting self_by_id (see fidelity.test.ts for the default).
    await z.control('PATCH', `/apps/${userApp}`, { settings: { self_by_id: true } });
    assert.equal((await z.api('GET', `/users/${a}`, t)).status, 200);
    assert.equal((await z.api('GET', '/users/assistant@example.com', t)).status, 200);
    await z.control('PATCH', `/apps/${userApp}`, { settings: { self_by_id: null } });
    const other = await z.api('GET', `/users/${b}`, t);
    assert.equal(other.status, 400);
    assert.deepEqual(other.body, {
      code: 4700,
      message: 'Invalid access token, does not contain scopes. The user is not authorized',
    });
  });

  test('a privilege without shared access is 403 3001; with shared access the token acts for the grantor only', async () => {
    const t = await userToken(userApp, a, ['user:read:user']);
    const granted = await z.control('POST', `/users/${b}/privileges`, {
      grantee_user_id: a,
      privilege: 'scheduling',
    });
    assert.equal(granted.status, 201, granted.text);
    const forbidden = await z.api('GET', `/users/${b}`, t);
    assert.equal(forbidden.status, 403);
    assert.deepEqual(forbidden.body, {
      code: 3001,
      message: 'Authenticated user has not permitted access to the targeted resource.',
    });

    const shared = await z.control('POST', `/users/${a}/shared-access`, { client_id: userApp });
    assert.equal(shared.status, 201, shared.text);
    const ok = await z.api('GET', `/users/${b}`, t);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.id, b);
    // C gave A nothing.
    assert.equal((await z.api('GET', `/users/${c}`, t)).body.code, 4700);
    // B's privilege is for A, not the other way round.
    const bt = await userToken(userApp, b, ['user:read:user']);
    assert.equal((await z.api('GET', `/users/${a}`, bt)).body.code, 4700);

    assert.equal((await z.control('DELETE', `/users/${a}/shared-access/${userApp}`)).status, 204);
    assert.equal((await z.api('GET', `/users/${b}`, t)).status, 403);
  });

  test('control API validation for privileges and shared access', async () => {
    assert.equal((await z.control('POST', `/users/${b}/privileges`, { grantee_user_id: b })).status, 400);
    assert.equal(
      (await z.control('POST', `/users/${b}/privileges`, { grantee_user_id: a, privilege: 'x' })).status,
      400,
    );
    assert.equal((await z.control('POST', '/users/nobody/privileges', { grantee_user_id: a })).status, 404);
    assert.equal(
      (await z.control('POST', `/users/${a}/shared-access`, { client_id: accountApp })).status,
      400,
    );
    assert.equal((await z.control('POST', `/users/${a}/shared-access`, {})).status, 400);
  });

  test('account-level and Server-to-Server tokens reach every user of their account, not other accounts', async () => {
    const t = await userToken(accountApp, a, ['user:read:admin']);
    assert.equal((await z.api('GET', `/users/${b}`, t)).status, 200);
    const s2s = await z.s2sToken();
    assert.equal((await z.api('GET', `/users/${c}`, s2s)).status, 200);
    const other = await z.control('POST', '/accounts', {
      name: 'Other',
      owner: { email: 'owner@other.example' },
    });
    assert.equal(other.status, 201, other.text);
    const res = await z.api('GET', `/users/${other.body.owner.id}`, t);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 1001);
    // The same answer as for a user that exists nowhere: other accounts' ids are not revealed.
    assert.deepEqual(res.body, { code: 1001, message: `User does not exist: ${other.body.owner.id}.` });
    const nowhere = await z.api('GET', '/users/no-such-user-id', t);
    assert.deepEqual(
      [nowhere.status, nowhere.body],
      [404, { code: 1001, message: 'User does not exist: no-such-user-id.' }],
    );
    const ut = await userToken(userApp, a, ['user:read:user']);
    assert.equal((await z.api('GET', `/users/${other.body.owner.id}`, ut)).body.code, 1001);
  });
});
