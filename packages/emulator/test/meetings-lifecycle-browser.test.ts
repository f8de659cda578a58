/**
 * The meeting lifecycle end to end, as people and an integration live it (issue 16, point 3): the host
 * opens the start link in headless Chromium, two people join through the join page, the host's
 * integration ends the meeting through the API, and the past meeting lists the three of them with
 * the times the emulated clock gave. A webhook receiver gets the signed events in order; the meeting
 * records to the cloud, so recording.completed arrives too, and its download_token downloads the file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { pathUuid, recordedEvents, startTestZemu, type TestZemu } from './helpers.js';
import { browserRequirement } from './requirements.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const browserNeed = browserRequirement();
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const EVENTS = [
  'meeting.started',
  'meeting.participant_joined',
  'meeting.participant_left',
  'meeting.ended',
  'recording.completed',
];
const asset = (name: string) => readFileSync(new URL(`../assets/recordings/${name}`, import.meta.url));

describe('a meeting lived in a browser: start, two joins, end through the API, past meeting, webhooks', {
  skip: 'skip' in browserNeed && browserNeed.skip,
}, () => {
  let z: TestZemu;
  let browser: Browser;
  let receiver: Receiver;
  const start = Date.parse('2031-06-01T15:00:00Z');

  before(async () => {
    z = await startTestZemu();
    receiver = await startReceiver('lifecycle-browser-secret');
    await z.control('POST', '/clock', { set: iso(start), frozen: true });
    const sub = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
      endpoint_url: receiver.url,
      events: EVENTS,
      secret_token: receiver.secret,
    });
    assert.equal(sub.status, 201, sub.text);
    browser = await chromium.launch({
      executablePath: 'executablePath' in browserNeed ? browserNeed.executablePath : '',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    await z?.close();
    await receiver?.close();
  });

  const advance = (seconds: number) => z.control('POST', '/clock', { advance: seconds });

  async function join(url: string, name: string, email: string) {
    const page = await browser.newPage();
    try {
      assert.equal((await page.goto(url))?.status(), 200);
      await page.fill('#name', name);
      if (await page.locator('#email').count()) await page.fill('#email', email);
      await page.click('button[type=submit]');
      await page.waitForLoadState('load');
      assert.match(await page.locator('#joined').innerText(), new RegExp(`^${name} joined`));
    } finally {
      await page.close();
    }
  }

  test('three people in the past meeting, with the times that happened, and the events in order', async () => {
    let token = await z.s2sToken();
    const created = await z.api('POST', '/users/me/meetings', token, {
      topic: 'Quarterly review',
      type: 2,
      start_time: iso(start),
      duration: 60,
      settings: { auto_recording: 'cloud' },
    });
    assert.equal(created.status, 201, created.text);
    const m = created.body as { id: number; uuid: string; start_url: string; join_url: string };

    const host = await browser.newPage();
    try {
      assert.equal((await host.goto(m.start_url))?.status(), 200);
      assert.match(await host.locator('h1').innerText(), new RegExp(`Meeting ${m.id} started by`));
    } finally {
      await host.close();
    }
    await advance(120);
    await join(m.join_url, 'Ada', 'ada@example.com');
    await advance(180);
    await join(m.join_url, 'Grace', 'grace@example.com');
    await advance(600);

    token = await z.s2sToken();
    const live = await z.api('GET', `/meetings/${m.id}`, token);
    assert.equal(live.body.status, 'started');
    const end = await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
    assert.equal(end.status, 204, end.text);
    const endAt = start + 900_000;

    const past = await z.api('GET', `/past_meetings/${pathUuid(m.uuid)}`, token);
    assert.equal(past.status, 200, past.text);
    assert.equal(past.body.uuid, m.uuid);
    assert.equal(past.body.start_time, iso(start));
    assert.equal(past.body.end_time, iso(endAt));
    assert.equal(past.body.duration, 15);
    assert.equal(past.body.participants_count, 3);

    const people = await z.api('GET', `/past_meetings/${pathUuid(m.uuid)}/participants`, token);
    assert.equal(people.status, 200, people.text);
    assert.equal(people.body.total_records, 3);
    const byName = Object.fromEntries(people.body.participants.map((p: { name: string }) => [p.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['Ada', 'Demo Owner', 'Grace']);
    assert.equal(byName.Ada.user_email, 'ada@example.com');
    const report = await z.api('GET', `/report/meetings/${m.id}/participants`, token);
    assert.equal(report.status, 200, report.text);
    const seen = Object.fromEntries(
      report.body.participants.map(
        (p: { name: string; join_time: string; leave_time: string; duration: number }) => [
          p.name,
          [p.join_time, p.leave_time, p.duration],
        ],
      ),
    );
    assert.deepEqual(seen, {
      'Demo Owner': [iso(start), iso(endAt), 900],
      Ada: [iso(start + 120_000), iso(endAt), 780],
      Grace: [iso(start + 300_000), iso(endAt), 600],
    });

    // Recorded in the order they happened; delivered in parallel, as Zoom gives no order either.
    const order = [
      'meeting.started',
      'meeting.participant_joined',
      'meeting.participant_joined',
      'meeting.participant_joined',
      'meeting.participant_left',
      'meeting.participant_left',
      'meeting.participant_left',
      'meeting.ended',
      'recording.completed',
    ];
    assert.deepEqual(
      (await recordedEvents(z)).map((e) => e.event).filter((e) => EVENTS.includes(e)),
      order,
    );
    assert.equal((await z.control('POST', '/webhooks/deliver')).status, 200);
    const events = receiver.events();
    assert.ok(
      events.every((e) => e.signatureOk),
      'every delivery is signed with the secret',
    );
    assert.deepEqual(events.map((e) => e.json.event).sort(), [...order].sort());
    assert.equal(receiver.events('meeting.participant_left').length, 3);
    const joined = receiver
      .events('meeting.participant_joined')
      .map((e) => e.json.payload.object)
      .sort((a, b) => a.participant.join_time.localeCompare(b.participant.join_time));
    assert.deepEqual(
      joined.map((o) => [o.id, o.uuid, o.participant.user_name, o.participant.join_time]),
      [
        [String(m.id), m.uuid, 'Demo Owner', iso(start)],
        [String(m.id), m.uuid, 'Ada', iso(start + 120_000)],
        [String(m.id), m.uuid, 'Grace', iso(start + 300_000)],
      ],
    );
    const ended = receiver.events('meeting.ended')[0]?.json.payload.object;
    assert.equal(ended.uuid, m.uuid);
    assert.equal(ended.end_time, iso(endAt));

    // The recording: its download_token (beside the payload, 24 hours) fetches each file whole, and
    // the same token of this recording does not open a file once the clock is past its lifetime.
    const completed = receiver.events('recording.completed')[0]?.json;
    assert.ok(completed, 'recording.completed delivered');
    assert.equal(completed.payload.object.uuid, m.uuid);
    assert.equal(typeof completed.download_token, 'string');
    const files = completed.payload.object.recording_files as Array<{
      file_type: string;
      download_url: string;
    }>;
    const mp4 = files.find((f) => f.file_type === 'MP4');
    assert.ok(mp4, 'an MP4 among the files');
    const download = (token: string) =>
      fetch(`${mp4.download_url}?access_token=${encodeURIComponent(token)}`);
    const got = await download(completed.download_token);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'video/mp4');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(asset('recording.mp4')), 'the MP4 byte for byte');
    await advance(24 * 3600 + 1);
    const late = await download(completed.download_token);
    assert.equal(late.status, 401);
    assert.equal(((await late.json()) as { code: number }).code, 124);
  });
});
