import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s2s, startTestZemu, type TestZemu } from './helpers.js';

describe('GET /v2/users/{userId}', () => {
  let z: TestZemu;
  let token: string;
  let other: { account_id: string; client_id: string; client_secret: string; user_id: string; email: string };
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    const acct = await z.control('POST', '/accounts', {
      name: 'Other',
      plan: 'free',
      owner: { email: 'boss@other.test' },
    });
    assert.equal(acct.status, 201, acct.text);
    const app = await z.control('POST', `/accounts/${acct.body.id}/apps`, {
      name: 'other s2s',
      type: 'server_to_server',
      scopes: ['user:read:admin'],
    });
    other = { ...app.body, user_id: acct.body.owner.id, email: acct.body.owner.email };
  });
  after(() => z.close());

  test('by id returns the full user object of the spec', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}`, token);
    assert.equal(res.status, 200);
    for (const field of [
      'id',
      'first_name',
      'last_name',
      'display_name',
      'email',
      'type',
      'role_name',
      'pmi',
      'use_pmi',
      'personal_meeting_url',
      'timezone',
      'verified',
      'dept',
      'created_at',
      'user_created_at',
      'language',
      'status',
      'role_id',
      'group_ids',
      'account_id',
      'account_number',
      'login_types',
      'cluster',
      'jid',
    ]) {
      assert.ok(field in res.body, `missing ${field}`);
    }
    assert.equal(res.body.id, z.demo.user_id);
    assert.equal(res.body.email, z.demo.email);
    assert.equal(res.body.account_id, z.demo.account_id);
    assert.equal(res.body.status, 'active');
    assert.match(res.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(String(res.body.pmi), /^\d{10}$/);
  });

  test('by email, with an unencoded @ in the path', async () => {
    const res = await z.api('GET', `/users/${z.demo.email}`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, z.demo.user_id);
  });

  test('by email, case-insensitively and percent-encoded', async () => {
    const res = await z.api('GET', `/users/${encodeURIComponent(z.demo.email.toUpperCase())}`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, z.demo.user_id);
  });

  test('me is the Server-to-Server app owner', async () => {
    const res = await z.api('GET', '/users/me', token);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, z.demo.user_id);
  });

  test('another user of the same account', async () => {
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'member@demo.zemu.test',
      first_name: 'Mem',
      last_name: 'Ber',
      type: 1,
    });
    assert.equal(created.status, 201, created.text);
    const res = await z.api('GET', `/users/${created.body.id}`, token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, created.body);
  });

  test('an unknown user is 404 code 1001 with Zoom message', async () => {
    const res = await z.api('GET', '/users/nosuchuser', token);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 1001, message: 'User does not exist: nosuchuser.' });
  });

  test('a user of another account is not found, exactly like an unknown one', async () => {
    for (const id of [other.user_id, other.email]) {
      const res = await z.api('GET', `/users/${id}`, token);
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { code: 1001, message: `User does not exist: ${id}.` });
    }
  });

  test('the other account reads its own users with its own token', async () => {
    const otherToken = await z.s2sToken(other);
    const res = await z.api('GET', `/users/${other.user_id}`, otherToken);
    assert.equal(res.status, 200);
    const cross = await z.api('GET', `/users/${z.demo.user_id}`, otherToken);
    assert.equal(cross.status, 404);
  });

  test('a token without a users scope gets 4711 listing the accepted scopes', async () => {
    const t = await s2s(z, ['meeting:read:meeting:admin']);
    const res = await z.api('GET', `/users/${z.demo.user_id}`, t);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:read:user, user:read:user:admin].',
    });
  });

  test('a classic-scope token without the scope gets the classic 4711 list', async () => {
    const t = await s2s(z, ['meeting:read:admin']);
    const res = await z.api('GET', `/users/${z.demo.user_id}`, t);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 4711);
    assert.equal(
      res.body.message,
      'Invalid access token, does not contain scopes: [user:read, user:write, user:read:admin, user:write:admin, user_profile, user_info:read].',
    );
  });

  test('classic admin scopes work', async () => {
    const t = await z.s2sToken(other);
    const res = await z.api('GET', '/users/me', t);
    assert.equal(res.status, 200);
  });

  test('a non-admin scope reaches only the token owner', async () => {
    const t = await s2s(z, ['user:read:user']);
    assert.equal((await z.api('GET', '/users/me', t)).status, 200);
    const member = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'someone@demo.zemu.test',
    });
    const res = await z.api('GET', `/users/${member.body.id}`, t);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 4711);
  });

  test('invalid query values get Zoom validation errors', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}?login_type=abc&encrypted_email=maybe`, token);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.message, 'Validation Failed.');
    assert.deepEqual(
      res.body.errors.map((e: { field: string }) => e.field),
      ['login_type', 'encrypted_email'],
    );
  });
});
