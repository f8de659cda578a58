/**
 * Cloud recordings (issue 16): a meeting whose settings ask for cloud recording gets, when an instance
 * ends, a recording with an MP4, an M4A and a VTT transcript; Zemu serves each at its download_url
 * with the webhook's download token or an access token; the Cloud Recording operations list, trash,
 * delete, recover and configure it, each change with its webhook event.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { postgresSchema, recordedEvents, s2s, startTestZemu, type TestZemu, userToken } from './helpers.js';
import { postgresRequirement } from './requirements.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const ASSETS = new URL('../assets/recordings/', import.meta.url);
const asset = (name: string) => fs.readFileSync(new URL(name, ASSETS));
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const twice = (uuid: string) => encodeURIComponent(encodeURIComponent(uuid));
const START = Date.parse('2031-05-06T09:00:00Z');

const postgres = await postgresRequirement();

recordingsSuite('SQLite', undefined);
recordingsSuite(
  'PostgreSQL',
  'skip' in postgres && postgres.skip ? postgres.skip : postgresSchema('recordings'),
);

type File = {
  id: string;
  file_type: string;
  file_extension: string;
  file_size: number;
  download_url: string;
};

function recordingsSuite(store: string, pg: ReturnType<typeof postgresSchema> | string | undefined) {
  describe(`cloud recordings on ${store}`, { skip: typeof pg === 'string' && pg }, () => {
    let z: TestZemu;
    let token: string;
    let receiver: Receiver;

    const advance = async (seconds: number) => {
      assert.equal((await z.control('POST', '/clock', { advance: seconds })).status, 200);
      token = await z.s2sToken();
    };
    /** A meeting of the demo owner that ran for `minutes` and was ended through the API. */
    const recorded = async (autoRecording = 'cloud', minutes = 5, topic = 'Design review') => {
      const created = await z.api('POST', '/users/me/meetings', token, {
        topic,
        duration: 30,
        settings: { auto_recording: autoRecording },
      });
      assert.equal(created.status, 201, created.text);
      const m = created.body as { id: number; uuid: string };
      const host = await z.control('POST', `/meetings/${m.id}/participants`, { user_id: z.demo.user_id });
      assert.equal(host.status, 201, host.text);
      await advance(minutes * 60);
      const ended = await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' });
      assert.equal(ended.status, 204, ended.text);
      return m;
    };
    const download = (url: string, init: { token?: string; bearer?: string } = {}) =>
      fetch(init.token ? `${url}?access_token=${encodeURIComponent(init.token)}` : url, {
        headers: init.bearer ? { authorization: `Bearer ${init.bearer}` } : {},
      });
    const deliver = async () => assert.equal((await z.control('POST', '/webhooks/deliver')).status, 200);

    before(async () => {
      if (typeof pg === 'object') await pg.create();
      z = await startTestZemu(typeof pg === 'object' ? { databaseUrl: pg.url } : {});
      await z.control('POST', '/clock', { set: iso(START), frozen: true });
      token = await z.s2sToken();
      receiver = await startReceiver('recordings-secret-token');
      const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'recording hooks',
        type: 'server_to_server',
        scopes: ['recording:read:admin'],
      });
      assert.equal(app.status, 201, app.text);
      const sub = await z.control('POST', `/apps/${app.body.client_id}/webhooks`, {
        endpoint_url: receiver.url,
        events: ['recording.completed', 'recording.trashed', 'recording.deleted', 'recording.recovered'],
        secret_token: receiver.secret,
      });
      assert.equal(sub.status, 201, sub.text);
    });
    after(async () => {
      await z.close();
      await receiver.close();
      if (typeof pg === 'object') await pg.drop();
    });

    test('an instance of a meeting recording to the cloud ends with an MP4, an M4A and a transcript', async () => {
      const m = await recorded();
      const res = await z.api('GET', `/meetings/${m.id}/recordings`, token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.uuid, m.uuid, "the ended instance's uuid");
      assert.equal(res.body.id, m.id);
      assert.equal(res.body.host_id, z.demo.user_id);
      assert.equal(res.body.account_id, z.demo.account_id);
      assert.equal(res.body.topic, 'Design review');
      assert.equal(res.body.duration, 5);
      const files = res.body.recording_files as File[];
      assert.deepEqual(
        files.map((f) => [f.file_type, f.file_extension]),
        [
          ['MP4', 'MP4'],
          ['M4A', 'M4A'],
          ['TRANSCRIPT', 'VTT'],
        ],
      );
      assert.equal(res.body.recording_count, 3);
      assert.deepEqual(
        files.map((f) => f.file_size),
        ['recording.mp4', 'audio.m4a', 'transcript.vtt'].map((n) => asset(n).length),
      );
      assert.equal(
        res.body.total_size,
        files.reduce((s, f) => s + f.file_size, 0),
      );
      for (const f of files) assert.ok(f.download_url.startsWith(`${z.url}/rec/download/${f.id}`));

      const byUuid = await z.api('GET', `/meetings/${twice(res.body.uuid)}/recordings`, token);
      assert.equal(byUuid.status, 200, byUuid.text);
      assert.equal(byUuid.body.uuid, m.uuid);

      const events = (await recordedEvents(z)).map((e) => e.event);
      assert.deepEqual(events.slice(-2), ['meeting.ended', 'recording.completed'], 'after meeting.ended');
      const plain = await recorded('none');
      const none = await z.api('GET', `/meetings/${plain.id}/recordings`, token);
      assert.equal(none.status, 404);
      assert.deepEqual(none.body, { code: 3301, message: 'There is no recording for this meeting.' });
      const local = await recorded('local');
      assert.equal((await z.api('GET', `/meetings/${local.id}/recordings`, token)).status, 404);
    });

    test('a Basic host, or one who turned cloud recording off, gets no recording', async () => {
      const basic = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
        email: 'basic-recorder@demo.zemu.test',
        type: 1,
      });
      assert.equal(basic.status, 201, basic.text);
      const hosted = async (userId: string) => {
        const created = await z.api('POST', `/users/${userId}/meetings`, token, {
          topic: 'Not recorded',
          duration: 30,
          settings: { auto_recording: 'cloud' },
        });
        assert.equal(created.status, 201, created.text);
        const m = created.body as { id: number };
        assert.equal(
          (await z.control('POST', `/meetings/${m.id}/participants`, { user_id: userId })).status,
          201,
        );
        await advance(60);
        assert.equal((await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' })).status, 204);
        return z.api('GET', `/meetings/${m.id}/recordings`, token);
      };
      const none = await hosted(basic.body.id);
      assert.equal(none.status, 404, 'Basic plan: no cloud recording');
      assert.equal(none.body.code, 3301);

      const off = await z.api('PATCH', '/users/me/settings', token, {
        recording: { cloud_recording: false },
      });
      assert.equal(off.status, 204, off.text);
      try {
        assert.equal((await hosted(z.demo.user_id)).status, 404, 'cloud recording turned off');
      } finally {
        await z.api('PATCH', '/users/me/settings', token, { recording: { cloud_recording: true } });
      }
      assert.equal((await hosted(z.demo.user_id)).status, 200, 'on again: recorded');
    });

    test('a meeting past its scheduled end is recorded at that end', async () => {
      const created = await z.api('POST', '/users/me/meetings', token, {
        topic: 'Runs over',
        duration: 15,
        settings: { auto_recording: 'cloud' },
      });
      const id = created.body.id as number;
      await z.control('POST', `/meetings/${id}/participants`, { user_id: z.demo.user_id });
      await advance(3600);
      const res = await z.api('GET', `/meetings/${id}/recordings`, token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.duration, 15);
      const [file] = res.body.recording_files;
      assert.equal(Date.parse(file.recording_end) - Date.parse(file.recording_start), 15 * 60_000);
    });

    test('recording.completed arrives signed with a download_token that downloads each file', async () => {
      const m = await recorded('cloud', 2, 'Webhook recording');
      await deliver();
      const event = receiver.events('recording.completed').find((e) => e.json.payload.object.id === m.id);
      assert.ok(event, 'recording.completed delivered');
      assert.ok(event.signatureOk);
      const { download_token: downloadToken, payload } = event.json;
      assert.equal(typeof downloadToken, 'string');
      assert.equal(downloadToken.split('.').length, 3, 'a JWT');
      assert.equal(payload.account_id, z.demo.account_id);
      const object = payload.object;
      assert.equal(object.uuid, m.uuid);
      assert.equal(object.host_id, z.demo.user_id);
      assert.equal(object.host_email, z.demo.email);
      assert.equal(object.type, 2);
      assert.equal(object.recording_count, 3);
      assert.equal(object.recording_files[0].status, 'completed');
      assert.equal(object.recording_files[0].recording_type, 'shared_screen_with_speaker_view');
      // The outbox keeps the claims, never a token.
      const stored = (await recordedEvents(z, 'recording.completed')).at(-1)?.payload as Record<
        string,
        unknown
      >;
      assert.ok(!JSON.stringify(stored).includes(downloadToken));
      assert.equal(stored.download_token, undefined);

      const expected = [
        ['video/mp4', 'recording.mp4'],
        ['audio/mp4', 'audio.m4a'],
        ['text/vtt; charset=utf-8', 'transcript.vtt'],
      ];
      for (const [i, f] of (object.recording_files as File[]).entries()) {
        const res = await download(f.download_url, { token: downloadToken });
        assert.equal(res.status, 200, await res.clone().text());
        const [type, name] = expected[i] as [string, string];
        assert.equal(res.headers.get('content-type'), type);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(res.headers.get('content-length'), String(bytes.length));
        assert.ok(bytes.equals(asset(name)), `${name} byte for byte`);
        assert.match(
          res.headers.get('content-disposition') ?? '',
          /^attachment; filename="Webhook recording\./,
        );
      }
      const [mp4, m4a, vtt] = ['recording.mp4', 'audio.m4a', 'transcript.vtt'].map(asset) as [
        Buffer,
        Buffer,
        Buffer,
      ];
      assert.equal(mp4.subarray(4, 12).toString('latin1'), 'ftypisom');
      assert.equal(m4a.subarray(4, 11).toString('latin1'), 'ftypM4A');
      assert.ok(vtt.toString('utf8').startsWith('WEBVTT'));

      // The same token is refused for another meeting's recording, and once 24 hours have passed.
      const other = await recorded('cloud', 1, 'Other');
      const otherFiles = (await z.api('GET', `/meetings/${other.id}/recordings`, token)).body.recording_files;
      const foreign = await download(otherFiles[0].download_url, { token: downloadToken });
      assert.equal(foreign.status, 403);
      assert.deepEqual(await foreign.json(), { code: 200, message: 'You do not have the right permission.' });
      await advance(24 * 3600);
      const expired = await download(object.recording_files[0].download_url, { token: downloadToken });
      assert.equal(expired.status, 401);
      assert.deepEqual(await expired.json(), { code: 124, message: 'Access token is expired.' });
    });

    test('a download takes an access token with a recording scope; without a credential it is 401', async () => {
      const m = await recorded('cloud', 1, 'Bearer download');
      const files = (await z.api('GET', `/meetings/${m.id}/recordings`, token)).body
        .recording_files as File[];
      const url = (files[0] as File).download_url;
      const bearer = await download(url, { bearer: token });
      assert.equal(bearer.status, 200);
      assert.ok(Buffer.from(await bearer.arrayBuffer()).equals(asset('recording.mp4')));
      assert.equal((await download(url, { token })).status, 200, 'an access token in ?access_token= too');
      const play = await download(url.replace('/rec/download/', '/rec/play/'), { bearer: token });
      assert.equal(play.status, 200);
      assert.match(play.headers.get('content-disposition') ?? '', /^inline/);
      await play.arrayBuffer();

      const none = await download(url);
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { code: number }).code, 124);
      const forged = await download(url, {
        token: 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ6ZW11OnJlY29yZGluZ19kb3dubG9hZCJ9.x',
      });
      assert.equal(forged.status, 401);
      const noScope = await s2s(z, ['meeting:read:admin']);
      const refused = await download(url, { bearer: noScope });
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { code: number }).code, 4711);
      const elsewhere = await z.control('POST', '/accounts', {
        owner: { email: `owner@${store.toLowerCase()}.elsewhere.test` },
      });
      assert.equal(elsewhere.status, 201, elsewhere.text);
      const foreignToken = await s2s(
        z,
        ['recording:read:admin'],
        elsewhere.body.account_id ?? elsewhere.body.id,
      );
      assert.equal((await download(url, { bearer: foreignToken })).status, 403);
      assert.equal(
        (await z.api('GET', `/meetings/${m.id}/recordings`, foreignToken)).status,
        404,
        "another account's recording does not exist for it",
      );
      const unknown = await download(`${z.url}/rec/download/00000000-0000-0000-0000-000000000000`, {
        bearer: token,
      });
      assert.equal(unknown.status, 404);
      assert.equal(((await unknown.json()) as { code: number }).code, 3301);
    });

    test('GET /meetings/{id}/recordings?include_fields=download_access_token gives a token for ttl seconds', async () => {
      const m = await recorded('cloud', 1, 'Access token');
      const res = await z.api(
        'GET',
        `/meetings/${m.id}/recordings?include_fields=download_access_token&ttl=60`,
        token,
      );
      assert.equal(res.status, 200, res.text);
      const url = res.body.recording_files[1].download_url as string;
      assert.equal((await download(url, { token: res.body.download_access_token })).status, 200);
      await advance(61);
      assert.equal((await download(url, { token: res.body.download_access_token })).status, 401);
      const bad = await z.api(
        'GET',
        `/meetings/${m.id}/recordings?include_fields=download_access_token&ttl=-1`,
        token,
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 300);
    });

    test('GET /users/{userId}/recordings: by date, paged, and the trash', async () => {
      await z.control('POST', '/clock', { set: '2031-07-01T08:00:00Z', frozen: true });
      token = await z.s2sToken();
      const made = [];
      for (const topic of ['One', 'Two', 'Three']) made.push(await recorded('cloud', 1, topic));
      const first = await z.api('GET', '/users/me/recordings?page_size=2', token);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.from, '2031-07-01');
      assert.equal(first.body.to, '2031-07-02');
      assert.equal(first.body.total_records, 3);
      assert.equal(first.body.page_size, 2);
      assert.equal(first.body.page_count, 2);
      assert.deepEqual(
        first.body.meetings.map((r: { topic: string }) => r.topic),
        ['One', 'Two'],
      );
      const second = await z.api(
        'GET',
        `/users/me/recordings?page_size=2&next_page_token=${first.body.next_page_token}`,
        token,
      );
      assert.equal(second.status, 200, second.text);
      assert.deepEqual(
        second.body.meetings.map((r: { topic: string }) => r.topic),
        ['Three'],
      );
      assert.equal(second.body.next_page_token, '');
      const other = await z.api(
        'GET',
        `/users/me/recordings?page_size=3&next_page_token=${first.body.next_page_token}`,
        token,
      );
      assert.equal(other.status, 400, 'a token is bound to its query');

      const earlier = await z.api('GET', '/users/me/recordings?from=2031-05-01&to=2031-05-31', token);
      assert.equal(earlier.status, 200);
      assert.ok(earlier.body.total_records >= 4, 'the May recordings');
      assert.ok(
        earlier.body.meetings.every((r: { start_time: string }) => r.start_time.startsWith('2031-05')),
      );
      const byMeeting = await z.api(
        'GET',
        `/users/${z.demo.user_id}/recordings?meeting_id=${made[1]?.id}`,
        token,
      );
      assert.equal(byMeeting.body.total_records, 1);

      const [one, two] = made as unknown as [{ id: number }, { id: number }];
      assert.equal((await z.api('DELETE', `/meetings/${one.id}/recordings`, token)).status, 204);
      const fileId = (await z.api('GET', `/meetings/${two.id}/recordings`, token)).body.recording_files[2].id;
      assert.equal((await z.api('DELETE', `/meetings/${two.id}/recordings/${fileId}`, token)).status, 204);
      const active = await z.api('GET', '/users/me/recordings', token);
      assert.deepEqual(
        active.body.meetings.map((r: { topic: string; recording_count: number }) => [
          r.topic,
          r.recording_count,
        ]),
        [
          ['Two', 2],
          ['Three', 3],
        ],
      );
      const trashed = await z.api('GET', '/users/me/recordings?trash=true', token);
      assert.deepEqual(
        trashed.body.meetings.map((r: { topic: string }) => r.topic),
        ['One'],
      );
      assert.ok(
        trashed.body.meetings[0].recording_files.every((f: { deleted_time?: string }) => f.deleted_time),
      );
      const files = await z.api('GET', '/users/me/recordings?trash=true&trash_type=recording_file', token);
      assert.deepEqual(
        files.body.meetings.map((r: { topic: string; recording_files: { id: string }[] }) => [
          r.topic,
          r.recording_files.map((f) => f.id),
        ]),
        [['Two', [fileId]]],
      );
      const unknown = await z.api('GET', '/users/nobody@nowhere.test/recordings', token);
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, {
        code: 1001,
        message: 'User nobody@nowhere.test not exist or not belong to this account.',
      });
    });

    test('trash, recover and delete: the meeting recording and one file, each with its event', async () => {
      const m = await recorded('cloud', 1, 'Lifecycle of a recording');
      const path = `/meetings/${m.id}/recordings`;
      const files = (await z.api('GET', path, token)).body.recording_files as File[];

      assert.equal((await z.api('DELETE', `${path}?action=trash`, token)).status, 204);
      const gone = await z.api('GET', path, token);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.code, 3301);
      assert.equal((await download((files[0] as File).download_url, { bearer: token })).status, 404);
      assert.equal((await z.api('DELETE', path, token)).status, 404, 'already in the trash');
      const recover = await z.api('PUT', `/meetings/${twice(m.uuid)}/recordings/status`, token, {
        action: 'recover',
      });
      assert.equal(recover.status, 204, recover.text);
      assert.equal((await z.api('GET', path, token)).body.recording_count, 3);
      const nothing = await z.api('PUT', `/meetings/${twice(m.uuid)}/recordings/status`, token, {
        action: 'recover',
      });
      assert.equal(nothing.status, 404, 'nothing in the trash');

      const one = (files[1] as File).id;
      assert.equal((await z.api('DELETE', `${path}/${one}`, token)).status, 204);
      assert.equal((await z.api('GET', path, token)).body.recording_count, 2);
      assert.equal((await z.api('DELETE', `${path}/${one}`, token)).status, 404);
      assert.equal((await z.api('PUT', `${path}/${one}/status`, token, { action: 'recover' })).status, 204);
      assert.equal((await z.api('GET', path, token)).body.recording_count, 3);
      assert.equal((await z.api('PUT', `${path}/${one}/status`, token, { action: 'recover' })).status, 404);

      assert.equal((await z.api('DELETE', `${path}/${one}?action=delete`, token)).status, 204);
      assert.equal((await z.api('GET', path, token)).body.recording_count, 2);
      assert.equal((await z.api('PUT', `${path}/${one}/status`, token, { action: 'recover' })).status, 404);
      assert.equal((await z.api('DELETE', `${path}?action=delete`, token)).status, 204);
      assert.equal((await z.api('GET', path, token)).status, 404);
      assert.equal(
        (await z.api('PUT', `/meetings/${twice(m.uuid)}/recordings/status`, token, { action: 'recover' }))
          .status,
        404,
        'deleted for good',
      );

      const events = (await recordedEvents(z)).filter(
        (e) =>
          e.event.startsWith('recording.') &&
          e.event !== 'recording.completed' &&
          (e.payload.object as { uuid?: string }).uuid === m.uuid,
      );
      // Recorded at one frozen instant: compared as a set (PostgreSQL may list equal times in any order).
      assert.deepEqual(
        events
          .map((e) => [e.event, (e.payload.object as { recording_files: unknown[] }).recording_files.length])
          .sort(),
        [
          ['recording.trashed', 3],
          ['recording.recovered', 3],
          ['recording.trashed', 1],
          ['recording.recovered', 1],
          ['recording.deleted', 1],
          ['recording.deleted', 2],
        ].sort(),
      );
      for (const e of events) {
        assert.equal(
          e.payload.operator_id,
          z.demo.user_id,
          "the S2S token's user (the owner) made the change",
        );
        assert.equal(e.payload.operator, z.demo.email);
        assert.equal((e.payload.object as { uuid: string }).uuid, m.uuid);
      }
      await deliver();
      assert.ok(receiver.events('recording.deleted').length >= 2);
    });

    test('recording settings: defaults, PATCH, and bad input', async () => {
      const m = await recorded('cloud', 1, 'Settings');
      const path = `/meetings/${m.id}/recordings/settings`;
      const got = await z.api('GET', path, token);
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.share_recording, 'publicly');
      assert.equal(got.body.viewer_download, true);
      assert.equal(got.body.topic, 'Settings');
      assert.equal(got.body.password, undefined);
      const patched = await z.api('PATCH', path, token, {
        share_recording: 'internally',
        viewer_download: false,
        password: 'abc12345',
        topic: 'Renamed',
      });
      assert.equal(patched.status, 204, patched.text);
      const after = await z.api('GET', path, token);
      assert.equal(after.body.share_recording, 'internally');
      assert.equal(after.body.viewer_download, false);
      assert.equal(after.body.password, 'abc12345');
      const recording = await z.api('GET', `/meetings/${m.id}/recordings`, token);
      assert.equal(recording.body.topic, 'Renamed');
      assert.equal(recording.body.password, 'abc12345');

      for (const body of [
        { share_recording: 'everyone' },
        { password: 'short' },
        { viewer_download: 'yes' },
      ]) {
        const res = await z.api('PATCH', path, token, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.code, 300);
      }
      const weak = await z.api('PATCH', path, token, { password: 'abcdefgh' });
      assert.equal(weak.status, 400);
      assert.equal(weak.body.code, 300);
      assert.equal((await z.api('GET', path, token)).body.password, 'abc12345', 'nothing half-written');
    });

    test('bad input gets Zoom’s errors, never a 500', async () => {
      const m = await recorded('cloud', 1, 'Bad input');
      const cases: [string, string, unknown, number, number][] = [
        ['DELETE', `/meetings/${m.id}/recordings?action=shred`, undefined, 400, 300],
        ['GET', '/users/me/recordings?page_size=0', undefined, 400, 300],
        ['GET', '/users/me/recordings?page_size=301', undefined, 400, 300],
        ['GET', '/users/me/recordings?from=2031-13-45', undefined, 400, 300],
        ['GET', '/users/me/recordings?from=2031-07-02&to=2031-07-01', undefined, 400, 300],
        ['GET', '/users/me/recordings?trash=maybe', undefined, 400, 300],
        ['GET', '/users/me/recordings?trash=true&trash_type=bin', undefined, 400, 300],
        ['GET', '/users/me/recordings?next_page_token=forged', undefined, 400, 300],
        ['GET', '/meetings/99999999999/recordings', undefined, 404, 3301],
        ['GET', '/meetings/%252Fnot%252F%252Fa%2520uuid/recordings', undefined, 404, 3301],
        ['GET', '/meetings/a%2F%2Fb/recordings', undefined, 404, 3301],
        ['PUT', `/meetings/${twice(m.uuid)}/recordings/status`, { action: 'restore' }, 400, 300],
        ['PUT', `/meetings/${twice(m.uuid)}/recordings/status`, {}, 400, 300],
        ['PUT', `/meetings/${twice(m.uuid)}/recordings/status`, [], 400, 300],
        ['DELETE', `/meetings/${m.id}/recordings/not-a-file`, undefined, 404, 3301],
        ['PUT', `/meetings/${m.id}/recordings/not-a-file/status`, { action: 'recover' }, 404, 3301],
        ['PATCH', `/meetings/${m.id}/recordings/settings`, 'text', 400, 300],
      ];
      for (const [method, path, body, status, code] of cases) {
        const res = await z.api(method, path, token, body);
        assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
        assert.equal(res.body.code, code, `${method} ${path}: ${res.text}`);
      }
      assert.equal((await z.api('GET', `/meetings/${m.id}/recordings`, token)).body.recording_count, 3);
    });

    test('scopes: classic and granular, 4711 without one, a user-level token reaches only its own', async () => {
      const m = await recorded('cloud', 1, 'Scopes');
      const meetingOnly = await s2s(z, ['meeting:read:admin']);
      const missing = await z.api('GET', `/meetings/${m.id}/recordings`, meetingOnly);
      assert.equal(missing.status, 400);
      assert.equal(missing.body.code, 4711);
      const granular = await s2s(z, ['cloud_recording:read:list_recording_files:admin']);
      assert.equal((await z.api('GET', `/meetings/${m.id}/recordings`, granular)).status, 200);
      assert.equal((await z.api('GET', '/users/me/recordings', granular)).body.code, 4711);
      const readOnly = await s2s(z, ['recording:read:admin']);
      assert.equal((await z.api('DELETE', `/meetings/${m.id}/recordings`, readOnly)).body.code, 4711);
      const other = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
        email: 'rec-user@demo.zemu.test',
      });
      assert.equal(other.status, 201, other.text);
      const own = await userToken(z, { email: 'rec-user@demo.zemu.test', scopes: ['recording:read'] });
      assert.equal((await z.api('GET', `/meetings/${m.id}/recordings`, own)).status, 404, "another user's");
      assert.equal((await z.api('GET', '/users/me/recordings', own)).body.total_records, 0);
    });

    test('the trash keeps a recording and a file for 30 days, then deletes them for good', async () => {
      const whole = await recorded('cloud', 1, 'Trashed whole');
      const partly = await recorded('cloud', 1, 'Trashed in part');
      const partPath = `/meetings/${partly.id}/recordings`;
      const [, m4a] = (await z.api('GET', partPath, token)).body.recording_files as File[];
      assert.equal((await z.api('DELETE', `/meetings/${whole.id}/recordings`, token)).status, 204);
      assert.equal((await z.api('DELETE', `${partPath}/${(m4a as File).id}`, token)).status, 204);
      const swept = () => z.zemu.built.sweeper.idle();
      const recover = (path: string) => z.api('PUT', path, token, { action: 'recover' });

      await advance(30 * 24 * 3600 - 60);
      await swept();
      const trash = await z.api(
        'GET',
        '/users/me/recordings?trash=true&trash_type=meeting_recordings',
        token,
      );
      assert.ok(
        trash.body.meetings.some((r: { uuid: string }) => r.uuid === whole.uuid),
        'still in the trash a minute before 30 days',
      );
      await advance(120);
      await swept();
      assert.equal(
        (await recover(`/meetings/${twice(whole.uuid)}/recordings/status`)).status,
        404,
        'the whole recording is gone',
      );
      assert.equal((await recover(`${partPath}/${(m4a as File).id}/status`)).status, 404, 'the file is gone');
      const left = await z.api('GET', partPath, token);
      assert.equal(left.status, 200, 'the files out of the trash stay');
      assert.deepEqual(
        (left.body.recording_files as File[]).map((f) => f.file_type),
        ['MP4', 'TRANSCRIPT'],
      );
    });
  });
}
