import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestZemu, type TestZemu } from './helpers.js';

describe('bearer guard on /v2', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());
  const path = () => `/v2/users/${z.demo.user_id}`;

  const invalid = { code: 124, message: 'Invalid access token.' };
  const cases: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a Basic header', { authorization: 'Basic Zm9vOmJhcg==' }],
    ['Bearer with nothing after it', { authorization: 'Bearer ' }],
    ['a garbled token', { authorization: 'Bearer not.a.jwt' }],
    ['random base64 parts', { authorization: 'Bearer eyJhbGciOiJIUzUxMiJ9.eyJmb28iOjF9.c2lnbmF0dXJl' }],
  ];
  for (const [name, headers] of cases) {
    test(`${name} -> 401 code 124 "Invalid access token."`, async () => {
      const res = await z.request('GET', path(), { headers });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, invalid);
      assert.ok(res.headers.get('x-zm-trackingid'));
    });
  }

  test('a token signed with another key is invalid', async () => {
    const good = await z.s2sToken();
    const [h, p] = good.split('.');
    const res = await z.request('GET', path(), { headers: { authorization: `Bearer ${h}.${p}.AAAA` } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, invalid);
  });

  test('an access token as a query parameter is refused with Zoom message', async () => {
    const token = await z.s2sToken();
    const res = await z.request('GET', `${path()}?access_token=${token}`);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, {
      code: 124,
      message: 'Invalid access token, this access token is not supported as query parameter string.',
    });
  });

  test('a token expires after an hour of emulated time: "Access token is expired."', async () => {
    await z.control('POST', '/clock', { frozen: true });
    const token = await z.s2sToken();
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    await z.control('POST', '/clock', { advance: 3599 });
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    await z.control('POST', '/clock', { advance: 1 });
    const res = await z.api('GET', '/users/me', token);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { code: 124, message: 'Access token is expired.' });
    await z.control('POST', '/clock', { frozen: false });
  });

  test('a revoked token record is invalid (tokens are bound to their record)', async () => {
    const token = await z.s2sToken();
    const { ctx } = z.zemu.built;
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti;
    await ctx.store.tokens.revoke(jti, ctx.clock.now(), 'revoked by test');
    const res = await z.api('GET', '/users/me', token);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, invalid);
  });

  test('every response carries x-zm-trackingid, errors included', async () => {
    for (const p of ['/v2/users/me', '/oauth/token', '/nope', '/_zemu/health']) {
      const res = await z.request(p === '/oauth/token' ? 'POST' : 'GET', p);
      assert.match(res.headers.get('x-zm-trackingid') ?? '', /^v=2\.0;clid=us06;rid=WEB_[0-9a-f]{32}$/);
    }
  });
});
