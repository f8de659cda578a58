/**
 * The operations Zemu does not emulate statefully, answered from Zoom's documents (issue 16, point 1):
 * one sweep over every one of them with a token holding every documented scope (each 2xx checked with
 * ajv against the operation's own document), then the guard, the spec hook, the limiter, the world's
 * ids and errors, the request log, GET /_zemu/operations and `--generated off`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { OPERATIONS, type OperationInfo, operationSchemas } from '../src/api/generated/catalog.js';
import { generate, type Schema } from '../src/api/generated/generate.js';
import { operationsTable, withTable } from '../src/api/generated/table.js';
import { s2s, startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesDocument } from './spec.js';

const EVERY_SCOPE = [...new Set(OPERATIONS.flatMap((op) => [...op.scopes.classic, ...op.scopes.granular]))];

/** A request for `op` that its document accepts: path values, required query values, a body. */
async function requestFor(op: OperationInfo, world: { meetingId: number; meetingUuid: string }) {
  const schemas = (await operationSchemas())[`${op.method} ${op.path}`] ?? {};
  const path = op.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    if (name === 'userId') return 'me';
    if (name === 'meetingId') return String(world.meetingId);
    if (name === 'meetingUUID') return encodeURIComponent(world.meetingUuid);
    return 'zemu1';
  });
  const query = schemas.query as Schema | undefined;
  const params = new URLSearchParams();
  for (const name of query?.required ?? []) {
    const value = generate(query?.properties?.[name] ?? {}, name);
    params.set(name, String(value));
  }
  const body = schemas.body ? generate(schemas.body as Schema) : undefined;
  const qs = params.toString();
  return { path: qs ? `${path}?${qs}` : path, body };
}

