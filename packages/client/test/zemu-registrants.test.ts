/** zoom.meetings.registrants against a live Zemu: create, get, list (every page), status, questions, delete. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type RegistrantListItem,
  type ZoomClient,
  ZoomNotFoundError,
  ZoomValidationError,
} from '@zemu/client';
import { type LiveZemu, liveZemu } from './helpers.js';

describe('zoom.meetings.registrants against Zemu', () => {
  let z: LiveZemu;
  let zoom: ZoomClient;
  let meetingId: number;
  before(async () => {
    z = await liveZemu();
    zoom = z.client();
    const m = await zoom.meetings.create('me', {
      topic: 'Registration',
      type: 2,
      start_time: '2030-04-01T15:00:00Z',
      duration: 30,
      settings: { approval_type: 1 },
    });
    meetingId = m.id as number;
  });
  after(() => z.close());

  test('create, get, updateStatus, list every page by status, delete', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const created = await zoom.meetings.registrants.create(meetingId, {
        email: `r${n}@example.test`,
        first_name: `R${n}`,
      });
      assert.equal(created.id, meetingId);
      assert.ok(created.join_url?.includes('tk='));
      ids.push(created.registrant_id as string);
    }
    const one = await zoom.meetings.registrants.get(meetingId, ids[0] as string);
    assert.equal(one.email, 'r1@example.test');
    assert.equal(one.status, 'pending');

    const pending: RegistrantListItem[] = [];
    for await (const r of zoom.meetings.registrants.list(meetingId, { status: 'pending', page_size: 2 }))
      pending.push(r);
    assert.deepEqual(
      pending.map((r) => r.id),
      ids,
    );

    await zoom.meetings.registrants.updateStatus(meetingId, {
      action: 'approve',
      registrants: [{ id: ids[0] }, { email: 'r2@example.test' }],
    });
    const approved = await zoom.meetings.registrants.listPage(meetingId);
    assert.equal(approved.total_records, 2);

    await zoom.meetings.registrants.delete(meetingId, ids[2] as string);
    await assert.rejects(zoom.meetings.registrants.get(meetingId, ids[2] as string), (e: unknown) => {
      assert.ok(e instanceof ZoomNotFoundError);
      assert.equal(e.code, 3000);
      return true;
    });
  });

  test('questions get and update; a required question is asked of registrants', async () => {
    assert.deepEqual(await zoom.meetings.registrants.questions.get(meetingId), {
      questions: [],
      custom_questions: [],
    });
    await zoom.meetings.registrants.questions.update(meetingId, {
      questions: [{ field_name: 'org', required: true }],
    });
    const q = await zoom.meetings.registrants.questions.get(meetingId);
    assert.deepEqual(q.questions, [{ field_name: 'org', required: true }]);
    await assert.rejects(
      zoom.meetings.registrants.create(meetingId, { email: 'q@example.test', first_name: 'Q' }),
      (e: unknown) => {
        assert.ok(e instanceof ZoomValidationError);
        assert.equal(e.code, 300);
        return true;
      },
    );
    const ok = await zoom.meetings.registrants.create(meetingId, {
      email: 'q@example.test',
      first_name: 'Q',
      org: 'Zemu',
    });
    assert.ok(ok.registrant_id);
  });
});
