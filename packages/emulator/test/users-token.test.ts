import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { s2s, startTestZemu, type TestZemu } from './helpers.js';

function claims(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString());
}

describe('GET /v2/users/{userId}/token and /v2/users/me/zak', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
  });
  after(() => z.close());

  test('type=zak&ttl=3600 returns {"token": ZAK} that lives 3600 s', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=3600`, token);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['token']);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 3600);
    assert.equal(c.uid, z.demo.user_id);
    const header = JSON.parse(Buffer.from(res.body.token.split('.')[0], 'base64url').toString());
    assert.deepEqual(header, { typ: 'JWT', sv: '000001', zm_skm: 'zm_o2m', alg: 'HS256' });
  });

  test('type=zak without ttl lives 7200 s', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, token);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 7200);
  });

  test('a custCreate user gets a 90-day ZAK by default', async () => {
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'api-user@demo.zemu.test',
      action: 'custCreate',
    });
    assert.equal(user.status, 201, user.text);
    const res = await z.api('GET', `/users/${user.body.id}/token?type=zak`, token);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 7_776_000);
  });

  test('ttl of exactly one year is accepted', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=31536000`, token);
    assert.equal(res.status, 200);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 31_536_000);
  });

  test("ttl above one year (the samples' 68423085) is clamped to one year, and the request log says so", async () => {
    await z.control('DELETE', '/requests');
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=68423085`, token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), ['token']);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 31_536_000);
    const log = await z.control(
      'GET',
      `/requests?path=${encodeURIComponent(`/v2/users/${z.demo.user_id}/token`)}`,
    );
    assert.equal(log.body.total_records, 1);
    assert.equal(log.body.requests[0].status, 200);
    assert.equal(
      log.body.requests[0].reason,
      'ttl 68423085 is above the one-year maximum; clamped to 31536000',
    );
  });

  test('an app with settings.strict_ttl gets the validation error above one year, through PATCH /_zemu/apps', async () => {
    const patched = await z.control('PATCH', `/apps/${z.demo.client_id}`, { settings: { strict_ttl: true } });
    assert.equal(patched.status, 200, patched.text);
    try {
      const strict = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=68423085`, token);
      assert.equal(strict.status, 400);
      assert.deepEqual(strict.body, {
        code: 300,
        message: 'Validation Failed.',
        errors: [
          {
            field: 'ttl',
            message: 'Invalid field. The ttl must be an integer from 1 to 31536000 seconds (one year).',
          },
        ],
      });
      const year = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=31536000`, token);
      assert.equal(year.status, 200, 'one year itself is still accepted');
    } finally {
      await z.control('PATCH', `/apps/${z.demo.client_id}`, { settings: { strict_ttl: false } });
    }
    const clamped = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=31536001`, token);
    assert.equal(clamped.status, 200, 'strict_ttl: false clamps again');
  });

  test('strict_ttl must be a boolean', async () => {
    const res = await z.control('PATCH', `/apps/${z.demo.client_id}`, { settings: { strict_ttl: 'yes' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
  });

  for (const ttl of ['0', '-5', 'abc', '1.5', '1e9']) {
    test(`ttl=${ttl} is Zoom's validation error`, async () => {
      const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=${ttl}`, token);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 300);
      assert.equal(res.body.message, 'Validation Failed.');
      assert.equal(res.body.errors[0].field, 'ttl');
    });
  }

  test('an invalid type is a validation error', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zpk`, token);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.errors[0].field, 'type');
  });

  test('default type=token lives 14 days', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token`, token);
    assert.equal(res.status, 200);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 14 * 24 * 3600);
    assert.equal(c.ztyp, 'token');
  });

  test('type=token is null for a user who signs in with Google', async () => {
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'google@demo.zemu.test',
      login_type: 1,
    });
    const res = await z.api('GET', `/users/${user.body.id}/token?type=token`, token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { token: null });
  });

  test('an unknown user is 404 1001', async () => {
    const res = await z.api('GET', '/users/ghost@nowhere.test/token?type=zak&ttl=3600', token);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 1001, message: 'User does not exist: ghost@nowhere.test.' });
  });

  test('me/zak lives five minutes', async () => {
    const res = await z.api('GET', '/users/me/zak', token);
    assert.equal(res.status, 200);
    const c = claims(res.body.token);
    assert.equal(c.exp - c.iat, 300);
    assert.equal(c.uid, z.demo.user_id);
  });

  test('ZAKs verify for their user until they expire on the emulated clock', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=60`, token);
    const { ctx } = z.zemu.built;
    const owner = await ctx.store.users.findById(z.demo.user_id);
    assert.ok(owner);
    assert.equal((await ctx.zaks.check(res.body.token, owner)).ok, true);
    const member = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'other-host@demo.zemu.test',
    });
    const memberUser = await ctx.store.users.findById(member.body.id);
    assert.ok(memberUser);
    const foreign = await ctx.zaks.check(res.body.token, memberUser);
    assert.equal(foreign.ok ? 'ok' : foreign.reason, 'wrong_user');
    await z.control('POST', '/clock', { advance: 61 });
    const expired = await ctx.zaks.check(res.body.token, owner);
    assert.equal(expired.ok ? 'ok' : expired.reason, 'expired');
  });

  test('a token without token scopes gets 4711', async () => {
    const t = await s2s(z, ['user:read:user:admin']);
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, t);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:read:token, user:read:token:admin].',
    });
    const zak = await z.api('GET', '/users/me/zak', t);
    assert.equal(zak.status, 400);
    assert.equal(
      zak.body.message,
      'Invalid access token, does not contain scopes:[user:read:zak, user:read:zak:admin].',
    );
  });
});