describe('every documented operation answers, statefully or from the spec', () => {
  let z: TestZemu;
  let token: string;
  let world: { meetingId: number; meetingUuid: string };
  const generatedOps = () =>
    OPERATIONS.filter((op) => !z.zemu.built.ctx.operations.isStateful(op.method, op.path));

  before(async () => {
    z = await startTestZemu();
    token = await s2s(z, EVERY_SCOPE);
    const created = await z.api('POST', '/users/me/meetings', token, {
      topic: 'Sweep',
      type: 2,
      duration: 30,
    });
    assert.equal(created.status, 201, created.text);
    world = { meetingId: created.body.id, meetingUuid: created.body.uuid };
  });
  after(() => z.close());

  test('every generated operation answers its documented 2xx, valid against its document', async () => {
    const ops = generatedOps();
    assert.equal(ops.length, OPERATIONS.length - 41, 'all but the 41 stateful operations are generated');
    const failures: string[] = [];
    for (const op of ops) {
      const { path, body } = await requestFor(op, world);
      const res = await z.api(op.method, path, token, body);
      if (res.status !== op.status) {
        failures.push(`${op.method} ${op.path}: ${res.status} ${res.text.slice(0, 300)}`);
        continue;
      }
      assert.equal(res.headers.get('x-zemu-emulated'), 'generated', `${op.method} ${path}`);
      try {
        assertMatchesDocument(op.source, op.method, op.path, res);
      } catch (error) {
        failures.push((error as Error).message.slice(0, 400));
      }
    }
    assert.deepEqual(failures, []);
  });

  test('bad input to every generated operation never answers 500, and refusals are Zoom-shaped', async () => {
    const odd = ['%25', 'x'.repeat(3000), '-1', '99999999999999999999', '%2F%2F', 'me'];
    const bodies = ['[1,2]', '"text"', '{"topic":{"a":[null]}}', 'not json', '{}'];
    const failures: string[] = [];
    let i = 0;
    for (const op of generatedOps()) {
      for (let round = 0; round < 2; round++, i++) {
        const value = odd[i % odd.length] as string;
        const path = op.path.replace(/\{[A-Za-z0-9_]+\}/g, value);
        const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
        const res = await z.request(op.method, `/v2${path}?page_size=abc&from=yesterday`, {
          headers: {
            authorization: `Bearer ${token}`,
            ...(hasBody ? { 'content-type': 'application/json' } : {}),
          },
          ...(hasBody ? { body: bodies[i % bodies.length] } : {}),
        });
        const shaped =
          res.status < 400 || (typeof res.body?.code === 'number' && typeof res.body?.message === 'string');
        if (res.status >= 500 || !shaped)
          failures.push(`${op.method} ${path.slice(0, 80)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('the same request gets the same answer; the world’s ids are in it', async () => {
    const path = `/past_meetings/${world.meetingId}/archive_files`;
    const first = await z.api('GET', path, token);
    const second = await z.api('GET', path, token);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('x-zemu-emulated'), 'generated');
    assert.equal(first.text, second.text);
    assert.equal(first.body.id, world.meetingId);
    assert.equal(first.body.uuid, world.meetingUuid);
    assert.equal(first.body.host_id, z.demo.user_id);
    assert.equal(first.body.topic, 'Sweep');
  });

  test('an unknown user is the documented 1001, an unknown meeting the documented 3001', async () => {
    const user = await z.api('GET', '/users/nobody@nowhere.test/assistants', token);
    assert.equal(user.status, 404);
    assert.deepEqual(user.body, { code: 1001, message: 'User does not exist: nobody@nowhere.test.' });
    assert.equal(user.headers.get('x-zemu-emulated'), 'generated');
    const meeting = await z.api('GET', '/meetings/12345678901/survey', token);
    assert.equal(meeting.status, 404);
    assert.deepEqual(meeting.body, { code: 3001, message: 'Meeting does not exist: 12345678901.' });
    const unknownUuid = await z.api('GET', `/past_meetings/${encodeURIComponent('a/b==')}`, token);
    assert.equal(unknownUuid.status, 404, unknownUuid.text);
    assert.equal(unknownUuid.body.code, 3001);
  });

  test('a meeting uuid, double-encoded as Zoom documents, names the meeting', async () => {
    const twice = encodeURIComponent(encodeURIComponent(world.meetingUuid));
    const res = await z.api('GET', `/past_meetings/${twice}/polls`, token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-zemu-emulated'), 'generated');
    assert.equal(res.body.uuid, world.meetingUuid);
  });

  test('a token without the operation’s scopes gets 4711 naming them', async () => {
    const other = await s2s(z, ['user:read:admin']);
    const res = await z.api('GET', '/webinars/1', other);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes: [webinar:read:admin, webinar:read].',
    });
    // Scopes come before the world: a user that does not exist still gets 4711 first.
    const unknown = await z.api('GET', '/webinars/1/panelists', other);
    assert.equal(unknown.body.code, 4711);
    const nobody = await z.api('GET', '/users/nobody/webinars', other);
    assert.equal(nobody.status, 400);
    assert.equal(nobody.body.code, 4711);
    // A granular-era token on an operation whose document names classic scopes only: those are listed.
    const granularWebinar = await z.api('GET', '/webinars/1', await s2s(z, ['user:read:user:admin']));
    assert.equal(
      granularWebinar.body.message,
      'Invalid access token, does not contain scopes: [webinar:read:admin, webinar:read].',
    );
    const granular = await s2s(z, ['user:read:user:admin']);
    const assistants = await z.api('GET', '/users/me/assistants', granular);
    assert.equal(assistants.status, 400);
    assert.deepEqual(assistants.body, {
      code: 4711,
      message:
        'Invalid access token, does not contain scopes:[user:read:list_assistants, user:read:list_assistants:admin].',
    });
  });

  test('a non-admin scope reaches only the token’s own user', async () => {
    const own = await s2s(z, ['user:read']);
    assert.equal((await z.api('GET', '/users/me/assistants', own)).status, 200);
    const created = await z.api('POST', '/users', token, {
      action: 'custCreate',
      user_info: { email: 'other@demo.zemu.test', type: 1 },
    });
    assert.equal(created.status, 201, created.text);
    const res = await z.api('GET', `/users/${created.body.id}/assistants`, own);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 4711);
  });

  test('a generated write changes nothing: the next read answers the same', async () => {
    const before = await z.api('GET', '/users/me/webinars', token);
    const created = await z.api('POST', '/users/me/webinars', token, { topic: 'Not kept', type: 5 });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('x-zemu-emulated'), 'generated');
    const after = await z.api('GET', '/users/me/webinars', token);
    assert.equal(after.text, before.text);
  });

  test('HEAD is not answered on generated operations', async () => {
    const res = await z.request('HEAD', '/v2/users/me/assistants', {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, POST, DELETE');
  });

  test('HEAD is not answered on stateful operations, OAuth or the control API either', async () => {
    const user = await z.request('HEAD', '/v2/users/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(user.status, 405);
    assert.equal(user.headers.get('allow'), 'GET, PATCH, DELETE');
    const authorize = await z.request('HEAD', '/oauth/authorize');
    assert.equal(authorize.status, 405);
    assert.equal(authorize.headers.get('allow'), 'GET, POST');
    const clock = await z.request('HEAD', '/_zemu/clock');
    assert.equal(clock.status, 405);
    // The health check is the one exception: checkers send HEAD.
    const health = await z.request('HEAD', '/_zemu/health');
    assert.equal(health.status, 200);
  });

  test('a body the document refuses gets 300 from the spec hook', async () => {
    const res = await z.api('POST', '/users/me/webinars', token, { topic: 42, type: 'five' });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.message, 'Validation Failed.');
    assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), ['topic', 'type']);
  });

  test('paths that collide with stateful ones route as Zoom means them', async () => {
    const summary = await z.api('GET', '/users/summary', token);
    assert.equal(summary.status, 200, summary.text);
    assert.equal(summary.headers.get('x-zemu-emulated'), 'generated');
    assert.equal(typeof summary.body.total_users_count, 'number');
    const zak = await z.api('GET', '/users/me/zak', token);
    assert.equal(zak.status, 200);
    assert.equal(zak.headers.get('x-zemu-emulated'), null);
    assert.equal(typeof zak.body.token, 'string');
    const user = await z.api('GET', '/users/me', token);
    assert.equal(user.body.id, z.demo.user_id);
    assert.equal(user.headers.get('x-zemu-emulated'), null);
  });

  test('the request log says which answers were generated', async () => {
    await z.control('DELETE', '/requests');
    await z.api('GET', '/users/summary', token);
    await z.api('GET', '/users/me', token);
    const log = await z.control('GET', '/requests');
    const byPath = Object.fromEntries(
      log.body.requests.map((e: { path: string; emulated: string }) => [e.path, e.emulated]),
    );
    assert.equal(byPath['/v2/users/summary'], 'generated');
    assert.equal(byPath['/v2/users/me'], 'stateful');
  });

  test('GET /_zemu/operations lists every operation with its mode, scopes and label', async () => {
    const res = await z.control('GET', '/operations');
    assert.equal(res.status, 200);
    assert.equal(res.body.total_records, 334);
    assert.equal(res.body.stateful, 41);
    assert.equal(res.body.generated, 293);
    const find = (method: string, path: string) =>
      res.body.operations.find(
        (o: { method: string; path: string }) => o.method === method && o.path === path,
      );
    assert.deepEqual(find('GET', '/users/{userId}/assistants'), {
      method: 'GET',
      path: '/users/{userId}/assistants',
      mode: 'generated',
      scopes: {
        classic: ['user:read', 'user:write', 'user:read:admin', 'user:write:admin', 'user_profile'],
        granular: ['user:read:list_assistants', 'user:read:list_assistants:admin'],
      },
      label: 'Medium',
      source: 'users-2025',
      operation_id: 'userAssistants',
      summary: 'List user assistants',
    });
    assert.equal(find('GET', '/users/{userId}').mode, 'stateful');
    assert.equal(find('GET', '/metrics/client_versions').label, 'Heavy');
    // Labels written in capitals in the document (`MEDIUM`), and the one operation naming none (Light).
    assert.equal(find('GET', '/users/{userId}/webinar_templates').label, 'Light');
    const labels = new Set(res.body.operations.map((o: { label: string }) => o.label));
    assert.deepEqual([...labels].sort(), ['Heavy', 'Light', 'Medium', 'Resource-intensive']);
  });

  test('the README’s table of operations is the one GET /_zemu/operations lists', () => {
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = operationsTable(z.zemu.built.ctx.operations.list());
    assert.ok(readme.includes(table), 'README.md is out of date: run npm run docs:operations');
    assert.equal(withTable(readme, table), readme);
  });
});

describe('generated operations under the rate limiter', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
  });
  after(() => z.close());

  test('a generated operation counts against its label: Heavy allows 10 a second on Pro', async () => {
    await z.control('POST', '/clock', { frozen: true });
    const token = await s2s(z, ['dashboard:read:admin']);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await z.api('GET', '/metrics/client_versions', token)).status);
    assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
    const refused = await z.api('GET', '/metrics/client_versions', token);
    assert.equal(refused.headers.get('x-ratelimit-category'), 'Heavy');
    assert.equal(refused.body.code, 429);
    // Another label's window is untouched: a Light operation still answers.
    const light = await s2s(z, ['user:read:admin']);
    assert.equal((await z.api('GET', '/users/summary', light)).status, 200);
    await z.control('POST', '/clock', { advance: 1 });
    assert.equal((await z.api('GET', '/metrics/client_versions', token)).status, 200);
  });
});

describe('--generated off', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ generated: false });
  });
  after(() => z.close());

  test('operations Zemu does not emulate answer as an unknown route; stateful ones still answer', async () => {
    const token = await s2s(z, EVERY_SCOPE);
    const res = await z.api('GET', '/users/me/assistants', token);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 404, message: 'Not Found.' });
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    // A path that only a stateful template matches is that route's answer, as before generation.
    const summary = await z.api('GET', '/users/summary', token);
    assert.deepEqual(summary.body, { code: 1001, message: 'User does not exist: summary.' });
    const ops = await z.control('GET', '/operations');
    assert.equal(ops.body.generated, 0);
    assert.equal(ops.body.off, 293);
  });

  test('ZEMU_GENERATED=off is read from the environment', async () => {
    const { resolveConfig } = await import('../src/config.js');
    assert.equal(resolveConfig({}, { ZEMU_GENERATED: 'off' }).generated, false);
    assert.equal(resolveConfig({}, {}).generated, true);
    assert.throws(() => resolveConfig({}, { ZEMU_GENERATED: 'maybe' }), /ZEMU_GENERATED must be on or off/);
  });
});
