import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Ctx } from '../src/context.js';
import { recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec } from './spec.js';

describe('PATCH /v2/users/{userId}', () => {
  let z: TestZemu;
  let ctx: Ctx;
  let token: string;
  let userId: string;
  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
    token = await z.s2sToken();
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'patch@demo.zemu.test',
      first_name: 'Pat',
      last_name: 'Ch',
      type: 1,
    });
    assert.equal(created.status, 201, created.text);
    userId = created.body.id;
  });
  after(() => z.close());

  test('204 with an empty body; every field the spec names is stored and shows in GET user', async () => {
    const body = {
      first_name: 'Patricia',
      last_name: 'Cher',
      display_name: 'Pat C.',
      type: 2,
      pmi: 5551234567,
      use_pmi: true,
      timezone: 'Europe/Berlin',
      language: 'de-DE',
      dept: 'Engineering',
      vanity_name: 'pat.cher',
      host_key: '123456',
      job_title: 'Engineer',
      company: 'Zemu Inc.',
      location: 'Berlin',
      manager: 'owner@demo.zemu.test',
      phone_numbers: [{ code: '+49', country: 'DE', label: 'Mobile', number: '1701234567' }],
      custom_attributes: [{ key: 'k1', name: 'Badge', value: '42' }],
      pronouns: 'she/her',
      pronouns_option: 1,
      cms_user_id: 'cms-1',
    };
    const res = await z.api('PATCH', `/users/${userId}`, token, body);
    assert.equal(res.status, 204, res.text);
    assertMatchesSpec('PATCH', '/users/{userId}', res);
    const got = await z.api('GET', `/users/${userId}`, token);
    assert.equal(got.status, 200);
    assertMatchesSpec('GET', '/users/{userId}', got);
    for (const field of [
      'first_name',
      'last_name',
      'display_name',
      'type',
      'pmi',
      'use_pmi',
      'timezone',
      'language',
      'dept',
      'job_title',
      'company',
      'location',
      'manager',
      'phone_numbers',
      'custom_attributes',
      'pronouns',
      'pronouns_option',
      'cms_user_id',
    ] as const) {
      assert.deepEqual(got.body[field], body[field], field);
    }
    assert.equal(got.body.personal_meeting_url, `${z.url}/j/5551234567`);
    assert.equal(got.body.vanity_url, `${z.url}/my/pat.cher`);
    assert.equal('host_key' in got.body, false, 'the user object has no host_key');
  });

  test('GET /users?include_fields lists the host key and custom attributes PATCH set, only on request', async () => {
    const find = (res: { body: { users: { id: string }[] } }) =>
      res.body.users.find((u) => u.id === userId) as Record<string, unknown> | undefined;
    const plain = await z.api('GET', '/users?page_size=300', token);
    assert.equal('host_key' in (find(plain) ?? {}), false);
    const both = await z.api('GET', '/users?page_size=300&include_fields=host_key,custom_attributes', token);
    assert.equal(both.status, 200);
    assertMatchesSpec('GET', '/users', both);
    assert.equal(find(both)?.host_key, '123456');
    assert.deepEqual(find(both)?.custom_attributes, [{ key: 'k1', name: 'Badge', value: '42' }]);
    // A user who never set one has the derived default: six digits (S25 types host_key a string).
    const owner = both.body.users.find((u: { id: string }) => u.id === z.demo.user_id);
    assert.match(owner.host_key, /^\d{6}$/);
    assert.equal('custom_attributes' in owner, false, 'only users that are assigned custom attributes');
  });

  test('records user.updated with only the changed fields and their old values', async () => {
    const before = (await recordedEvents(z, 'user.updated')).length;
    const res = await z.api('PATCH', `/users/${userId}`, token, { dept: 'Research', company: 'Zemu Inc.' });
    assert.equal(res.status, 204);
    const events = await recordedEvents(z, 'user.updated');
    assert.equal(events.length, before + 1);
    const { payload } = events.at(-1)!;
    assert.equal(payload.account_id, z.demo.account_id);
    assert.equal(payload.operator, z.demo.email);
    assert.equal(payload.operator_id, z.demo.user_id);
    assert.deepEqual(payload.object, { id: userId, dept: 'Research' });
    assert.deepEqual(payload.old_object, { id: userId, dept: 'Engineering' });
    assert.equal(typeof payload.time_stamp, 'number');
    assert.equal(payload.time_stamp, events.at(-1)!.event_ts, 'time_stamp is the event moment');
    // The same values again change nothing and record nothing.
    assert.equal((await z.api('PATCH', `/users/${userId}`, token, { dept: 'Research' })).status, 204);
    assert.equal((await recordedEvents(z, 'user.updated')).length, before + 1);
  });

  test('bad fields are 300 with every bad field named; nothing is written', async () => {
    const before = await z.api('GET', `/users/${userId}`, token);
    // The spec's rules (types, lengths, enums) first: every field they refuse, in the spec's order.
    const res = await z.api('PATCH', `/users/${userId}`, token, {
      first_name: 'x'.repeat(65),
      type: 3,
      use_pmi: 'yes',
      phone_numbers: [{ label: 'Pager' }],
      company: 'c'.repeat(256),
      pmi: 12345,
      host_key: '12a45',
      manager: 'not-an-email',
      timezone: 'Mars/Olympus',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.message, 'Validation Failed.');
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), [
      'company',
      'first_name',
      'host_key',
      'manager',
      'phone_numbers[0].label',
      'pmi',
      'type',
      'use_pmi',
    ]);
    // Then Zoom's rules beyond the spec, every bad field named.
    const semantic = await z.api('PATCH', `/users/${userId}`, token, {
      timezone: 'Mars/Olympus',
      host_key: '12345a',
      vanity_name: '1abc',
    });
    assert.equal(semantic.status, 400);
    assert.equal(semantic.body.code, 300);
    assert.deepEqual(
      semantic.body.errors.map((e: { field: string }) => e.field),
      ['timezone', 'vanity_name', 'host_key'],
    );
    const afterGet = await z.api('GET', `/users/${userId}`, token);
    assert.deepEqual(afterGet.body, before.body);
  });

  test('a body that is not a JSON object is 300', async () => {
    const res = await z.request('PATCH', `/v2/users/${userId}`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '[1]',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 300, message: 'Request Body should be a valid JSON object.' });
  });

  test("Zoom's own 300 messages: about_me with a link, linkedin_url elsewhere, type with zoom_one_type", async () => {
    const link = await z.api('PATCH', `/users/${userId}`, token, { about_me: 'see https://x.test' });
    assert.deepEqual(link.body, {
      code: 300,
      message: "The `about_me` field is illegal and can't contain hyperlinks or HTML code.",
    });
    const linkedin = await z.api('PATCH', `/users/${userId}`, token, { linkedin_url: 'https://x.test/me' });
    assert.equal(linkedin.body.code, 300);
    assert.match(linkedin.body.message, /linkedin\.com/);
    const both = await z.api('PATCH', `/users/${userId}`, token, { type: 1, zoom_one_type: 16 });
    assert.equal(both.status, 400);
    assert.equal(both.body.code, 300);
  });

  test('a PMI or vanity name another user holds is refused, and nothing is written', async () => {
    const owner = await z.api('GET', `/users/${z.demo.user_id}`, token);
    const pmi = await z.api('PATCH', `/users/${userId}`, token, { pmi: owner.body.pmi, dept: 'Sales' });
    assert.equal(pmi.status, 400);
    assert.equal(pmi.body.code, 300);
    assert.match(pmi.body.message, /already in use/);
    assert.equal((await z.api('GET', `/users/${userId}`, token)).body.dept, 'Research');
    assert.equal(
      (await z.api('PATCH', `/users/${z.demo.user_id}`, token, { vanity_name: 'OwnerRoom' })).status,
      204,
    );
    const vanity = await z.api('PATCH', `/users/${userId}`, token, { vanity_name: 'ownerroom' });
    assert.equal(vanity.status, 400);
    assert.equal(vanity.body.code, 4100);
    assert.equal((await z.api('GET', `/users/${userId}`, token)).body.vanity_url, `${z.url}/my/pat.cher`);
  });

  test('PMI of a "No Meetings License" user is code 200; a group id is 404 4130', async () => {
    const res = await z.api('PATCH', `/users/${userId}`, token, { type: 99, use_pmi: false });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 200,
      message: 'You cannot change PMI information for a "No Meetings License" user.',
    });
    const group = await z.api('PATCH', `/users/${userId}`, token, { group_id: 'g1' });
    assert.equal(group.status, 404);
    assert.deepEqual(group.body, { code: 4130, message: 'Group does not exist: g1' });
  });

  test('an unknown user is 404 1001; a token without the scope is 4711', async () => {
    const missing = await z.api('PATCH', '/users/nobody', token, { dept: 'x' });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { code: 1001, message: 'User does not exist: nobody.' });
    const t = await s2s(z, ['user:read:user:admin']);
    const res = await z.api('PATCH', `/users/${userId}`, t, { dept: 'x' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:update:user, user:update:user:admin].',
    });
    assert.equal((await z.api('GET', `/users/${userId}`, token)).body.dept, 'Research');
    const classic = await s2s(z, ['user:write:admin']);
    assert.equal((await z.api('PATCH', `/users/${userId}`, classic, { dept: 'Ops' })).status, 204);
    assert.equal((await z.api('GET', `/users/${userId}`, token)).body.dept, 'Ops');
  });
  test('the change and its event are one transaction: when the event cannot be written, nothing changes', async () => {
    const db = ctx.store.db;
    const before = await z.api('GET', `/users/${userId}`, token);
    await sql`ALTER TABLE webhook_events RENAME TO webhook_events_away`.execute(db);
    try {
      const res = await z.api('PATCH', `/users/${userId}`, token, { dept: 'Never stored' });
      assert.equal(res.status, 500);
      const status = await z.api('PUT', `/users/${userId}/status`, token, { action: 'deactivate' });
      assert.equal(status.status, 500);
    } finally {
      await sql`ALTER TABLE webhook_events_away RENAME TO webhook_events`.execute(db);
    }
    assert.deepEqual((await z.api('GET', `/users/${userId}`, token)).body, before.body);
  });

  test('no bad input to any Users write yields a 500 or changes the user', async () => {
    const before = await z.api('GET', `/users/${userId}`, token);
    const settingsBefore = await z.api('GET', `/users/${userId}/settings`, token);
    const bodies = [
      'null',
      '"text"',
      '42',
      '[]',
      '{"a":',
      '{"first_name":{"$gt":""},"pmi":1e309,"type":"2"}',
      `{"custom_attributes":[${'"x",'.repeat(50)}"x"],"phone_numbers":{}}`,
      '{"action":["activate"],"password":123,"email":{"x":1}}',
      `{"schedule_meeting":${'{"a":'.repeat(40)}1${'}'.repeat(40)},"in_meeting":[]}`,
      `{"dept":"${'d'.repeat(5000)}"}`,
      '{"pmi":-1,"use_pmi":null,"host_key":123456,"vanity_name":"%_%_%"}',
    ];
    const targets = [
      ['PATCH', `/v2/users/${userId}`],
      ['PUT', `/v2/users/${userId}/status`],
      ['PUT', `/v2/users/${userId}/password`],
      ['PUT', `/v2/users/${userId}/email`],
      ['PATCH', `/v2/users/${userId}/settings`],
      ['PATCH', `/v2/users/${userId}/settings?option=meeting_security`],
    ] as const;
    for (const [method, path] of targets) {
      for (const body of bodies) {
        const res = await z.request(method, path, {
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        // A body without any field the endpoint knows may be a 204 that changes nothing.
        const ok =
          res.status === 204 || (res.status >= 400 && res.status < 500 && typeof res.body?.code === 'number');
        assert.ok(ok, `${method} ${path} ${body}: ${res.status} ${res.text}`);
      }
    }
    for (const query of [
      'action=%00',
      'action=delete&transfer_email=%E0%A4%A',
      `transfer_email=${'a'.repeat(300)}@x.test`,
      'transfer_meeting=1',
      'encrypted_email=maybe',
    ]) {
      const res = await z.request('DELETE', `/v2/users/${userId}?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.ok(res.status >= 400 && res.status < 500, `DELETE ?${query}: ${res.status} ${res.text}`);
    }
    for (const query of ['email=%25', `email=${'e'.repeat(5000)}`, 'email[]=a']) {
      const res = await z.request('GET', `/v2/users/email?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.ok(res.status < 500, `GET /users/email?${query}: ${res.status}`);
    }
    assert.deepEqual((await z.api('GET', `/users/${userId}`, token)).body, before.body);
    assert.deepEqual((await z.api('GET', `/users/${userId}/settings`, token)).body, settingsBefore.body);
  });
});
