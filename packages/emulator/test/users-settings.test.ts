import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { recordedEvents, s2s, startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec, responseSchema } from './spec.js';

/**
 * The 2025 spec's settings response is a `oneOf` of five objects none of which requires a property,
 * so no body can match exactly one of them: every GET is checked against the branch it answers with
 * (0: the user settings object, 4: meeting_security), strictly (no unknown group, no unknown field).
 */
function assertMatchesSettingsBranch(branch: number, body: unknown) {
  const schema = responseSchema('GET', '/users/{userId}/settings', 200) as { oneOf: object[] };
  const ajv = new AjvModule.default({ strict: false, allErrors: true, validateSchema: false });
  addFormatsModule.default(ajv);
  const strictly = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(strictly);
    if (typeof s !== 'object' || s === null) return s;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s))
      out[k] = k === 'properties' ? mapValues(v, strictly) : strictly(v);
    if ('properties' in out && out.type === 'object') out.additionalProperties = false;
    return out;
  };
  const mapValues = (o: unknown, f: (v: unknown) => unknown) =>
    Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
  const valid = ajv.validate(strictly(schema.oneOf[branch]) as object, body);
  assert.ok(valid, ajv.errorsText(ajv.errors));
}

describe('GET and PATCH /v2/users/{userId}/settings', () => {
  let z: TestZemu;
  let token: string;
  let userId: string;
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    const created = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'settings@demo.zemu.test',
      type: 1,
    });
    userId = created.body.id;
  });
  after(() => z.close());

  test("GET: Zoom's groups with their defaults, valid against the 2025 spec", async () => {
    const res = await z.api('GET', `/users/${userId}/settings`, token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'email_notification',
      'feature',
      'in_meeting',
      'recording',
      'schedule_meeting',
      'telephony',
    ]);
    assertMatchesSettingsBranch(0, res.body);
    assert.equal(res.body.schedule_meeting.host_video, false);
    assert.equal(res.body.in_meeting.waiting_room, true);
    assert.equal(res.body.recording.auto_recording, 'none');
    assert.equal(res.body.feature.meeting_capacity, 100);
    const security = await z.api('GET', `/users/${userId}/settings?option=meeting_security`, token);
    assert.equal(security.status, 200);
    assert.deepEqual(Object.keys(security.body), ['meeting_security']);
    assertMatchesSettingsBranch(4, security.body);
    assert.equal(security.body.meeting_security.waiting_room, true);
    const auth = await z.api('GET', `/users/${userId}/settings?option=meeting_authentication`, token);
    assert.deepEqual(auth.body, { meeting_authentication: false, authentication_options: [] });
    assertMatchesSettingsBranch(2, auth.body);
  });

  test('the strict branch check can fail: an unknown field or a wrong type is caught', () => {
    assert.throws(() => assertMatchesSettingsBranch(0, { schedule_meeting: { host_vidoe: true } }));
    assert.throws(() => assertMatchesSettingsBranch(0, { in_meeting: { chat: 'yes' } }));
  });

  test('PATCH: 204; known fields deep-merged, others kept; GET shows them; me and email work too', async () => {
    const res = await z.api('PATCH', `/users/${userId}/settings`, token, {
      schedule_meeting: { host_video: true, meeting_password_requirement: { length: 8 } },
      in_meeting: { who_can_share_screen: 'all' },
      recording: { auto_recording: 'cloud' },
      made_up_group: { x: 1 },
      email_notification: { made_up_field: true },
    });
    assert.equal(res.status, 204, res.text);
    assertMatchesSpec('PATCH', '/users/{userId}/settings', res);
    const second = await z.api('PATCH', '/users/settings@demo.zemu.test/settings', token, {
      schedule_meeting: { participants_video: true },
    });
    assert.equal(second.status, 204);
    const got = await z.api('GET', `/users/${userId}/settings`, token);
    assertMatchesSettingsBranch(0, got.body);
    assert.equal(got.body.schedule_meeting.host_video, true);
    assert.equal(got.body.schedule_meeting.participants_video, true);
    assert.equal(got.body.schedule_meeting.meeting_password_requirement.length, 8);
    assert.equal(got.body.schedule_meeting.meeting_password_requirement.have_letter, false, 'sibling kept');
    assert.equal(got.body.in_meeting.who_can_share_screen, 'all');
    assert.equal(got.body.in_meeting.chat, true, 'untouched default');
    assert.equal(got.body.recording.auto_recording, 'cloud');
    assert.equal('made_up_group' in got.body, false);
    assert.equal('made_up_field' in got.body.email_notification, false);
    // Another user keeps the defaults.
    const owner = await z.api('GET', '/users/me/settings', token);
    assert.equal(owner.body.schedule_meeting.host_video, false);
    // custom_query_fields narrows the answer.
    const narrow = await z.api('GET', `/users/${userId}/settings?custom_query_fields=host_video,chat`, token);
    assert.deepEqual(narrow.body, { schedule_meeting: { host_video: true }, in_meeting: { chat: true } });
  });

  test('PATCH option=meeting_security updates that group', async () => {
    const res = await z.api('PATCH', `/users/${userId}/settings?option=meeting_security`, token, {
      meeting_security: { waiting_room: false, encryption_type: 'e2ee' },
    });
    assert.equal(res.status, 204, res.text);
    const got = await z.api('GET', `/users/${userId}/settings?option=meeting_security`, token);
    assert.equal(got.body.meeting_security.waiting_room, false);
    assert.equal(got.body.meeting_security.encryption_type, 'e2ee');
    assertMatchesSettingsBranch(4, got.body);
  });

  // docs/compatibility.md, "user.settings_updated".
  test('PATCH records user.settings_updated with the changed fields under settings and their previous values in old_object', async () => {
    const before = await z.api('GET', `/users/${userId}/settings`, token);
    const count = (await recordedEvents(z, 'user.settings_updated')).length;
    const chat = before.body.in_meeting.chat as boolean;
    const res = await z.api('PATCH', `/users/${userId}/settings`, token, {
      in_meeting: { chat: !chat, who_can_share_screen: before.body.in_meeting.who_can_share_screen },
      schedule_meeting: { meeting_password_requirement: { length: 9 } },
      made_up_group: { x: 1 },
    });
    assert.equal(res.status, 204, res.text);
    const events = await recordedEvents(z, 'user.settings_updated');
    assert.equal(events.length, count + 1, 'one event for the call');
    const { payload } = events.at(-1)!;
    assert.deepEqual(Object.keys(payload).sort(), [
      'account_id',
      'object',
      'old_object',
      'operator',
      'operator_id',
      'time_stamp',
    ]);
    assert.equal(payload.time_stamp, events.at(-1)!.event_ts);
    // Only what changed: the unchanged who_can_share_screen and the unknown group are not in it.
    assert.deepEqual(payload.object, {
      id: userId,
      settings: {
        in_meeting: { chat: !chat },
        schedule_meeting: { meeting_password_requirement: { length: 9 } },
      },
    });
    assert.deepEqual(payload.old_object, {
      id: userId,
      settings: {
        in_meeting: { chat },
        schedule_meeting: {
          meeting_password_requirement: {
            length: before.body.schedule_meeting.meeting_password_requirement.length,
          },
        },
      },
    });
    // Values already set: no event.
    const again = await z.api('PATCH', `/users/${userId}/settings`, token, { in_meeting: { chat: !chat } });
    assert.equal(again.status, 204);
    assert.equal((await recordedEvents(z, 'user.settings_updated')).length, count + 1);
  });

  test("unknown fields are ignored, Object.prototype's names too; a PATCH that changes nothing records no event", async () => {
    const before = await z.api('GET', `/users/${userId}/settings`, token);
    const events = (await recordedEvents(z, 'user.settings_updated')).length;
    for (const body of [
      { in_meeting: { constructor: true, toString: 'x' } },
      { toString: { length: 5 }, constructor: { a: 1 }, hasOwnProperty: {} },
      { in_meeting: { chat: before.body.in_meeting.chat } },
    ]) {
      const res = await z.api('PATCH', `/users/${userId}/settings`, token, body);
      assert.equal(res.status, 204, `${JSON.stringify(body)}: ${res.text}`);
    }
    const after = await z.api('GET', `/users/${userId}/settings`, token);
    assert.deepEqual(after.body, before.body);
    assert.equal((await recordedEvents(z, 'user.settings_updated')).length, events);
  });

  test('wrong types and values are 300 with every field named; nothing is written', async () => {
    const before = await z.api('GET', `/users/${userId}/settings`, token);
    const res = await z.api('PATCH', `/users/${userId}/settings`, token, {
      schedule_meeting: {
        host_video: 'yes',
        audio_type: 'smoke',
        meeting_password_requirement: { length: 99 },
      },
      in_meeting: { allow_participants_chat_with: 1.5, data_center_regions: [1] },
      recording: 'cloud',
      feature: { meeting_capacity: 'big' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal(res.body.message, 'Validation Failed.');
    assert.deepEqual(
      res.body.errors.map((e: { field: string }) => e.field),
      [
        'schedule_meeting.host_video',
        'schedule_meeting.audio_type',
        'schedule_meeting.meeting_password_requirement.length',
        'in_meeting.allow_participants_chat_with',
        'in_meeting.data_center_regions',
        'recording',
        'feature.meeting_capacity',
      ],
    );
    assert.deepEqual((await z.api('GET', `/users/${userId}/settings`, token)).body, before.body);
    const notObject = await z.request('PATCH', `/v2/users/${userId}/settings`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '"x"',
    });
    assert.equal(notObject.status, 400);
    assert.equal(notObject.body.code, 300);
    const badOption = await z.api('GET', `/users/${userId}/settings?option=everything`, token);
    assert.equal(badOption.body.errors[0].field, 'option');
  });

  test('feature rules: large meetings and webinars need a Licensed user (1108, 1122); webinar vs Zoom Events (1205)', async () => {
    const large = await z.api('PATCH', `/users/${userId}/settings`, token, {
      feature: { large_meeting: true },
    });
    assert.deepEqual(large.body, {
      code: 1108,
      message: 'Only Licensed or On-prem users can enable the large meeting feature.',
    });
    const webinar = await z.api('PATCH', `/users/${userId}/settings`, token, { feature: { webinar: true } });
    assert.deepEqual(webinar.body, {
      code: 1122,
      message: 'Webinar feature can only be enabled for Licensed or On-prem users.',
    });
    assert.equal((await z.api('GET', `/users/${userId}/settings`, token)).body.feature.webinar, false);
    const licensed = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'licensed@demo.zemu.test',
      type: 2,
    });
    const id = licensed.body.id;
    assert.equal(
      (await z.api('PATCH', `/users/${id}/settings`, token, { feature: { webinar: true } })).status,
      204,
    );
    const events = await z.api('PATCH', `/users/${id}/settings`, token, { feature: { zoom_events: true } });
    assert.equal(events.body.code, 1205);
    assert.equal((await z.api('GET', `/users/${id}/settings`, token)).body.feature.zoom_events, false);
  });

  test('unknown users are 1001; tokens without the scopes are 4711 (read and write apart)', async () => {
    assert.equal((await z.api('GET', '/users/nobody/settings', token)).body.code, 1001);
    assert.equal((await z.api('PATCH', '/users/nobody/settings', token, {})).body.code, 1001);
    const readOnly = await s2s(z, ['user:read:settings:admin']);
    assert.equal((await z.api('GET', `/users/${userId}/settings`, readOnly)).status, 200);
    const write = await z.api('PATCH', `/users/${userId}/settings`, readOnly, {
      schedule_meeting: { host_video: false },
    });
    assert.deepEqual(write.body, {
      code: 4711,
      message:
        'Invalid access token, does not contain scopes:[user:update:settings, user:update:settings:admin].',
    });
    const writeOnly = await s2s(z, ['user:update:settings:admin']);
    const read = await z.api('GET', `/users/${userId}/settings`, writeOnly);
    assert.equal(read.body.code, 4711);
    assert.equal(
      (await z.api('GET', `/users/${userId}/settings`, token)).body.schedule_meeting.host_video,
      true,
    );
  });
});
