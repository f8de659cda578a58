/**
 * Issue 11: differences from Zoom's documented behaviour, each test naming its source (the document
 * and field, or the sample's text). S25 = the 2025 Users OpenAPI document, S23 = the 2023 Meeting API
 * document (read through spec.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { meetingsRoutes } from '../src/api/meetings/routes.js';
import schemas from '../src/api/spec/request-schemas.json' with { type: 'json' };
import { usersRoutes } from '../src/api/users/routes.js';
import type { Ctx } from '../src/context.js';
import type { ScopeRule } from '../src/guard/scopes.js';
import { startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec, specDocuments } from './spec.js';

describe('issue 11: documented Zoom behaviour', () => {
  let z: TestZemu;
  let ctx: Ctx;
  let s2s: string;
  let member: { id: string; email: string };
  let userApp: string;

  const userToken = async (userId: string, scopes: string[], clientId = userApp) =>
    (
      await ctx.tokens.issue({
        accountId: z.demo.account_id,
        clientId,
        userId,
        grantType: 'authorization_code',
        scopes,
      })
    ).token;

  before(async () => {
    z = await startTestZemu();
    ctx = z.zemu.built.ctx;
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
      const res = await z.api('GET', '/users', await z.scopedToken([scope]));
      assert.equal(res.status, 200, `${scope}: ${res.text}`);
      assert.ok(res.body.total_records >= 2, scope);
    }
    for (const scope of ['user:read', 'user:write']) {
      const res = await z.api('GET', '/users', await z.scopedToken([scope]));
      assert.equal(res.status, 200, `${scope}: ${res.text}`);
      assertMatchesSpec('GET', '/users', res);
      assert.deepEqual(
        res.body.users.map((u: { id: string }) => u.id),
        [z.demo.user_id],
      );
      assert.equal(res.body.total_records, 1);
    }
    const none = await z.api('GET', '/users', await z.scopedToken(['meeting:read']));
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
      // S23 lists classic scopes in the description: "**Scopes:** `user:read:admin`, `user:read` <br>".
      const text = /\*\*Scopes?:\*\*([^*]*)/.exec(op23?.description ?? '')?.[1] ?? '';
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
