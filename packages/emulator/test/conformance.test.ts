/**
 * Conformance with Zoom's own spec: one walk through every operation Zemu serves under /v2, each 2xx
 * answer validated against the official OpenAPI document of its operation (test/spec.ts). The list of
 * operations is the one the request validation is extracted for, so an operation added there without
 * a call here fails this test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import schemas from '../src/api/spec/request-schemas.json' with { type: 'json' };
import { startTestZemu, type TestZemu } from './helpers.js';
import { assertMatchesSpec } from './spec.js';

describe('every /v2 operation answers what the spec says', () => {
  let z: TestZemu;
  let token: string;
  const checked = new Set<string>();

  /** Calls `method path`, expects `status`, validates the body against `template`'s operation. */
  async function call(method: string, template: string, path: string, status: number, body?: unknown) {
    const res = await z.api(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    assertMatchesSpec(method, template, res);
    checked.add(`${method} ${template}`);
    return res;
  }

  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
  });
  after(() => z.close());

  test('Users and Meetings, each 2xx body valid against Zoom’s OpenAPI documents', async () => {
    const created = await call('POST', '/users', '/users', 201, {
      action: 'autoCreate',
      user_info: { email: 'conformance@demo.zemu.test', type: 1, first_name: 'Con', password: 'Passw0rd1' },
    });
    const id = created.body.id as string;
    await call('GET', '/users', '/users?page_size=10', 200);
    await call('GET', '/users/{userId}', `/users/${id}`, 200);
    await call('GET', '/users/{userId}', '/users/me', 200);
    await call('PATCH', '/users/{userId}', `/users/${id}`, 204, { last_name: 'Formance', dept: 'QA' });
    await call('GET', '/users/email', '/users/email?email=conformance@demo.zemu.test', 200);
    await call('GET', '/users/{userId}/token', `/users/${id}/token?type=zak&ttl=3600`, 200);
    await call('GET', '/users/{userId}/token', `/users/${id}/token`, 200);
    await call('GET', '/users/me/zak', '/users/me/zak', 200);
    await call('PUT', '/users/{userId}/status', `/users/${id}/status`, 204, { action: 'deactivate' });
    await call('PUT', '/users/{userId}/status', `/users/${id}/status`, 204, { action: 'activate' });
    await call('PUT', '/users/{userId}/password', `/users/${id}/password`, 204, { password: 'Other1pass' });
    await call('GET', '/users/{userId}/settings', `/users/${id}/settings`, 200);
    await call('GET', '/users/{userId}/settings', `/users/${id}/settings?option=meeting_security`, 200);
    await call('PATCH', '/users/{userId}/settings', `/users/${id}/settings`, 204, {
      in_meeting: { chat: false },
    });
    await call('DELETE', '/users/{userId}/token', `/users/${id}/token`, 204);

    const meeting = await call('POST', '/users/{userId}/meetings', `/users/${id}/meetings`, 201, {
      topic: 'Conformance',
      type: 2,
      start_time: '2030-01-01T10:00:00Z',
      duration: 30,
    });
    const recurring = await call('POST', '/users/{userId}/meetings', `/users/${id}/meetings`, 201, {
      topic: 'Weekly',
      type: 8,
      start_time: '2030-01-01T10:00:00Z',
      duration: 30,
      timezone: 'Europe/Paris',
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '3', end_times: 4 },
    });
    await call('GET', '/users/{userId}/meetings', `/users/${id}/meetings`, 200);
    await call('GET', '/users/{userId}/meetings', `/users/${id}/meetings?type=upcoming&page_size=1`, 200);
    await call('GET', '/meetings/{meetingId}', `/meetings/${meeting.body.id}`, 200);
    await call('GET', '/meetings/{meetingId}', `/meetings/${recurring.body.id}`, 200);
    await call('PATCH', '/meetings/{meetingId}', `/meetings/${meeting.body.id}`, 204, { agenda: 'checked' });
    // The lifecycle: the host joins (control API), a guest joins, the meeting ends through the API.
    const live = await call('POST', '/users/{userId}/meetings', `/users/${id}/meetings`, 201, {
      topic: 'Live',
    });
    assert.equal(
      (await z.control('POST', `/meetings/${live.body.id}/participants`, { user_id: id })).status,
      201,
    );
    assert.equal(
      (await z.control('POST', `/meetings/${live.body.id}/participants`, { name: 'Guest' })).status,
      201,
    );
    await call('PUT', '/meetings/{meetingId}/status', `/meetings/${live.body.id}/status`, 204, {
      action: 'end',
    });
    await call('GET', '/past_meetings/{meetingId}', `/past_meetings/${live.body.id}`, 200);
    await call(
      'GET',
      '/past_meetings/{meetingId}',
      `/past_meetings/${encodeURIComponent(encodeURIComponent(live.body.uuid))}`,
      200,
    );
    await call(
      'GET',
      '/past_meetings/{meetingId}/instances',
      `/past_meetings/${live.body.id}/instances`,
      200,
    );
    await call(
      'GET',
      '/past_meetings/{meetingId}/participants',
      `/past_meetings/${live.body.id}/participants`,
      200,
    );
    await call(
      'GET',
      '/past_meetings/{meetingId}/participants',
      `/past_meetings/${live.body.id}/participants?page_size=1`,
      200,
    );
    await call('GET', '/report/meetings/{meetingId}', `/report/meetings/${live.body.id}`, 200);
    await call(
      'GET',
      '/report/meetings/{meetingId}/participants',
      `/report/meetings/${live.body.id}/participants?include_fields=registrant_id`,
      200,
    );
    const today = new Date((await z.control('GET', '/clock')).body.epoch_ms).toISOString().slice(0, 10);
    await call(
      'GET',
      '/report/users/{userId}/meetings',
      `/report/users/${id}/meetings?from=${today}&to=${today}&type=pastJoined`,
      200,
    );
    // Registrants: a meeting with manual approval, one registrant approved, one pending, questions.
    const withReg = await call('POST', '/users/{userId}/meetings', `/users/${id}/meetings`, 201, {
      topic: 'Registration',
      type: 8,
      start_time: '2030-01-01T10:00:00Z',
      duration: 30,
      recurrence: { type: 1, repeat_interval: 1, end_times: 2 },
      settings: { approval_type: 1 },
    });
    const reg = `/meetings/${withReg.body.id}/registrants`;
    await call('PATCH', '/meetings/{meetingId}/registrants/questions', `${reg}/questions`, 204, {
      questions: [{ field_name: 'last_name', required: true }],
      custom_questions: [{ title: 'Level?', type: 'single', required: false, answers: ['A', 'B'] }],
    });
    await call('GET', '/meetings/{meetingId}/registrants/questions', `${reg}/questions`, 200);
    const jill = await call('POST', '/meetings/{meetingId}/registrants', reg, 201, {
      email: 'jill@example.test',
      first_name: 'Jill',
      last_name: 'Chill',
      no_of_employees: '1-20',
      custom_questions: [{ title: 'Level?', value: 'A' }],
    });
    await call('POST', '/meetings/{meetingId}/registrants', reg, 201, {
      email: 'jack@example.test',
      first_name: 'Jack',
      last_name: 'Chill',
    });
    await call('PUT', '/meetings/{meetingId}/registrants/status', `${reg}/status`, 204, {
      action: 'approve',
      registrants: [{ id: jill.body.registrant_id }],
    });
    await call('GET', '/meetings/{meetingId}/registrants', reg, 200);
    await call('GET', '/meetings/{meetingId}/registrants', `${reg}?status=pending&page_size=1`, 200);
    await call(
      'GET',
      '/meetings/{meetingId}/registrants/{registrantId}',
      `${reg}/${jill.body.registrant_id}`,
      200,
    );
    await call(
      'DELETE',
      '/meetings/{meetingId}/registrants/{registrantId}',
      `${reg}/${jill.body.registrant_id}`,
      204,
    );
    // Cloud recording (a Licensed host's): a meeting that records to the cloud, ended through the API.
    await call('PATCH', '/users/{userId}', `/users/${id}`, 204, { type: 2 });
    const cloud = await call('POST', '/users/{userId}/meetings', `/users/${id}/meetings`, 201, {
      topic: 'Recorded',
      settings: { auto_recording: 'cloud' },
    });
    assert.equal(
      (await z.control('POST', `/meetings/${cloud.body.id}/participants`, { user_id: id })).status,
      201,
    );
    await call('PUT', '/meetings/{meetingId}/status', `/meetings/${cloud.body.id}/status`, 204, {
      action: 'end',
    });
    const rec = `/meetings/${cloud.body.id}/recordings`;
    const recording = await call('GET', '/meetings/{meetingId}/recordings', rec, 200);
    await call(
      'GET',
      '/meetings/{meetingId}/recordings',
      `${rec}?include_fields=download_access_token&ttl=600`,
      200,
    );
    await call('GET', '/users/{userId}/recordings', `/users/${id}/recordings?from=${today}&to=${today}`, 200);
    await call('GET', '/users/{userId}/recordings', `/users/${id}/recordings?page_size=1`, 200);
    await call('GET', '/meetings/{meetingId}/recordings/settings', `${rec}/settings`, 200);
    await call('PATCH', '/meetings/{meetingId}/recordings/settings', `${rec}/settings`, 204, {
      share_recording: 'internally',
      password: 'Passw0rd1',
    });
    await call('GET', '/meetings/{meetingId}/recordings/settings', `${rec}/settings`, 200);
    const fileId = recording.body.recording_files[0].id as string;
    await call('DELETE', '/meetings/{meetingId}/recordings/{recordingId}', `${rec}/${fileId}`, 204);
    await call(
      'GET',
      '/users/{userId}/recordings',
      `/users/${id}/recordings?trash=true&trash_type=recording_file`,
      200,
    );
    await call(
      'PUT',
      '/meetings/{meetingId}/recordings/{recordingId}/status',
      `${rec}/${fileId}/status`,
      204,
      { action: 'recover' },
    );
    await call('DELETE', '/meetings/{meetingId}/recordings', `${rec}?action=trash`, 204);
    await call('GET', '/users/{userId}/recordings', `/users/${id}/recordings?trash=true`, 200);
    const uuid = encodeURIComponent(encodeURIComponent(recording.body.uuid));
    await call(
      'PUT',
      '/meetings/{meetingUUID}/recordings/status',
      `/meetings/${uuid}/recordings/status`,
      204,
      {
        action: 'recover',
      },
    );
    await call(
      'DELETE',
      '/meetings/{meetingId}/recordings/{recordingId}',
      `${rec}/${fileId}?action=delete`,
      204,
    );
    await call('DELETE', '/meetings/{meetingId}/recordings', `${rec}?action=delete`, 204);

    await call('DELETE', '/meetings/{meetingId}', `/meetings/${meeting.body.id}`, 204);

    await call('PUT', '/users/{userId}/email', `/users/${id}/email`, 204, {
      email: 'conformance-renamed@demo.zemu.test',
    });
    await call('DELETE', '/users/{userId}', `/users/${id}?action=delete`, 204);

    const served = Object.keys(schemas).sort();
    assert.deepEqual([...checked].sort(), served, 'every operation Zemu serves was called and validated');
  });
});
