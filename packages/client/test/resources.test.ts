/** Resources only build paths, bodies and queries; checked against a recording fetch. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ZoomClient } from '@zemu/client';
import { recordingSleep } from './helpers.js';

function recording() {
  const calls: Array<{ method: string; url: string; body: unknown }> = [];
  const zoom = new ZoomClient({
    baseUrl: 'http://zemu.test',
    auth: { type: 'static', token: 't' },
    fetch: async (url, init) => {
      calls.push({
        method: init?.method ?? 'GET',
        url: String(url),
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return new Response(JSON.stringify({ id: 1 }), { status: 201 });
    },
  });
  return { zoom, calls };
}

describe('meetings.create', () => {
  test('(userId, body) like users.update, the user id first', async () => {
    const { zoom, calls } = recording();
    assert.deepEqual(await zoom.meetings.create('u@x.test', { topic: 'Sync' }), { id: 1 });
    assert.deepEqual(calls, [
      { method: 'POST', url: 'http://zemu.test/v2/users/u%40x.test/meetings', body: { topic: 'Sync' } },
    ]);
  });

  test('the deprecated (body, userId) order still works, userId defaulting to me', async () => {
    const { zoom, calls } = recording();
    await zoom.meetings.create({ topic: 'old' }, 'u1');
    await zoom.meetings.create({ topic: 'older' });
    assert.deepEqual(
      calls.map((c) => [c.url, c.body]),
      [
        ['http://zemu.test/v2/users/u1/meetings', { topic: 'old' }],
        ['http://zemu.test/v2/users/me/meetings', { topic: 'older' }],
      ],
    );
  });
});

describe('call options', () => {
  test('users.getToken sends its query fields and keeps the call options out of the query', async () => {
    const { zoom, calls } = recording();
    await zoom.users.getToken('me', { type: 'zak', ttl: 60, maxRetries: 0, timeoutMs: 1000 });
    assert.equal(calls[0]?.url, 'http://zemu.test/v2/users/me/token?type=zak&ttl=60');
  });
});

describe('meetings.end, pastMeetings and reports build Zoom paths', () => {
  test('meetings.end is PUT /meetings/{id}/status {"action":"end"}', async () => {
    const { zoom, calls } = recording();
    await zoom.meetings.end(85746065432);
    assert.deepEqual(calls, [
      { method: 'PUT', url: 'http://zemu.test/v2/meetings/85746065432/status', body: { action: 'end' } },
    ]);
  });

  test('a uuid that begins with / or holds // is double-encoded, any other uuid encoded once', async () => {
    const { zoom, calls } = recording();
    await zoom.pastMeetings.get('/ab+cdefghijklmnopqrst==');
    await zoom.pastMeetings.participantsPage('ab//cdefghijklmnopqrst==', { page_size: 5 });
    await zoom.reports.meeting('ab/cd+efghijklmnopqrst==');
    await zoom.reports.meetingParticipantsPage(12345);
    await zoom.pastMeetings.instances('12345');
    await zoom.reports.userMeetingsPage('u@x.test', { from: '2031-01-01', to: '2031-01-31', type: 'past' });
    assert.deepEqual(
      calls.map((c) => c.url),
      [
        'http://zemu.test/v2/past_meetings/%252Fab%252Bcdefghijklmnopqrst%253D%253D',
        'http://zemu.test/v2/past_meetings/ab%252F%252Fcdefghijklmnopqrst%253D%253D/participants?page_size=5',
        'http://zemu.test/v2/report/meetings/ab%2Fcd%2Befghijklmnopqrst%3D%3D',
        'http://zemu.test/v2/report/meetings/12345/participants',
        'http://zemu.test/v2/past_meetings/12345/instances',
        'http://zemu.test/v2/report/users/u%40x.test/meetings?from=2031-01-01&to=2031-01-31&type=past',
      ],
    );
  });
});

describe('recordings build Zoom paths, and download keeps credentials out of URLs', () => {
  test('get, list, delete, recover and settings name the documented paths, uuids double-encoded', async () => {
    const { zoom, calls } = recording();
    await zoom.recordings.get('/ab==', { include_fields: 'download_access_token', ttl: 60 });
    await zoom.recordings.listPage('me', { from: '2031-01-01', to: '2031-01-31', trash: true });
    await zoom.recordings.delete(85746065432, { action: 'delete' });
    await zoom.recordings.deleteFile(85746065432, 'f-1');
    await zoom.recordings.recover('ab==');
    await zoom.recordings.recoverFile(85746065432, 'f-1');
    await zoom.recordings.settings(85746065432);
    await zoom.recordings.updateSettings(85746065432, { viewer_download: false });
    assert.deepEqual(
      calls.map((c) => [c.method, c.url, c.body]),
      [
        [
          'GET',
          'http://zemu.test/v2/meetings/%252Fab%253D%253D/recordings?include_fields=download_access_token&ttl=60',
          undefined,
        ],
        [
          'GET',
          'http://zemu.test/v2/users/me/recordings?from=2031-01-01&to=2031-01-31&trash=true',
          undefined,
        ],
        ['DELETE', 'http://zemu.test/v2/meetings/85746065432/recordings?action=delete', undefined],
        ['DELETE', 'http://zemu.test/v2/meetings/85746065432/recordings/f-1', undefined],
        ['PUT', 'http://zemu.test/v2/meetings/ab%3D%3D/recordings/status', { action: 'recover' }],
        ['PUT', 'http://zemu.test/v2/meetings/85746065432/recordings/f-1/status', { action: 'recover' }],
        ['GET', 'http://zemu.test/v2/meetings/85746065432/recordings/settings', undefined],
        ['PATCH', 'http://zemu.test/v2/meetings/85746065432/recordings/settings', { viewer_download: false }],
      ],
    );
  });

  test('download sends the download token (or the access token) as a header, retries a 503, streams the body', async () => {
    const seen: Array<{ url: string; authorization: string | null }> = [];
    const { delays, sleep } = recordingSleep();
    const zoom = new ZoomClient({
      baseUrl: 'http://zemu.test',
      auth: { type: 'static', token: 'access' },
      sleep,
      fetch: async (url, init) => {
        seen.push({ url: String(url), authorization: new Headers(init?.headers).get('authorization') });
        if (seen.length === 1) return new Response('{"code":503,"message":"busy"}', { status: 503 });
        return new Response('file bytes', {
          status: 200,
          headers: {
            'content-type': 'video/mp4',
            'content-length': '10',
            'content-disposition': 'attachment; filename="Design review.mp4"',
          },
        });
      },
    });
    const file = await zoom.recordings.download('https://zoom.us/rec/download/abc', { downloadToken: 'dl' });
    assert.equal(await new Response(file.body).text(), 'file bytes');
    assert.deepEqual([file.contentType, file.size, file.fileName], ['video/mp4', 10, 'Design review.mp4']);
    assert.equal(delays.length, 1, 'one retry after the 503');
    assert.deepEqual(seen, [
      { url: 'https://zoom.us/rec/download/abc', authorization: 'Bearer dl' },
      { url: 'https://zoom.us/rec/download/abc', authorization: 'Bearer dl' },
    ]);
    await zoom.recordings.download({ download_url: 'http://zemu.test/rec/download/abc' });
    assert.equal(
      seen.at(-1)?.authorization,
      'Bearer access',
      "the client's own origin gets the access token",
    );
    const odd = new ZoomClient({
      baseUrl: 'http://zemu.test',
      auth: { type: 'static', token: 'access' },
      fetch: async () =>
        new Response('x', { headers: { 'content-disposition': 'attachment; filename="100%.mp4"' } }),
    });
    assert.equal((await odd.recordings.download('https://zoom.us/rec/download/abc')).fileName, '100%.mp4');
    await assert.rejects(zoom.recordings.download('https://zoom.us.evil.test/rec/download/abc'), TypeError);
    await assert.rejects(
      zoom.recordings.download('http://zoom.us/rec/download/abc'),
      TypeError,
      'not over http',
    );
  });
});
