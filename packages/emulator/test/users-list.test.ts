import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { bulkUsers, s2s, startTestZemu, type TestZemu } from './helpers.js';

const spec = JSON.parse(
  fs.readFileSync(new URL('../../../spec/zoom/zoom-users-openapi.json', import.meta.url), 'utf8'),
);

describe('GET /v2/users', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    await bulkUsers(z, z.demo.account_id, 5000);
    await bulkUsers(z, z.demo.account_id, 3, 'pending');
    await bulkUsers(z, z.demo.account_id, 2, 'inactive');
    const other = await z.control('POST', '/accounts', { owner: { email: 'other-owner@list.test' } });
    await bulkUsers(z, other.body.id, 10);
  });
  after(() => z.close());

  test('the first page: 30 active users, totals, and a next_page_token; the body validates against the spec', async () => {
    const res = await z.api('GET', '/users', token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.page_size, 30);
    assert.equal(res.body.page_number, 1);
    assert.equal(res.body.total_records, 5001);
    assert.equal(res.body.page_count, Math.ceil(5001 / 30));
    assert.equal(res.body.users.length, 30);
    assert.ok(res.body.next_page_token);
    // ajv and ajv-formats are CommonJS modules: under NodeNext their classes sit on `.default`.
    const ajv = new AjvModule.default({ strict: false, allErrors: true });
    addFormatsModule.default(ajv);
    const schema = spec.paths['/users'].get.responses['200'].content['application/json'].schema;
    const valid = ajv.validate(schema, res.body);
    assert.ok(valid, JSON.stringify(ajv.errors));
  });

  test('walks all 5,001 active users with page_size=300, each once, in creation order, none of another account', async () => {
    const seen: string[] = [];
    let next = '';
    let pages = 0;
    do {
      const res = await z.api(
        'GET',
        `/users?page_size=300${next ? `&next_page_token=${encodeURIComponent(next)}` : ''}`,
        token,
      );
      assert.equal(res.status, 200, res.text);
      seen.push(...res.body.users.map((u: { id: string }) => u.id));
      assert.equal(res.body.page_number, pages + 1);
      next = res.body.next_page_token;
      pages++;
    } while (next);
    assert.equal(pages, Math.ceil(5001 / 300));
    assert.equal(seen.length, 5001);
    assert.equal(new Set(seen).size, 5001);
    assert.equal(seen[0], z.demo.user_id, 'the owner was created first');
  });

  test('status filters pending and inactive users', async () => {
    const pending = await z.api('GET', '/users?status=pending', token);
    assert.equal(pending.body.total_records, 3);
    assert.ok(pending.body.users.every((u: { status: string }) => u.status === 'pending'));
    const inactive = await z.api('GET', '/users?status=inactive', token);
    assert.equal(inactive.body.total_records, 2);
  });

  test('role_id filters, and the deprecated page_number still pages', async () => {
    const owners = await z.api('GET', '/users?role_id=0', token);
    assert.deepEqual(
      owners.body.users.map((u: { id: string }) => u.id),
      [z.demo.user_id],
    );
    const first = await z.api('GET', '/users?page_size=10&page_number=1', token);
    const second = await z.api('GET', '/users?page_size=10&page_number=2', token);
    assert.equal(second.body.page_number, 2);
    assert.notEqual(second.body.users[0].id, first.body.users[0].id);
    assert.equal(
      second.body.users[0].id,
      (
        await z.api(
          'GET',
          `/users?page_size=10&next_page_token=${encodeURIComponent(first.body.next_page_token)}`,
          token,
        )
      ).body.users[0].id,
    );
  });

  test('a next_page_token expires after 15 minutes of emulated time', async () => {
    await z.control('POST', '/clock', { frozen: true });
    try {
      const first = await z.api('GET', '/users', token);
      const url = `/users?next_page_token=${encodeURIComponent(first.body.next_page_token)}`;
      await z.control('POST', '/clock', { advance: 14 * 60 });
      assert.equal((await z.api('GET', url, token)).status, 200);
      await z.control('POST', '/clock', { advance: 60 });
      const expired = await z.api('GET', url, token);
      assert.equal(expired.status, 400);
      assert.deepEqual(expired.body, { code: 300, message: 'The next page token is invalid or expired.' });
    } finally {
      await z.control('POST', '/clock', { frozen: false });
    }
  });

  test('a forged, altered or foreign next_page_token is refused', async () => {
    const fresh = await z.s2sToken();
    const first = await z.api('GET', '/users', fresh);
    const [body, sig] = first.body.next_page_token.split('.');
    for (const bad of ['garbage', `${body}.AAAA${sig.slice(4)}`, `${body}x.${sig}`]) {
      const res = await z.api('GET', `/users?next_page_token=${encodeURIComponent(bad)}`, fresh);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.code, 300);
    }
    const otherQuery = await z.api(
      'GET',
      `/users?status=pending&next_page_token=${encodeURIComponent(first.body.next_page_token)}`,
      fresh,
    );
    assert.equal(otherQuery.status, 400, 'a cursor belongs to the query it was issued for');
  });

  for (const bad of [
    'page_size=0',
    'page_size=2001',
    'page_size=abc',
    'status=deleted',
    'page_number=0',
    'include_fields=nope',
  ]) {
    test(`${bad} is Zoom's validation error`, async () => {
      const res = await z.api('GET', `/users?${bad}`, token);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 300);
      assert.equal(res.body.errors[0].field, bad.split('=')[0]);
    });
  }

  test('listing needs an admin scope: 4711 names user:read:list_users:admin', async () => {
    const t = await s2s(z, ['user:read:user']);
    const res = await z.api('GET', '/users', t);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[user:read:list_users:admin].',
    });
  });
});
