import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSchema, startTestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const postgres = await postgresRequirement();

describe('PostgreSQL store (DATABASE_URL)', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pgSchema = postgresSchema('test');
  const url = pgSchema.url;

  before(async () => {
    await pgSchema.create();
  });
  after(async () => {
    await pgSchema.drop();
  });

  test('migrates, serves the sample flow, and shares one world between two Zemu processes', async () => {
    const a = await startTestZemu({ databaseUrl: url });
    const b = await startTestZemu({ databaseUrl: url });
    try {
      assert.equal((await a.control('GET', '/health')).body.store, 'postgres');
      assert.deepEqual(a.demo, b.demo, 'the second process finds the demo the first created');
      const token = await a.s2sToken();
      const zak = await b.api('GET', `/users/${a.demo.user_id}/token?type=zak&ttl=3600`, token);
      assert.equal(zak.status, 200, 'a token minted by one process is accepted by the other');
      const user = await b.control('POST', `/accounts/${a.demo.account_id}/users`, {
        email: 'pg-user@demo.zemu.test',
      });
      assert.equal(user.status, 201);
      const got = await a.api('GET', '/users/pg-user@demo.zemu.test', token);
      assert.equal(got.body.id, user.body.id);
      assert.equal(typeof got.body.pmi, 'number');
      const dup = await a.control('POST', `/accounts/${a.demo.account_id}/users`, {
        email: 'pg-user@demo.zemu.test',
      });
      assert.equal(dup.status, 409);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
