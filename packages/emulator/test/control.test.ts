import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestZemu, type TestZemu } from './helpers.js';

describe('control API', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  test('GET /_zemu/health', async () => {
    const res = await z.control('GET', '/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
    assert.equal(res.body.store, 'sqlite');
  });

  test('GET /_zemu/demo returns the banner credentials', async () => {
    const res = await z.control('GET', '/demo');
    assert.deepEqual(res.body, z.demo);
  });

  test('POST /_zemu/accounts -> 201 {id, plan, owner}', async () => {
    const res = await z.control('POST', '/accounts', {
      name: 'Acme',
      plan: 'free',
      owner: { email: 'Owner@Acme.test', first_name: 'O', last_name: 'W' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.plan, 'free');
    assert.equal(res.body.owner.email, 'owner@acme.test');
    assert.equal(res.body.owner.role_name, 'Owner');
    assert.equal(res.body.owner.account_id, res.body.id);
  });

  test('POST /_zemu/accounts/{id}/users -> 201 the user as GET /v2/users shows it', async () => {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'pending@demo.zemu.test',
      first_name: 'Pen',
      last_name: 'Ding',
      type: 2,
      status: 'pending',
      action: 'create',
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.status, 'pending');
    const token = await z.s2sToken();
    const got = await z.api('GET', `/users/${res.body.id}`, token);
    assert.deepEqual(
      { ...got.body, created_at: 0, user_created_at: 0 },
      { ...res.body, created_at: 0, user_created_at: 0 },
    );
  });

  test('POST /_zemu/accounts/{id}/apps -> 201 {client_id, client_secret, account_id, type, scopes}', async () => {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'My app',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
    });
    assert.equal(res.status, 201);
    assert.match(res.body.client_id, /^[A-Za-z0-9_-]{22}$/);
    assert.match(res.body.client_secret, /^[A-Za-z0-9]{32}$/);
    assert.equal(res.body.account_id, z.demo.account_id);
    assert.deepEqual(res.body.scopes, ['user:read:user:admin']);
  });

  test('unknown account -> 404', async () => {
    const res = await z.control('POST', '/accounts/nope/users', { email: 'a@b.test' });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 1001);
  });

  test('GET /_zemu/apps/{clientId}/tokens counts issued tokens', async () => {
    const before = (await z.control('GET', `/apps/${z.demo.client_id}/tokens`)).body.total_records;
    await z.s2sToken();
    await z.s2sToken();
    const res = await z.control('GET', `/apps/${z.demo.client_id}/tokens?limit=1`);
    assert.equal(res.body.total_records, before + 2);
    assert.equal(res.body.tokens.length, 1);
    assert.equal(res.body.tokens[0].grant_type, 'account_credentials');
  });

  describe('clock', () => {
    test('advance, set, freeze', async () => {
      const c0 = (await z.control('GET', '/clock')).body;
      const frozen = (await z.control('POST', '/clock', { frozen: true })).body;
      assert.equal(frozen.frozen, true);
      const later = (await z.control('POST', '/clock', { advance: 86400 })).body;
      assert.equal(later.epoch_ms - frozen.epoch_ms, 86_400_000);
      const still = (await z.control('GET', '/clock')).body;
      assert.equal(still.epoch_ms, later.epoch_ms, 'a frozen clock does not move');
      const set = (await z.control('POST', '/clock', { set: '2030-01-01T00:00:00Z' })).body;
      assert.equal(set.now, '2030-01-01T00:00:00.000Z');
      const running = (await z.control('POST', '/clock', { frozen: false })).body;
      assert.equal(running.frozen, false);
      assert.ok(running.epoch_ms >= set.epoch_ms);
      assert.ok(c0.epoch_ms < set.epoch_ms);
      await z.control('POST', '/clock', { set: new Date().toISOString() });
    });

    test('an empty change is a validation error', async () => {
      const res = await z.control('POST', '/clock', {});
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 300);
    });
  });
});

describe('control API access', () => {
  test('a server bound beyond loopback requires the admin token', async () => {
    const z = await startTestZemu({ host: '0.0.0.0', adminToken: 'sesame-sesame-sesame' });
    try {
      // Reached over loopback, but the server is bound to every interface: the token is required.
      const open = await z.request('GET', '/_zemu/health');
      assert.equal(open.status, 401);
      const wrong = await z.request('GET', '/_zemu/health', { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      const ok = await z.request('GET', '/_zemu/health', {
        headers: { authorization: 'Bearer sesame-sesame-sesame' },
      });
      assert.equal(ok.status, 200);
      // The Zoom API itself does not need the admin token.
      assert.equal((await z.request('GET', '/v2/users/me')).body.code, 124);
    } finally {
      await z.close();
    }
  });

  test('without an admin token configured, a non-loopback bind closes the control API', async () => {
    const z = await startTestZemu({ host: '0.0.0.0' });
    try {
      const res = await z.request('GET', '/_zemu/demo');
      assert.equal(res.status, 401);
      assert.match(res.body.message, /ZEMU_ADMIN_TOKEN/);
    } finally {
      await z.close();
    }
  });
});
