import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';

describe('POST /v2/users', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
  });
  after(() => z.close());

  test('create: 201 {id, first_name, last_name, email, type}; the user is pending until the invitation is accepted', async () => {
    const res = await z.api('POST', '/users', token, {
      action: 'create',
      user_info: { email: 'Invited@Demo.zemu.test', type: 1, first_name: 'In', last_name: 'Vited' },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body), ['id', 'first_name', 'last_name', 'email', 'type']);
    assert.equal(res.body.email, 'invited@demo.zemu.test');
    assert.equal((await z.api('GET', `/users/${res.body.id}`, token)).body.status, 'pending');
    const accepted = await z.control('POST', `/users/${res.body.id}/accept-invitation`);
    assert.equal(accepted.status, 200);
    assert.equal((await z.api('GET', `/users/${res.body.id}`, token)).body.status, 'active');
    assert.equal(
      (await z.control('POST', `/users/${res.body.id}/accept-invitation`)).status,
      400,
      'only once',
    );
  });

  test('custCreate, autoCreate (with a password) and ssoCreate make active users', async () => {
    const cust = await z.api('POST', '/users', token, {
      action: 'custCreate',
      user_info: { email: 'api2@demo.zemu.test', type: 1 },
    });
    assert.equal(cust.status, 201);
    const got = await z.api('GET', `/users/${cust.body.id}`, token);
    assert.equal(got.body.status, 'active');
    assert.deepEqual(got.body.login_types, [99]);
    const auto = await z.api('POST', '/users', token, {
      action: 'autoCreate',
      user_info: { email: 'auto@demo.zemu.test', type: 2, password: 'long-enough-1' },
    });
    assert.equal(auto.status, 201);
    const sso = await z.api('POST', '/users', token, {
      action: 'ssoCreate',
      user_info: { email: 'sso@demo.zemu.test', type: 99 },
    });
    assert.equal(sso.status, 201, sso.text);
  });

  test('a used email is 409 code 1005', async () => {
    const res = await z.api('POST', '/users', token, {
      action: 'create',
      user_info: { email: z.demo.email, type: 1 },
    });
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, { code: 1005, message: `Email ${z.demo.email} has already been used.` });
  });

  test('bad input is 300 with every bad field, and nothing is written', async () => {
    const before = await z.api('GET', '/users?status=pending', token);
    const res = await z.api('POST', '/users', token, {
      action: 'invent',
      user_info: { email: 'nope', type: 99, first_name: 'x'.repeat(65), password: 'short' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'Validation Failed.');
    // The spec's own rules (enum, lengths) first: every field they refuse, in one answer.
    assert.deepEqual(
      res.body.errors.map((e: { field: string }) => e.field),
      ['action', 'user_info.first_name'],
    );
    // Then Zoom's rules beyond the spec: an address that is no email, type 99 outside ssoCreate.
    const semantic = await z.api('POST', '/users', token, {
      action: 'create',
      user_info: { email: 'nope', type: 99 },
    });
    assert.equal(semantic.status, 400);
    assert.deepEqual(
      semantic.body.errors.map((e: { field: string }) => e.field),
      ['user_info.email', 'user_info.type'],
    );
    const afterList = await z.api('GET', '/users?status=pending', token);
    assert.equal(afterList.body.total_records, before.body.total_records);
    const notJson = await z.request('POST', '/v2/users', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '[]',
    });
    assert.equal(notJson.status, 400);
  });

  test("the free plan's daily cap of 50 invitations answers Zoom's 429, and resets at 00:00 UTC", async () => {
    const acct = await z.control('POST', '/accounts', {
      plan: 'free',
      owner: { email: 'cap-owner@free.test' },
    });
    const app = await z.control('POST', `/accounts/${acct.body.id}/apps`, {
      name: 'cap',
      type: 'server_to_server',
      scopes: ['user:write:user:admin'],
    });
    const creds = {
      account_id: acct.body.id,
      client_id: app.body.client_id,
      client_secret: app.body.client_secret,
    };
    // Tokens are taken after each clock jump: a jump of years expires the ones from before.
    await z.control('POST', '/clock', { set: '2031-03-01T10:00:00Z', frozen: true });
    try {
      const t = await z.s2sToken(creds);
      for (let i = 0; i < 50; i++) {
        const ok = await z.api('POST', '/users', t, {
          action: 'create',
          user_info: { email: `cap-${i}@free.test`, type: 1 },
        });
        assert.equal(ok.status, 201, ok.text);
      }
      const refused = await z.api('POST', '/users', t, {
        action: 'create',
        user_info: { email: 'cap-50@free.test', type: 1 },
      });
      assert.equal(refused.status, 429);
      assert.match(refused.body.message, /daily rate limit \(50\) of user invite requests/);
      const cust = await z.api('POST', '/users', t, {
        action: 'custCreate',
        user_info: { email: 'cap-cust@free.test', type: 1 },
      });
      assert.equal(cust.status, 201, 'only action=create counts');
      await z.control('POST', '/clock', { set: '2031-03-02T00:00:00Z' });
      const nextDay = await z.s2sToken(creds);
      assert.equal(
        (
          await z.api('POST', '/users', nextDay, {
            action: 'create',
            user_info: { email: 'cap-51@free.test', type: 1 },
          })
        ).status,
        201,
      );
    } finally {
      await z.control('POST', '/clock', { frozen: false });
      await z.control('POST', '/clock', { set: new Date().toISOString() });
      // Years ahead, retention pruned the suite's token: moving the clock back does not bring it back.
      token = await z.s2sToken();
    }
  });

  test('records user.created (creation_type = the action) and, on acceptance, user.invitation_accepted', async () => {
    const res = await z.api('POST', '/users', token, {
      action: 'create',
      user_info: { email: 'evented@demo.zemu.test', type: 2, first_name: 'Ev', last_name: 'Ent' },
    });
    assert.equal(res.status, 201, res.text);
    const created = (await recordedEvents(z, 'user.created')).filter(
      (e) => e.payload.object.id === res.body.id,
    );
    assert.equal(created.length, 1);
    assert.equal(created[0]!.account_id, z.demo.account_id);
    assert.deepEqual(created[0]!.payload, {
      account_id: z.demo.account_id,
      operator: z.demo.email,
      operator_id: z.demo.user_id,
      creation_type: 'create',
      object: {
        id: res.body.id,
        first_name: 'Ev',
        last_name: 'Ent',
        display_name: 'Ev Ent',
        email: 'evented@demo.zemu.test',
        type: 2,
      },
    });
    const acceptedOf = async () =>
      (await recordedEvents(z, 'user.invitation_accepted')).filter(
        (e) => e.payload.object.id === res.body.id,
      );
    assert.equal((await acceptedOf()).length, 0);
    assert.equal((await z.control('POST', `/users/${res.body.id}/accept-invitation`)).status, 200);
    const accepted = await acceptedOf();
    assert.equal(accepted.length, 1);
    assert.deepEqual(accepted[0]!.payload.object, {
      id: res.body.id,
      first_name: 'Ev',
      last_name: 'Ent',
      email: 'evented@demo.zemu.test',
      type: 2,
    });
    // A refused creation records nothing.
    const before = (await recordedEvents(z, 'user.created')).length;
    assert.equal(
      (
        await z.api('POST', '/users', token, {
          action: 'create',
          user_info: { email: z.demo.email, type: 1 },
        })
      ).status,
      409,
    );
    assert.equal((await recordedEvents(z, 'user.created')).length, before);
  });

  test('creating users needs a write scope: 4711', async () => {
    const res = await z.api('POST', '/users', await z.s2sToken(), {
      action: 'create',
      user_info: { email: 'x@y.test', type: 1 },
    });
    assert.equal(res.status, 201, 'the demo app has user:write:user:admin');
    const ro = await s2s(z, ['user:read:user:admin']);
    const denied = await z.api('POST', '/users', ro, {
      action: 'create',
      user_info: { email: 'x2@y.test', type: 1 },
    });
    assert.deepEqual(denied.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:write:user:admin].',
    });
  });
});
