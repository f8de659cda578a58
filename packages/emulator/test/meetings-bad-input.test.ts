/** Garbage in any meetings field, query or path: a 4xx in Zoom shape, never a 500. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestZemu } from './helpers.js';
import { createMeeting, meetingsWorld } from './meetings-world.js';

describe('Meetings API', () => {
  let z: TestZemu;
  let token: string;

  const create = (body: unknown, userId = 'me', t = token) => createMeeting(z, body, userId, t);

  before(async () => {
    ({ z, token } = await meetingsWorld());
  });
  after(() => z.close());

  describe('bad input', () => {
    test('garbage in any field, query or path is a 4xx in Zoom shape, never a 500', async () => {
      const values: unknown[] = [null, true, -1, 1.5, 1e300, '', 'x'.repeat(3000), [], [1], {}, { a: 1 }];
      const fields = [
        'topic',
        'type',
        'start_time',
        'duration',
        'timezone',
        'agenda',
        'password',
        'default_password',
        'pre_schedule',
        'settings',
        'recurrence',
        'tracking_fields',
        'schedule_for',
        'template_id',
      ];
      // A host of its own: the valid bodies among these spend its daily writes, not the owner's.
      const fuzz = (
        await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'fuzz@demo.zemu.test' })
      ).body.id as string;
      const m = (await create({ topic: 'target' }, fuzz)).body;
      const bodies: unknown[] = [
        null,
        1,
        'str',
        [],
        ...fields.flatMap((f) => values.map((v) => ({ [f]: v }))),
      ];
      bodies.push(
        { settings: { approved_or_denied_countries_or_regions: { approved_list: [1] } } },
        { settings: { breakout_room: { rooms: [{ participants: 'x' }] } } },
        { type: 8, start_time: '2030-01-01T00:00:00Z', recurrence: { type: 2, weekly_days: 3 } },
        { type: 8, start_time: '2030-01-01T00:00:00Z', recurrence: { type: 1, end_date_time: 'soon' } },
        { start_time: '2030-02-31T10:00:00' },
        { start_time: '9999-12-31T23:59:59Z' },
      );
      for (const body of bodies) {
        for (const res of [await create(body), await z.api('PATCH', `/meetings/${m.id}`, token, body)]) {
          assert.ok(res.status < 500, `${JSON.stringify(body).slice(0, 80)}: ${res.status} ${res.text}`);
          if (res.status >= 400) assert.equal(typeof res.body.code, 'number', res.text);
        }
      }
      for (const q of [
        '?type[]=x',
        '?page_size=1e3',
        '?next_page_token=%00',
        '?next_page_token=a.b',
        '?from=0000-00-00',
        '?to[a]=b',
        '?page_number=99999999',
      ]) {
        const res = await z.api('GET', `/users/me/meetings${q}`, token);
        assert.ok(res.status < 500, `${q}: ${res.text}`);
      }
      for (const path of ['%20', '0', '00000000000000000000', '1e10', 'NaN', '81234567890?occurrence_id=x']) {
        for (const method of ['GET', 'PATCH', 'DELETE']) {
          const res = await z.api(method, `/meetings/${path}`, token, method === 'PATCH' ? {} : undefined);
          assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status} ${res.text}`);
        }
      }
      for (const url of [`/s/${m.id}?zak[]=1`, `/s/${m.id}?zak=${'a'.repeat(5000)}`, `/j/${m.id}?pwd[]=1`]) {
        const res = await z.request('GET', url);
        assert.ok(res.status < 500, `${url}: ${res.status}`);
      }
      const form = await z.request('POST', `/j/${m.id}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name[]=a&passcode[]=b',
      });
      assert.ok(form.status < 500, `join form: ${form.status}`);
      const json = await z.request('POST', `/j/${m.id}`, {
        headers: { 'content-type': 'application/json' },
        body: '[1,2]',
      });
      assert.ok(json.status < 500, `join json: ${json.status}`);
    });
  });
});
