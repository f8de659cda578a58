/**
 * zoom.meetings.end, zoom.pastMeetings and zoom.reports against a live Zemu: a meeting starts (its
 * host joins), guests join, the client ends it, and the past meeting, its participants (every page),
 * its report and the host's report list (every page) say what happened; ending it again is a ZoomApiError.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type PastMeetingParticipant,
  type ReportParticipant,
  type ReportUserMeeting,
  ZoomApiError,
  type ZoomClient,
  ZoomNotFoundError,
} from '@zemu/client';
import { type LiveZemu, liveZemu } from './helpers.js';

const START = '2031-07-01T10:00:00Z';
const DAY = START.slice(0, 10);

describe('zoom.meetings.end, zoom.pastMeetings and zoom.reports against Zemu', () => {
  let z: LiveZemu;
  let zoom: ZoomClient;
  const ended: Array<{ id: number; uuid: string }> = [];

  before(async () => {
    z = await liveZemu();
    assert.equal((await z.control('POST', '/clock', { set: START, frozen: true })).status, 200);
    zoom = z.client();
    // Three meetings, each: the host, then two guests, five minutes, ended by the client.
    for (let i = 0; i < 3; i++) {
      const m = await zoom.meetings.create('me', { topic: `Lifecycle ${i}`, type: 2, duration: 30 });
      const id = m.id as number;
      assert.equal(
        (await z.control('POST', `/meetings/${id}/participants`, { user_id: z.demo.user_id })).status,
        201,
      );
      await z.advance(60);
      for (const name of ['Ann', 'Bob']) {
        const res = await z.control('POST', `/meetings/${id}/participants`, {
          name,
          email: `${name}@x.test`,
        });
        assert.equal(res.status, 201);
      }
      await z.advance(240);
      await zoom.meetings.end(id);
      ended.push({ id, uuid: m.uuid as string });
    }
  });
  after(() => z.close());

  test('meetings.end ends the live meeting; ending it again is a ZoomApiError with Zoom code 3000', async () => {
    const [first] = ended;
    const now = await zoom.meetings.get(first?.id as number);
    assert.equal(now.status, 'waiting');
    assert.notEqual(now.uuid, first?.uuid, 'the next instance has a new uuid');
    await assert.rejects(zoom.meetings.end(first?.id as number), (e: unknown) => {
      assert.ok(e instanceof ZoomApiError);
      assert.equal(e.status, 400);
      assert.equal(e.code, 3000);
      return true;
    });
  });

  test('pastMeetings.get by meeting ID and by uuid; instances; participants over every page', async () => {
    const [first] = ended as [{ id: number; uuid: string }];
    const byId = await zoom.pastMeetings.get(first.id);
    assert.equal(byId.uuid, first.uuid);
    assert.equal(byId.duration, 5);
    assert.equal(byId.participants_count, 3);
    assert.deepEqual(await zoom.pastMeetings.get(first.uuid), byId);
    const instances = await zoom.pastMeetings.instances(first.id);
    assert.deepEqual(
      instances.meetings?.map((i) => i.uuid),
      [first.uuid],
    );
    const people: PastMeetingParticipant[] = [];
    for await (const p of zoom.pastMeetings.participants(first.uuid, { page_size: 2 })) people.push(p);
    assert.deepEqual(
      people.map((p) => [p.name, p.duration]),
      [
        [people[0]?.name, 300],
        ['Ann', 240],
        ['Bob', 240],
      ],
    );
    assert.equal(people[0]?.id, z.demo.user_id);
    const pages = [];
    for await (const page of zoom.pastMeetings.participants(first.id, { page_size: 2 }).pages())
      pages.push(page);
    assert.deepEqual(
      pages.map((p) => p.participants?.length),
      [2, 1],
    );
    await assert.rejects(zoom.pastMeetings.get('AAAAAAAAAAAAAAAAAAAAAA=='), ZoomNotFoundError);
  });

  test('reports.meeting, meetingParticipants and userMeetings(from, to) over every page', async () => {
    const [first] = ended as [{ id: number; uuid: string }];
    const report = await zoom.reports.meeting(first.uuid);
    assert.equal(report.uuid, first.uuid);
    assert.equal(report.participants_count, 3);
    assert.equal(report.total_minutes, 13, '5 + 4 + 4 minutes');
    const people: ReportParticipant[] = [];
    for await (const p of zoom.reports.meetingParticipants(first.id, { page_size: 1 })) people.push(p);
    assert.deepEqual(people.map((p) => p.name).slice(1), ['Ann', 'Bob']);
    const meetings: ReportUserMeeting[] = [];
    for await (const m of zoom.reports.userMeetings('me', { from: DAY, to: DAY, page_size: 2 }))
      meetings.push(m);
    assert.deepEqual(
      meetings.map((m) => m.uuid),
      ended.map((m) => m.uuid),
    );
    const pages = [];
    for await (const page of zoom.reports.userMeetings('me', { from: DAY, to: DAY, page_size: 2 }).pages())
      pages.push(page.meetings?.length);
    assert.deepEqual(pages, [2, 1]);
    const none = await zoom.reports.userMeetingsPage('me', { from: '2030-01-01', to: '2030-01-31' });
    assert.deepEqual(none.meetings, []);
  });
});
