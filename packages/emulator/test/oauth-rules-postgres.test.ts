import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, issuedUserToken, postgresSchema, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const postgres = await postgresRequirement();

describe('OAuth rules on PostgreSQL (migration 0005)', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pgSchema = postgresSchema('rules');
  const url = pgSchema.url;
  let z: TestZemu;

  before(async () => {
    await pgSchema.create();
    z = await startTestZemu({ databaseUrl: url });
  });
  after(async () => {
    await z?.close();
    await pgSchema.drop();
  });

  test('legacy tolerance with index, shared access and app deletion work on PostgreSQL', async () => {
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'pg',
      type: 'server_to_server',
      scopes: ['user:read:admin'],
      settings: { legacy_single_token: true, token_tolerance: 2 },
    });
    assert.equal(created.status, 201, created.text);
    const q = `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`;
    const get = async (index: number) =>
      (
        await z.request('POST', `${q}&index=${index}`, {
          headers: { authorization: basic(created.body.client_id, created.body.client_secret) },
        })
      ).body.access_token as string;
    const a0 = await get(0);
    const a1 = await get(1);
    const b0 = await get(0);
    assert.equal((await z.api('GET', '/users/me', a0)).status, 401);
    assert.equal((await z.api('GET', '/users/me', a1)).status, 200);
    assert.equal((await z.api('GET', '/users/me', b0)).status, 200);

    const mk = async (email: string) =>
      (await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email })).body.id as string;
    const [a, b] = [await mk('pg-a@example.com'), await mk('pg-b@example.com')];
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'u',
      type: 'oauth_user',
      scopes: ['user:read'],
    });
    const token = await issuedUserToken(z, {
      clientId: app.body.client_id,
      userId: a,
      scopes: ['user:read'],
    });
    assert.equal((await z.control('POST', `/users/${b}/privileges`, { grantee_user_id: a })).status, 201);
    assert.equal((await z.control('POST', `/users/${b}/privileges`, { grantee_user_id: a })).status, 201);
    assert.equal((await z.api('GET', `/users/${b}`, token)).status, 403);
    await z.control('POST', `/users/${a}/shared-access`, { client_id: app.body.client_id });
    assert.equal((await z.api('GET', `/users/${b}`, token)).status, 200);

    assert.equal((await z.control('DELETE', `/apps/${app.body.client_id}`)).status, 204);
    assert.equal((await z.api('GET', '/users/me', token)).status, 401);
  });

  // docs/compatibility.md, "Authorization codes at rest": one conditional update decides, across connections.
  test('concurrent exchanges of one authorization code on PostgreSQL: exactly one wins', async () => {
    const redirect = 'https://app.example.com/callback';
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'pg code',
      type: 'oauth_user',
      scopes: ['user:read:user'],
      redirect_uris: [redirect],
    });
    assert.equal(app.status, 201, app.text);
    for (let round = 0; round < 3; round++) {
      const approved = await z.control('POST', '/oauth/approve', {
        client_id: app.body.client_id,
        user: z.demo.email,
        redirect_uri: redirect,
      });
      assert.equal(approved.status, 200, approved.text);
      const code = new URL(approved.body.redirect_to).searchParams.get('code') as string;
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          z.request('POST', '/oauth/token', {
            headers: {
              authorization: basic(app.body.client_id, app.body.client_secret),
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              code,
              redirect_uri: redirect,
            }).toString(),
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status).filter((s) => s === 200),
        [200],
        `round ${round}: ${results.map((r) => r.text).join(' / ')}`,
      );
    }
  });
});
