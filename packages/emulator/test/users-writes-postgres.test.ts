import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSchema, recordedEvents, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const postgres = await postgresRequirement();

/** The Users writes on PostgreSQL: migration 0009, JSON profile queries, account moves, settings. */
describe('Users writes on PostgreSQL', { skip: 'skip' in postgres && postgres.skip }, () => {
  const pgSchema = postgresSchema('users');
  const url = pgSchema.url;
  let z: TestZemu;
  let token: string;

  before(async () => {
    await pgSchema.create();
    z = await startTestZemu({ databaseUrl: url });
    token = await z.s2sToken();
  });
  after(async () => {
    await z?.close();
    await pgSchema.drop();
  });

  const mkUser = async (email: string) => {
    const res = await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };

  test('PATCH: fields stored, PMI and vanity name (case-insensitive) unique; user.updated recorded', async () => {
    assert.equal((await z.control('GET', '/health')).body.store, 'postgres');
    const a = await mkUser('pg-a@demo.zemu.test');
    const b = await mkUser('pg-b@demo.zemu.test');
    const ok = await z.api('PATCH', `/users/${a}`, token, {
      pmi: 7771234567,
      vanity_name: 'PgRoom',
      dept: 'Ops',
    });
    assert.equal(ok.status, 204, ok.text);
    const got = await z.api('GET', `/users/${a}`, token);
    assert.equal(got.body.pmi, 7771234567);
    assert.equal(got.body.dept, 'Ops');
    assert.equal((await z.api('PATCH', `/users/${b}`, token, { pmi: 7771234567 })).body.code, 300);
    assert.equal((await z.api('PATCH', `/users/${b}`, token, { vanity_name: 'pgroom' })).body.code, 4100);
    const events = await recordedEvents(z, 'user.updated');
    assert.deepEqual(events.at(-1)!.payload.object, {
      id: a,
      pmi: 7771234567,
      vanity_name: 'PgRoom',
      dept: 'Ops',
    });
  });

  test('settings: two PATCHes merge in the stored JSON', async () => {
    const id = await mkUser('pg-settings@demo.zemu.test');
    assert.equal(
      (await z.api('PATCH', `/users/${id}/settings`, token, { schedule_meeting: { host_video: true } }))
        .status,
      204,
    );
    assert.equal(
      (await z.api('PATCH', `/users/${id}/settings`, token, { schedule_meeting: { join_before_host: true } }))
        .status,
      204,
    );
    const got = await z.api('GET', `/users/${id}/settings`, token);
    assert.equal(got.body.schedule_meeting.host_video, true);
    assert.equal(got.body.schedule_meeting.join_before_host, true);
  });

  test('email change, deactivate/activate, disassociate into a free account, delete', async () => {
    const id = await mkUser('pg-mail@demo.zemu.test');
    assert.equal(
      (await z.api('PUT', `/users/${id}/email`, token, { email: 'pg-mail2@demo.zemu.test' })).status,
      204,
    );
    assert.equal((await z.api('PUT', `/users/${id}/email`, token, { email: z.demo.email })).status, 409);
    assert.equal((await z.api('PUT', `/users/${id}/status`, token, { action: 'deactivate' })).status, 204);
    assert.equal((await z.api('GET', `/users/${id}`, token)).body.status, 'inactive');
    assert.equal((await z.api('PUT', `/users/${id}/status`, token, { action: 'activate' })).status, 204);
    assert.equal((await z.api('DELETE', `/users/${id}`, token)).status, 204);
    assert.equal((await z.api('GET', `/users/${id}`, token)).status, 404);
    const moved = await z.zemu.built.ctx.store.users.findById(id);
    assert.equal(moved?.roleId, '0');
    const gone = await mkUser('pg-gone@demo.zemu.test');
    assert.equal((await z.api('PUT', `/users/${gone}/settings`, token, {})).status, 405);
    assert.equal(
      (await z.api('PATCH', `/users/${gone}/settings`, token, { in_meeting: { chat: false } })).status,
      204,
    );
    assert.equal((await z.api('DELETE', `/users/${gone}?action=delete`, token)).status, 204);
    assert.equal(await z.zemu.built.ctx.store.users.findById(gone), undefined);
    assert.equal((await recordedEvents(z, 'user.deleted')).length, 1);
  });
});
