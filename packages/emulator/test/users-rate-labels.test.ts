import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ALL_USER_SCOPES_GRANULAR } from '../src/api/users/scopes.js';
import { s2s, startTestZemu, type TestZemu } from './helpers.js';

/** Each Users write counts against the label of the contract's table (seen on a Free account's headers). */
describe('Users writes: rate-limit labels', () => {
  let z: TestZemu;
  let token: string;
  let accountId: string;
  before(async () => {
    z = await startTestZemu({ rateLimits: true });
    const acct = await z.control('POST', '/accounts', {
      plan: 'free',
      owner: { email: 'free-owner@labels.test' },
    });
    accountId = acct.body.id;
    token = await s2s(z, [...ALL_USER_SCOPES_GRANULAR], accountId);
  });
  after(() => z.close());

  test('Light, Medium as the contract says', async () => {
    const mk = async (email: string) =>
      (await z.control('POST', `/accounts/${accountId}/users`, { email, password: 'first-pass-1' })).body
        .id as string;
    const id = await mk('labelled@labels.test');
    const gone = await mk('gone@labels.test');
    const calls: [string, string, unknown, string][] = [
      ['PATCH', `/users/${id}`, { dept: 'x' }, 'Light'],
      ['PUT', `/users/${id}/status`, { action: 'deactivate' }, 'Light'],
      ['PUT', `/users/${id}/status`, { action: 'activate' }, 'Light'],
      ['PUT', `/users/${id}/password`, { password: 'second-pass-2' }, 'Medium'],
      ['PUT', `/users/${id}/email`, { email: 'relabelled@labels.test' }, 'Light'],
      ['GET', '/users/email?email=relabelled@labels.test', undefined, 'Light'],
      ['GET', `/users/${id}/settings`, undefined, 'Medium'],
      ['PATCH', `/users/${id}/settings`, { in_meeting: { chat: false } }, 'Medium'],
      ['DELETE', `/users/${id}/token`, undefined, 'Light'],
      ['DELETE', `/users/${gone}?action=delete`, undefined, 'Light'],
    ];
    for (const [method, path, body, label] of calls) {
      // Free allows 4 Light and 2 Medium requests a second: one call per emulated second.
      await z.control('POST', '/clock', { advance: 1 });
      const res = await z.api(method, path, token, body);
      assert.ok(res.status === 200 || res.status === 204, `${method} ${path}: ${res.status} ${res.text}`);
      assert.equal(res.headers.get('x-ratelimit-category'), label, `${method} ${path}`);
    }
  });
});
