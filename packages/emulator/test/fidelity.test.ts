/**
 * Issue 11: differences from Zoom's documented behaviour, each test naming its source (the document
 * and field, or the sample's text). S25 = the 2025 Users OpenAPI document, S23 = the 2023 Meeting API
 * document (read through spec.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { registrantsRoutes } from '../src/api/meetings/registrants/routes.js';
import { meetingsRoutes } from '../src/api/meetings/routes.js';
import { pastMeetingsRoutes } from '../src/api/past-meetings/routes.js';
import { recordingsRoutes } from '../src/api/recordings/routes.js';
import { reportsRoutes } from '../src/api/reports/routes.js';
import schemas from '../src/api/spec/request-schemas.json' with { type: 'json' };
import { usersRoutes } from '../src/api/users/routes.js';
import type { Ctx } from '../src/context.js';
import type { ScopeRule } from '../src/guard/scopes.js';
import { issuedUserToken, s2s as scopedS2s, startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec, specDocuments } from './spec.js';
import { startReceiver } from './webhook-receiver.js';

describe('issue 11: documented Zoom behaviour', () => {
  let z: TestZemu;
  let s2s: string;
  let member: { id: string; email: string };
  let userApp: string;

  const userToken = async (userId: string, scopes: string[], clientId = userApp) =>
    issuedUserToken(z, { clientId, userId, scopes });

  before(async () => {
    z = await startTestZemu();
    s2s = await z.s2sToken();
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'member@fidelity.test',
      first_name: 'Mem',
      last_name: 'Ber',
    });
    member = { id: created.body.id, email: 'member@fidelity.test' };
    userApp = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'user app',
        type: 'oauth_user',
        scopes: ['user:read:user', 'user:read', 'meeting:read:meeting', 'meeting:read:list_meetings'],
      })
    ).body.client_id;
  });
  after(() => z.close());

  test('a user-level token naming its own user by id or email is 400 4700; me is 200; app setting self_by_id allows it', async () => {
    // using-zoom-apis.notes.txt: "Instead of providing a user's userId or email address, you must use
    // the me keyword as the value of the userId path parameter. Otherwise, your app will receive an
    // invalid token error."
    const t = await userToken(member.id, ['user:read:user', 'meeting:read:list_meetings']);
    assert.equal((await z.api('GET', '/users/me', t)).status, 200);
    for (const path of [`/users/${member.id}`, `/users/${member.email}`, `/users/${member.id}/meetings`]) {
      const res = await z.api('GET', path, t);
      assert.equal(res.status, 400, path);
      assert.deepEqual(res.body, {
        code: 4700,
        message: 'Invalid access token, does not contain scopes. The user is not authorized',
      });
    }
    // Account-level tokens name users by id (the same text: "you must provide a userId or email").
    assert.equal((await z.api('GET', `/users/${member.id}`, s2s)).status, 200);
    const lenient = await z.control('PATCH', `/apps/${userApp}`, { settings: { self_by_id: true } });
    assert.equal(lenient.status, 200, lenient.text);
    assert.equal((await z.api('GET', `/users/${member.email}`, t)).status, 200);
    assert.equal(
      (await z.control('PATCH', `/apps/${userApp}`, { settings: { self_by_id: 'yes' } })).status,
      400,
    );
    await z.control('PATCH', `/apps/${userApp}`, { settings: { self_by_id: null } });
    assert.equal((await z.api('GET', `/users/${member.id}`, t)).status, 400);
  });

  test('GET /users lists pending users without id and pmi (S25 users[].id: not returned for pending users)', async () => {
    const invited = await z.api('POST', '/users', s2s, {
      action: 'create',
      user_info: { email: 'pending@fidelity.test', type: 1 },
    });
    assert.equal(invited.status, 201, invited.text);
    const res = await z.api('GET', '/users?status=pending', s2s);
    assert.equal(res.status, 200);
    assertMatchesSpec('GET', '/users', res);
    const listed = res.body.users.find((u: { email: string }) => u.email === 'pending@fidelity.test');
    assert.ok(listed);
    assert.equal('id' in listed, false);
    assert.equal('pmi' in listed, false);
    assert.equal(listed.status, 'pending');
    const active = await z.api('GET', '/users', s2s);
    assert.ok(active.body.users.every((u: { id?: string; pmi?: number }) => u.id && u.pmi));
  });

  test('GET /users accepts user:read, user:write, user:read:admin and user:write:admin (S25 security); user:read lists only the token user', async () => {
    for (const scope of ['user:read:admin', 'user:write:admin', 'user:read:list_users:admin']) {
      const res = await z.api('GET', '/users', await scopedS2s(z, [scope]));
      assert.equal(res.status, 200, `${scope}: ${res.text}`);
      assert.ok(res.body.total_records >= 2, scope);
    }
    for (const scope of ['user:read', 'user:write']) {
      const res = await z.api('GET', '/users', await scopedS2s(z, [scope]));
      assert.equal(res.status, 200, `${scope}: ${res.text}`);
      assertMatchesSpec('GET', '/users', res);
      assert.deepEqual(
        res.body.users.map((u: { id: string }) => u.id),
        [z.demo.user_id],
      );
      assert.equal(res.body.total_records, 1);
    }
    const none = await z.api('GET', '/users', await scopedS2s(z, ['meeting:read']));
    assert.equal(none.status, 400);
    assert.deepEqual(none.body, {
      code: 4711,
      message:
        'Invalid access token, does not contain scopes: [user:read, user:write, user:read:admin, user:write:admin].',
    });
  });

  test("every served operation accepts the scopes both documents list, and its 4711 lists them (S25 security and x-extensions, S23 'Scopes:')", async () => {
    // The routes as the emulator registers them, with the scope rule each one checks.
    const app = Fastify();
    const served: { method: string; path: string; rule: ScopeRule }[] = [];
    app.addHook('onRoute', (route) => {
      const rule = (route.config as { scopes?: ScopeRule } | undefined)?.scopes;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || !rule) continue;
        served.push({ method, path: route.url.replace(/:([A-Za-z]+)/g, '{$1}'), rule });
      }
    });
    await app.register(usersRoutes({} as Ctx));
    await app.register(meetingsRoutes({} as Ctx));
    await app.register(pastMeetingsRoutes({} as Ctx));
    await app.register(reportsRoutes({} as Ctx));
    await app.register(registrantsRoutes({} as Ctx));
    await app.register(recordingsRoutes({} as Ctx));
    await app.ready();
    await app.close();
    assert.equal(served.length, Object.keys(schemas).length, 'every operation of the spec layer is served');

    const { users, meetings } = specDocuments();
    let checked = 0;
    for (const { method, path, rule } of served) {
      const accepted = new Set([...rule.classic, ...rule.granular]);
      const op25 = users.paths[path]?.[method.toLowerCase()];
      const op23 = meetings.paths[path]?.[method.toLowerCase()];
      const documented = new Set<string>();
      for (const entry of op25?.security ?? []) for (const s of entry.openapi_oauth ?? []) documented.add(s);
      const classic25 = op25?.['x-extensions']?.['x-macro-scopes'] ?? [];
      const granular25 = op25?.['x-extensions']?.['x-granular-scopes'] ?? [];
      // S23 lists classic scopes in the description: "**Scopes:** `user:read:admin`, `user:read` <br>"
      // (some Cloud Recording operations write "**Scopes**:").
      const text = /\*\*Scopes?(?::\*\*|\*\*:)([^*]*)/.exec(op23?.description ?? '')?.[1] ?? '';
      const classic23 = [...text.matchAll(/`([a-z_:]+)`/g)].map((m) => m[1] as string);
      assert.ok(op25 || classic23.length > 0, `${method} ${path} is in a document`);
      for (const s of [...documented, ...classic23])
        assert.ok(accepted.has(s), `${method} ${path} accepts ${s}`);
      // The 4711 message lists the era's accepted scopes: each list holds what the documents give.
      for (const s of [...classic25, ...classic23])
        assert.ok(rule.classic.includes(s), `${method} ${path}: classic 4711 list has ${s}`);
      for (const s of granular25)
        assert.ok(rule.granular.includes(s), `${method} ${path}: granular 4711 list has ${s}`);
      checked++;
    }
    assert.equal(checked, served.length);
  });

  test("POST /users with a password of the wrong length is 400 300 'Invalid parameter: password' (S23 POST /users 400)", async () => {
    for (const password of ['short1', 'x1'.repeat(17)]) {
      const res = await z.api('POST', '/users', s2s, {
        action: 'autoCreate',
        user_info: { email: `pw-${password.length}@fidelity.test`, type: 1, password },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: 300, message: 'Invalid parameter: password' });
    }
    const ok = await z.api('POST', '/users', s2s, {
      action: 'autoCreate',
      user_info: { email: 'pw-ok@fidelity.test', type: 1, password: 'abcdefg1' },
    });
    assert.equal(ok.status, 201, ok.text);
  });

  test("DELETE of a user in another account is 400 200 'Cannot delete a user out of your account.' (S23 DELETE /users/{userId} 400)", async () => {
    const other = await z.control('POST', '/accounts', { owner: { email: 'owner@elsewhere.test' } });
    const outsider = await z.control('POST', `/accounts/${other.body.id}/users`, {
      email: 'outsider@elsewhere.test',
    });
    for (const ref of [outsider.body.id, 'outsider@elsewhere.test']) {
      const res = await z.api('DELETE', `/users/${ref}`, s2s);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: 200, message: 'Cannot delete a user out of your account.' });
    }
    // Still there, and a user that exists nowhere is still 404 1001.
    assert.equal((await z.control('GET', `/accounts/${other.body.id}`)).status, 200);
    const unknown = await z.api('DELETE', '/users/nobody@nowhere.test', s2s);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 1001);
  });

  test('include_fields=host_key,custom_attributes: a stable six-digit host key (settable by the control API) and the custom attributes (S25 users[].host_key string, custom_attributes array)', async () => {
    const list = async () =>
      (await z.api('GET', '/users?page_size=300&include_fields=host_key,custom_attributes', s2s)).body
        .users as { id: string; host_key?: string; custom_attributes?: unknown }[];
    const first = (await list()).find((u) => u.id === member.id);
    assert.match(first?.host_key ?? '', /^\d{6}$/);
    assert.equal((await list()).find((u) => u.id === member.id)?.host_key, first?.host_key, 'stable');
    const set = await z.control('PATCH', `/users/${member.id}`, { host_key: '654321' });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.host_key, '654321');
    assert.equal((await list()).find((u) => u.id === member.id)?.host_key, '654321');
    assert.equal((await z.control('PATCH', `/users/${member.id}`, { host_key: '12' })).status, 400);
    assert.equal((await z.control('PATCH', '/users/nobody', { host_key: '123456' })).status, 404);
    const attrs = [{ key: 'cbf_1', name: 'Badge', value: '7' }];
    const patched = await z.api('PATCH', `/users/${member.id}`, s2s, { custom_attributes: attrs });
    assert.equal(patched.status, 204, patched.text);
    const res = await z.api('GET', '/users?page_size=300&include_fields=custom_attributes,host_key', s2s);
    assertMatchesSpec('GET', '/users', res);
    assert.deepEqual(res.body.users.find((u: { id: string }) => u.id === member.id).custom_attributes, attrs);
  });

  test('the license filter of GET /users lists the users holding that license (S25 license query parameter)', async () => {
    const licensed = await z.control('PATCH', `/users/${member.id}`, {
      licenses: ['zoom_workforce_management'],
    });
    assert.equal(licensed.status, 200, licensed.text);
    const res = await z.api('GET', '/users?license=zoom_workforce_management', s2s);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.users.map((u: { id: string }) => u.id),
      [member.id],
    );
    assert.equal(res.body.total_records, 1);
    const none = await z.api('GET', '/users?license=zoom_compliance_management', s2s);
    assert.deepEqual([none.body.users.length, none.body.total_records], [0, 0]);
    const all = await z.api('GET', '/users', s2s);
    assert.ok(all.body.total_records > 1);
    assert.equal((await z.control('PATCH', `/users/${member.id}`, { licenses: 'x' })).status, 400);
  });

  test('null for every optional field is "not given": a meeting created and updated with a settings object of nulls, a user PATCH of nulls', async () => {
    type Body = { body: { properties: Record<string, { properties?: object }> } };
    const settingsSchema = (schemas as unknown as Record<string, Body>)['POST /users/{userId}/meetings']?.body
      .properties.settings as { properties?: object };
    const nulls = Object.fromEntries(Object.keys(settingsSchema.properties ?? {}).map((k) => [k, null]));
    assert.ok(Object.keys(nulls).length > 40, 'the whole settings object');
    assert.ok('alternative_hosts' in nulls && 'authentication_option' in nulls);
    const created = await z.api('POST', `/users/${z.demo.user_id}/meetings`, s2s, {
      topic: 'Nulls',
      type: 2,
      agenda: null,
      password: null,
      tracking_fields: null,
      settings: nulls,
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.settings.host_video, false, "the spec's default, as if not given");
    const id = created.body.id;
    const patched = await z.api('PATCH', `/meetings/${id}`, s2s, {
      agenda: null,
      topic: 'Renamed',
      settings: { ...nulls, host_video: true },
    });
    assert.equal(patched.status, 204, patched.text);
    const got = await z.api('GET', `/meetings/${id}`, s2s);
    assert.equal(got.body.topic, 'Renamed');
    assert.equal(got.body.settings.host_video, true);
    assert.equal(got.body.settings.join_before_host, created.body.settings.join_before_host);

    const before = await z.api('GET', `/users/${member.id}`, s2s);
    const userPatch = await z.api('PATCH', `/users/${member.id}`, s2s, {
      first_name: null,
      dept: null,
      phone_numbers: null,
      custom_attributes: null,
      job_title: 'Engineer',
    });
    assert.equal(userPatch.status, 204, userPatch.text);
    const afterPatch = await z.api('GET', `/users/${member.id}`, s2s);
    assert.equal(afterPatch.body.first_name, before.body.first_name);
    assert.equal(afterPatch.body.job_title, 'Engineer');
    const settings = await z.api('PATCH', `/users/${member.id}/settings`, s2s, {
      schedule_meeting: { host_video: null, participants_video: true },
      in_meeting: null,
    });
    assert.equal(settings.status, 204, settings.text);
    // A required field's null is still refused: `action` of POST /users.
    const required = await z.api('POST', '/users', s2s, { action: null, user_info: null });
    assert.equal(required.status, 400);
    assert.equal(required.body.code, 300);
    assert.deepEqual(
      required.body.errors.map((e: { field: string }) => e.field),
      ['action'],
    );
  });
});

describe('issue 11: guesses made explicit', () => {
  let z: TestZemu;
  let s2s: string;
  before(async () => {
    z = await startTestZemu();
    s2s = await z.s2sToken();
  });
  after(() => z.close());

  const mkUser = async (email: string, extra: object = {}) =>
    (await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email, ...extra })).body.id as string;
  const mkApp = async (type: string, scopes: string[]) =>
    (await z.control('POST', `/accounts/${z.demo.account_id}/apps`, { name: type, type, scopes })).body
      .client_id as string;
  const userToken = async (clientId: string, userId: string, scopes: string[]) =>
    issuedUserToken(z, { clientId, userId, scopes });

  test('a form-encoded body on /v2 is 400 300 "Request Body should be a valid JSON object." and changes nothing', async () => {
    const before = await z.api('GET', `/users/${z.demo.user_id}`, s2s);
    const res = await z.request('PATCH', `/v2/users/${z.demo.user_id}`, {
      headers: { authorization: `Bearer ${s2s}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ first_name: 'Curl' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 300, message: 'Request Body should be a valid JSON object.' });
    assert.equal(
      (await z.api('GET', `/users/${z.demo.user_id}`, s2s)).body.first_name,
      before.body.first_name,
    );
  });

  test('/oauth/token reads parameters from the query and a form body only, not from JSON', async () => {
    const auth = `Basic ${Buffer.from(`${z.demo.client_id}:${z.demo.client_secret}`).toString('base64')}`;
    const json = await z.request('POST', '/oauth/token', {
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'account_credentials', account_id: z.demo.account_id }),
    });
    assert.equal(json.status, 400);
    assert.deepEqual(json.body, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
    const form = await z.request('POST', '/oauth/token', {
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=account_credentials&account_id=${z.demo.account_id}`,
    });
    assert.equal(form.status, 200, form.text);
    // Query and form are merged, the body winning on a clash.
    const clash = await z.request(
      'POST',
      `/oauth/token?grant_type=password&account_id=${z.demo.account_id}`,
      {
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=account_credentials',
      },
    );
    assert.equal(clash.status, 200, clash.text);
    // A JSON content type with an empty body, or no body at all, works with query parameters.
    const query = `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`;
    const emptyJson = await z.request('POST', query, {
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: '',
    });
    assert.equal(emptyJson.status, 200, emptyJson.text);
    const noBody = await z.request('POST', query, { headers: { authorization: auth } });
    assert.equal(noBody.status, 200, noBody.text);
  });

  test('the 415 names the content type sent; an oversized body names the real limit (1048576 bytes)', async () => {
    const plain = await z.request('POST', '/v2/users', {
      headers: { authorization: `Bearer ${s2s}`, 'content-type': 'text/plain; charset=utf-8' },
      body: 'hello',
    });
    assert.equal(plain.status, 415);
    assert.deepEqual(plain.body, {
      code: 300,
      message: 'Unsupported Content-Type: text/plain. Send application/json.',
    });
    const big = await z.request('POST', '/v2/users', {
      headers: { authorization: `Bearer ${s2s}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'create', pad: 'x'.repeat(1024 * 1024) }),
    });
    assert.equal(big.status, 413);
    assert.deepEqual(big.body, {
      code: 300,
      message: 'Request Body is too large. The limit is 1048576 bytes.',
    });
    // No content type at all is named `none`.
    const untyped = await fetch(`${z.url}/v2/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s2s}` },
      body: new TextEncoder().encode('{}'),
    });
    assert.equal(untyped.status, 415);
    assert.deepEqual(await untyped.json(), {
      code: 300,
      message: 'Unsupported Content-Type: none. Send application/json.',
    });
    // The limit is exact: 1,048,576 bytes pass (to the spec layer's 300), one more is 413.
    const sized = (bytes: number) => {
      const empty = JSON.stringify({ action: 'create', pad: '' });
      return JSON.stringify({ action: 'create', pad: 'x'.repeat(bytes - empty.length) });
    };
    const post = (body: string) =>
      z.request('POST', '/v2/users', {
        headers: { authorization: `Bearer ${s2s}`, 'content-type': 'application/json' },
        body,
      });
    const atLimit = await post(sized(1048576));
    assert.equal(atLimit.status, 400, atLimit.text.slice(0, 200));
    assert.equal(atLimit.body.message, 'Validation Failed.');
    assert.equal((await post(sized(1048577))).status, 413);
    // A configured limit is the one named.
    const small = await startTestZemu({ bodyLimit: 4096 });
    try {
      const res = await small.request('POST', '/v2/users', {
        headers: { authorization: `Bearer ${await small.s2sToken()}`, 'content-type': 'application/json' },
        body: sized(4097),
      });
      assert.equal(res.status, 413);
      assert.deepEqual(res.body, {
        code: 300,
        message: 'Request Body is too large. The limit is 4096 bytes.',
      });
    } finally {
      await small.close();
    }
  });

  test('pending users get no ZAK or token; an invitation expires after 30 emulated days with 1120 (S23 1120)', async () => {
    const invited = await z.api('POST', '/users', s2s, {
      action: 'create',
      user_info: { email: 'invitee@guess.test', type: 1 },
    });
    assert.equal(invited.status, 201, invited.text);
    const id = invited.body.id;
    for (const q of ['?type=zak', '?type=token']) {
      const res = await z.api('GET', `/users/${id}/token${q}`, s2s);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: 300, message: 'The user has not accepted the invitation yet.' });
    }
    assert.equal((await z.api('GET', `/users/${id}`, s2s)).status, 200);
    assert.equal((await z.control('POST', '/clock', { advance: 30 * 86400 })).status, 200);
    s2s = await z.s2sToken();
    const expired = await z.api('GET', `/users/${id}`, s2s);
    assert.equal(expired.status, 400);
    assert.deepEqual(expired.body, {
      code: 1120,
      message: 'A valid invitation to join the Zoom account was not found for this user.',
    });
    // Every other operation on the user as well.
    for (const [method, path, body] of [
      ['PATCH', `/users/${id}`, { dept: 'Late' }],
      ['GET', `/users/${id}/settings`, undefined],
      ['PATCH', `/users/${id}/settings`, { in_meeting: { chat: false } }],
      ['GET', `/users/${id}/token?type=zak`, undefined],
      ['PUT', `/users/${id}/status`, { action: 'deactivate' }],
      ['PUT', `/users/${id}/email`, { email: 'late@guess.test' }],
      ['GET', `/users/${id}/meetings`, undefined],
    ] as const) {
      const res = await z.api(method, path, s2s, body);
      assert.deepEqual([res.status, res.body?.code], [400, 1120], `${method} ${path}: ${res.text}`);
    }
    const accept = await z.control('POST', `/users/${id}/accept-invitation`);
    assert.equal(accept.status, 400);
    assert.equal(accept.body.code, 1120);
    // The invitation can still be withdrawn.
    assert.equal((await z.api('DELETE', `/users/${id}`, s2s)).status, 204);
  });

  test('POST /users create for an email held by another account is 400 1009 (S23 POST /users 400 1009)', async () => {
    const other = await z.control('POST', '/accounts', { owner: { email: 'holder@other.test' } });
    assert.equal(other.status, 201, other.text);
    const res = await z.api('POST', '/users', s2s, {
      action: 'create',
      user_info: { email: 'holder@other.test', type: 1 },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 1009,
      message: 'The user holder@other.test already holds an active account.',
    });
    const same = await z.api('POST', '/users', s2s, {
      action: 'create',
      user_info: { email: z.demo.email, type: 1 },
    });
    assert.equal(same.status, 409);
    assert.equal(same.body.code, 1005);
  });

  test(':admin scopes of a user-managed app reach the account only for an owner or admin; a member lists only itself', async () => {
    const app = await mkApp('oauth_user', ['user:read:admin']);
    const memberId = await mkUser('plain-member@guess.test');
    const adminId = await mkUser('an-admin@guess.test', { role_id: '1' });
    const asMember = await userToken(app, memberId, ['user:read:admin']);
    const list = await z.api('GET', '/users', asMember);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.users.map((u: { id: string }) => u.id),
      [memberId],
    );
    assert.equal((await z.api('GET', `/users/${adminId}`, asMember)).body.code, 4700);
    const asAdmin = await userToken(app, adminId, ['user:read:admin']);
    assert.ok((await z.api('GET', '/users', asAdmin)).body.total_records > 2);
    assert.equal((await z.api('GET', `/users/${memberId}`, asAdmin)).status, 200);
  });

  test('a scheduling privilege with shared access reads the grantor and their meetings, not their ZAK, settings or profile writes', async () => {
    const app = await mkApp('oauth_user', ['user:read', 'user:write', 'meeting:read', 'meeting:write']);
    const boss = await mkUser('boss@guess.test');
    const aide = await mkUser('aide@guess.test');
    await z.control('POST', `/users/${boss}/privileges`, { grantee_user_id: aide, privilege: 'scheduling' });
    await z.control('POST', `/users/${aide}/shared-access`, { client_id: app });
    const t = await userToken(app, aide, ['user:read', 'user:write', 'meeting:read', 'meeting:write']);
    assert.equal((await z.api('GET', `/users/${boss}`, t)).status, 200);
    assert.equal((await z.api('GET', `/users/${boss}/meetings`, t)).status, 200);
    const scheduled = await z.api('POST', `/users/${boss}/meetings`, t, { topic: 'For the boss', type: 2 });
    assert.equal(scheduled.status, 201, scheduled.text);
    for (const [method, path, body] of [
      ['GET', `/users/${boss}/token?type=zak`, undefined],
      ['GET', `/users/${boss}/settings`, undefined],
      ['PATCH', `/users/${boss}`, { first_name: 'Hijacked' }],
    ] as const) {
      const res = await z.api(method, path, t, body);
      assert.equal(res.status, 400, `${method} ${path}`);
      assert.equal(res.body.code, 4700, `${method} ${path}`);
    }
  });

  test('scopes come first: a token without the operation scopes gets 4711 for unknown users and meetings too', async () => {
    const t = await scopedS2s(z, ['meeting:read:meeting:admin']);
    for (const path of ['/users/nobody@nowhere.test', `/users/${z.demo.user_id}`]) {
      const res = await z.api('GET', path, t);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.code, 4711, path);
    }
    const u = await scopedS2s(z, ['user:read:user:admin']);
    const meeting = await z.api('GET', '/meetings/99999999999', u);
    assert.equal(meeting.status, 400);
    assert.equal(meeting.body.code, 4711);
    // With the scope, the unknown targets are 404.
    assert.equal((await z.api('GET', '/users/nobody@nowhere.test', u)).body.code, 1001);
    assert.equal((await z.api('GET', '/meetings/99999999999', t)).body.code, 3001);
  });

  test('the 4711 list leaves out the scopes the token already holds', async () => {
    const other = await mkUser('someone@guess.test');
    const t = await scopedS2s(z, ['user:read:user']);
    const res = await z.api('GET', `/users/${other}`, t);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:read:user:admin].',
    });
  });

  test('GET /v2/users/ (empty userId) is 400 300 with errors[0].field = "userId"', async () => {
    const res = await z.request('GET', '/v2/users/', { headers: { authorization: `Bearer ${s2s}` } });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.errors[0].field, 'userId');
  });

  test('a PATCH of first_name moves a display_name that was "first last"; a chosen display name stays', async () => {
    const id = await mkUser('names@guess.test', { first_name: 'Ann', last_name: 'Lee' });
    const got = await z.api('GET', `/users/${id}`, s2s);
    assert.equal(got.body.display_name, 'Ann Lee', got.text);
    assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { first_name: 'Anna' })).status, 204);
    assert.equal((await z.api('GET', `/users/${id}`, s2s)).body.display_name, 'Anna Lee');
    await z.api('PATCH', `/users/${id}`, s2s, { display_name: 'Captain' });
    await z.api('PATCH', `/users/${id}`, s2s, { last_name: 'Li' });
    assert.equal((await z.api('GET', `/users/${id}`, s2s)).body.display_name, 'Captain');
  });

  test("webhook requests carry exactly Zoom's header set", async () => {
    const r = await startReceiver('guess-secret-token-000');
    try {
      const sub = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
        endpoint_url: r.url,
        events: ['user.updated'],
        secret_token: r.secret,
      });
      assert.equal(sub.status, 201, sub.text);
      await z.api('PATCH', `/users/${z.demo.user_id}`, s2s, { dept: 'Headers' });
      await z.control('POST', '/webhooks/deliver');
      const hook = r.events('user.updated')[0];
      assert.ok(hook, 'delivered');
      assert.deepEqual(Object.keys(hook.headers).sort(), [
        'connection',
        'content-length',
        'content-type',
        'host',
        'user-agent',
        'x-zm-request-timestamp',
        'x-zm-signature',
        'x-zm-trackingid',
      ]);
      assert.equal(hook.headers.connection, 'close');
      assert.equal(hook.headers['content-type'], 'application/json');
      assert.equal(hook.headers['user-agent'], 'Zoom Marketplace/1.0a');
      assert.ok(hook.signatureOk);
    } finally {
      await r.close();
    }
  });

  test('a next_page_token without page_size continues at the page size it was issued for', async () => {
    for (let i = 0; i < 4; i++) await mkUser(`pager-${i}@guess.test`);
    const first = await z.api('GET', '/users?page_size=2', s2s);
    const next = await z.api('GET', `/users?next_page_token=${first.body.next_page_token}`, s2s);
    assert.equal(next.status, 200, next.text);
    assert.equal(next.body.page_size, 2);
    assert.equal(next.body.page_number, 2);
    const other = await z.api('GET', `/users?page_size=3&next_page_token=${first.body.next_page_token}`, s2s);
    assert.equal(other.status, 400);
  });

  test('GET /oauth/authorize with an unknown client or unregistered redirect URI is a 400 HTML page; /_zemu/oauth/approve answers JSON 4702/4709', async () => {
    const app = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'authorize page',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: ['https://app.example/cb'],
      })
    ).body.client_id as string;
    const page = (q: Record<string, string>) =>
      z.request('GET', `/oauth/authorize?${new URLSearchParams({ response_type: 'code', ...q })}`);
    for (const q of [
      { client_id: 'no-such-client', redirect_uri: 'https://app.example/cb' },
      { client_id: app, redirect_uri: 'https://evil.example/cb' },
    ]) {
      const res = await page(q);
      assert.equal(res.status, 400);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('location'), null, 'never redirected');
    }
    const approve = await z.control('POST', '/oauth/approve', {
      client_id: 'no-such-client',
      user: z.demo.email,
      redirect_uri: 'https://app.example/cb',
    });
    assert.deepEqual(approve.body, { code: 4702, message: 'Invalid client.' });
    const denied = await z.control('POST', '/oauth/approve', {
      client_id: app,
      user: z.demo.email,
      redirect_uri: 'https://app.example/cb',
      scope: 'no:such:scope',
    });
    const redirect = new URL(denied.body.redirect_to);
    assert.equal(redirect.searchParams.get('error'), 'invalid_scope');
    assert.ok(redirect.searchParams.get('error_description'), 'RFC 6749 4.1.2.1 error_description');
    assert.equal(redirect.searchParams.has('description'), false);
  });

  test('the access token: header alg, v, kid and typ; claims with ver, typ and gno besides the listed ones', async () => {
    const [header, claims] = s2s
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid', 'typ', 'v']);
    assert.equal(header.alg, 'HS512');
    for (const claim of [
      'aid',
      'uid',
      'cid',
      'iss',
      'aud',
      'jti',
      'iat',
      'nbf',
      'exp',
      'scope',
      'gty',
      'ver',
      'typ',
      'gno',
    ])
      assert.ok(claim in claims, claim);
  });

  test("ttl=abc and ttl=1.5 answer the spec layer's Invalid field., not the one-year text", async () => {
    for (const ttl of ['abc', '1.5']) {
      const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=${ttl}`, s2s);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        code: 300,
        message: 'Validation Failed.',
        errors: [{ field: 'ttl', message: 'Invalid field.' }],
      });
    }
  });
});

describe('compatibility rows shown by one test each', () => {
  let z: TestZemu;
  let s2s: string;
  const auth = () => `Basic ${Buffer.from(`${z.demo.client_id}:${z.demo.client_secret}`).toString('base64')}`;
  before(async () => {
    z = await startTestZemu();
    s2s = await z.s2sToken();
  });
  after(() => z.close());

  test('one origin serves zoom.us and api.zoom.us paths whatever the Host header; api_url is that origin', async () => {
    const res = await z.request(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
      {
        headers: { authorization: auth(), host: 'zoom.us' },
      },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.api_url, z.url);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
    const api = await z.request('GET', '/v2/users/me', {
      headers: { authorization: `Bearer ${res.body.access_token}`, host: 'api.zoom.us' },
    });
    assert.equal(api.status, 200);
  });

  test('type=token ignores ttl and lives 14 days', async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=token&ttl=5`, s2s);
    assert.equal(res.status, 200, res.text);
    const claims = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString('utf8'));
    assert.equal(claims.exp - claims.iat, 14 * 86400);
  });

  test('a pending user shows created_at as the time of the call; personal_meeting_url, jid and cluster', async () => {
    const invited = await z.api('POST', '/users', s2s, {
      action: 'create',
      user_info: { email: 'Pending.Row@rows.test', type: 1 },
    });
    await z.control('POST', '/clock', { advance: 3600 });
    s2s = await z.s2sToken();
    const now = Date.parse((await z.control('GET', '/clock')).body.now);
    const got = await z.api('GET', `/users/${invited.body.id}`, s2s);
    assert.equal(Date.parse(got.body.created_at), Math.floor(now / 1000) * 1000);
    const me = await z.api('GET', '/users/me', s2s);
    assert.equal(me.body.personal_meeting_url, `${z.url}/j/${me.body.pmi}`);
    assert.equal(me.body.jid, `${me.body.id.toLowerCase().replace(/[^a-z0-9]/g, '')}@xmpp.zoom.us`);
    assert.equal(me.body.cluster, 'us06');
  });

  test('an email is unique across the whole world: the control API answers 409 1005 for one used in another account', async () => {
    const other = await z.control('POST', '/accounts', { owner: { email: 'unique-owner@rows.test' } });
    const res = await z.control('POST', `/accounts/${other.body.id}/users`, { email: z.demo.email });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 1005);
  });

  test('the device authorization grant is unsupported_grant_type', async () => {
    const res = await z.request('POST', '/oauth/token', {
      headers: { authorization: auth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=x',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'unsupported_grant_type');
  });

  test('PUT status: clock_in is 300 on action; the status the user already has is 204 with no change', async () => {
    const id = (
      await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'status-row@rows.test' })
    ).body.id;
    const clock = await z.api('PUT', `/users/${id}/status`, s2s, { action: 'clock_in' });
    assert.equal(clock.status, 400);
    assert.equal(clock.body.errors[0].field, 'action');
    const same = await z.api('PUT', `/users/${id}/status`, s2s, { action: 'activate' });
    assert.equal(same.status, 204);
    assert.equal(same.text, '');
  });

  test('PATCH type takes 1, 2, 4 and 99; timezone must be an IANA zone', async () => {
    const id = (
      await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'type-row@rows.test' })
    ).body.id;
    for (const type of [2, 4, 99, 1])
      assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { type })).status, 204);
    assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { type: 3 })).status, 400);
    assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { timezone: 'Europe/Paris' })).status, 204);
    assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { timezone: 'Mars/Olympus' })).status, 400);
  });

  test('meeting ids are 11 digits from 81000000000 and uuids 16 bytes of base64', async () => {
    const res = await z.api('POST', `/users/${z.demo.user_id}/meetings`, s2s, { topic: 'ids' });
    assert.equal(res.status, 201, res.text);
    assert.match(String(res.body.id), /^\d{11}$/);
    assert.ok(res.body.id >= 81_000_000_000);
    assert.equal(Buffer.from(res.body.uuid, 'base64').length, 16);
  });

  test('a client_credentials token on /v2/users/me is 404 1001 "User does not exist: me."', async () => {
    const bot = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'bot',
      type: 'chatbot',
      scopes: ['imchat:bot', 'user:read:admin'],
    });
    const res = await z.request('POST', '/oauth/token', {
      headers: {
        authorization: `Basic ${Buffer.from(`${bot.body.client_id}:${bot.body.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 200, res.text);
    const me = await z.api('GET', '/users/me', res.body.access_token);
    assert.equal(me.status, 404);
    assert.deepEqual(me.body, { code: 1001, message: 'User does not exist: me.' });
  });

  test('user tokens answer expires_in 3599; after a refresh the previous access token still works', async () => {
    const app = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'user tokens',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: ['https://app.example/cb'],
      })
    ).body;
    const approved = await z.control('POST', '/oauth/approve', {
      client_id: app.client_id,
      user: z.demo.email,
      redirect_uri: 'https://app.example/cb',
    });
    const code = new URL(approved.body.redirect_to).searchParams.get('code') as string;
    const post = (body: string) =>
      z.request('POST', '/oauth/token', {
        headers: {
          authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
    const first = await post(
      `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent('https://app.example/cb')}`,
    );
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.expires_in, 3599);
    const second = await post(`grant_type=refresh_token&refresh_token=${first.body.refresh_token}`);
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.expires_in, 3599);
    assert.equal((await z.api('GET', '/users/me', first.body.access_token)).status, 200);
  });

  test("a ZAK has Zoom's header and claims aud, uid, iss, sty, aid, iat, exp and Zemu's zv", async () => {
    const res = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak`, s2s);
    const [header, claims] = (res.body.token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    assert.deepEqual(header, { typ: 'JWT', sv: '000001', zm_skm: 'zm_o2m', alg: 'HS256' });
    assert.equal(claims.aud, 'clientsm');
    assert.equal(claims.iss, 'web');
    assert.equal(claims.uid, z.demo.user_id);
    for (const claim of ['sty', 'aid', 'iat', 'exp', 'zv']) assert.ok(claim in claims, claim);
  });

  test('login_type on GET user is validated but picks nothing: any integer answers the user', async () => {
    assert.equal((await z.api('GET', `/users/${z.demo.user_id}?login_type=0`, s2s)).status, 200);
    assert.equal((await z.api('GET', `/users/${z.demo.user_id}?login_type=x`, s2s)).status, 400);
  });

  test("PATCH language takes xx-XX; a meeting's timezone must be an IANA ID; PATCH with occurrence_id is 300", async () => {
    const id = (
      await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'lang-row@rows.test' })
    ).body.id;
    assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { language: 'fr-FR' })).status, 204);
    assert.equal((await z.api('PATCH', `/users/${id}`, s2s, { language: 'french' })).status, 400);
    const bad = await z.api('POST', `/users/${z.demo.user_id}/meetings`, s2s, { timezone: 'Mars/Olympus' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
    const utc = await z.api('POST', `/users/${z.demo.user_id}/meetings`, s2s, { timezone: 'UTC' });
    assert.equal(utc.status, 201, utc.text);
    const occ = await z.api('PATCH', `/meetings/${utc.body.id}?occurrence_id=1`, s2s, { topic: 'x' });
    assert.equal(occ.status, 400);
    assert.equal(occ.body.errors[0].field, 'occurrence_id');
  });

  test('formats as Zoom reads them: a local start_time without offset in the timezone; email x@y.z', async () => {
    const local = await z.api('POST', `/users/${z.demo.user_id}/meetings`, s2s, {
      type: 2,
      start_time: '2031-06-01T09:00:00',
      timezone: 'Europe/Paris',
    });
    assert.equal(local.status, 201, local.text);
    assert.equal(local.body.start_time, '2031-06-01T07:00:00Z');
    const email = await z.api('POST', '/users', s2s, {
      action: 'create',
      user_info: { email: 'no-at-sign', type: 1 },
    });
    assert.equal(email.status, 400);
  });
});

describe('rate-limit headers (limits on)', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
  });
  after(() => z.close());

  test('successful calls carry the daily window headers but no X-RateLimit-Reset; 401s do not count', async () => {
    const account = await z.control('POST', '/accounts', {
      plan: 'free',
      owner: { email: 'free-owner@limits.test' },
    });
    const token = await scopedS2s(z, ['user:read:admin'], account.body.id);
    const first = await z.api('GET', '/users/me', token);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('x-ratelimit-category'), 'Light');
    assert.equal(first.headers.get('x-ratelimit-limit'), '6000');
    assert.equal(first.headers.get('x-ratelimit-remaining'), '5999');
    assert.equal(first.headers.get('x-ratelimit-reset'), null);
    assert.equal((await z.api('GET', '/users/me', 'not-a-token')).status, 401);
    const second = await z.api('GET', '/users/me', token);
    assert.equal(second.headers.get('x-ratelimit-remaining'), '5998');
  });

  // docs/compatibility.md, "Order of checks" (request validation from the spec).
  test("the order of checks: token 401, rate limit 429, the spec's 300, scopes 4711, then 404; spec errors alone when rules fail too", async () => {
    const account = await z.control('POST', '/accounts', { owner: { email: 'order-owner@limits.test' } });
    assert.equal(account.status, 201, account.text);
    const limits = await z.control('PATCH', `/accounts/${account.body.id}/limits`, {
      overrides: { Light: { rate: 1 } },
    });
    assert.equal(limits.status, 200, limits.text);
    const writer = await scopedS2s(z, ['user:read:admin', 'user:write:admin'], account.body.id);
    const unscoped = await scopedS2s(z, ['meeting:read:admin'], account.body.id);
    const bad = { first_name: 12345 };
    const good = { first_name: 'Ok' };
    const patch = (token: string, body: object) => z.api('PATCH', '/users/nobody@order.test', token, body);
    assert.equal((await z.control('POST', '/clock', { frozen: true })).status, 200);
    const next = async () => assert.equal((await z.control('POST', '/clock', { advance: 1 })).status, 200);
    try {
      await next();
      const noToken = await patch('not-a-token', bad);
      assert.deepEqual([noToken.status, noToken.body.code], [401, 124]);
      assert.equal((await z.api('GET', '/users/me', writer)).status, 200, 'spends the second (1 Light)');
      const limited = await patch(writer, bad);
      assert.deepEqual([limited.status, limited.body.code], [429, 429]);
      await next();
      const spec = await patch(unscoped, bad);
      assert.deepEqual([spec.status, spec.body.code], [400, 300], 'the spec before the scopes');
      assert.deepEqual(
        spec.body.errors.map((e: { field: string }) => e.field),
        ['first_name'],
      );
      await next();
      const scopes = await patch(unscoped, good);
      assert.deepEqual([scopes.status, scopes.body.code], [400, 4711], 'the scopes before the target');
      await next();
      const missing = await patch(writer, good);
      assert.deepEqual([missing.status, missing.body.code], [404, 1001]);
      // A body breaking the spec (first_name's type) and a rule (type 99 needs ssoCreate): the spec's only.
      await next();
      const both = await z.api('POST', '/users', writer, {
        action: 'create',
        user_info: { email: 'both@order.test', type: 99, first_name: 12345 },
      });
      assert.equal(both.status, 400, both.text);
      assert.deepEqual(
        both.body.errors.map((e: { field: string }) => e.field),
        ['user_info.first_name'],
      );
      await next();
      const rule = await z.api('POST', '/users', writer, {
        action: 'create',
        user_info: { email: 'both@order.test', type: 99 },
      });
      assert.equal(rule.status, 400, rule.text);
      assert.deepEqual(
        rule.body.errors.map((e: { field: string }) => e.field),
        ['user_info.type'],
        'the rule alone is refused, naming its own field',
      );
    } finally {
      await z.control('POST', '/clock', { frozen: false });
    }
  });
});
