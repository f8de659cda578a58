/**
 * zoom.recordings against a live Zemu: meetings that record to the cloud end, and the client lists
 * them (every page), reads one, downloads its files as streams (with its access token, and with the
 * recording's download token), configures, trashes, recovers and deletes them; the errors are typed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  type ListedRecording,
  type MeetingRecording,
  ZoomApiError,
  type ZoomClient,
  ZoomInvalidTokenError,
  ZoomNotFoundError,
  ZoomPermissionError,
} from '@zemu/client';
import { type LiveZemu, liveZemu } from './helpers.js';

const START = '2031-08-01T10:00:00Z';
const DAY = START.slice(0, 10);
const asset = (name: string) =>
  readFileSync(new URL(`../../emulator/assets/recordings/${name}`, import.meta.url));

async function bytes(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('zoom.recordings against Zemu', () => {
  let z: LiveZemu;
  let zoom: ZoomClient;
  const recorded: Array<{ id: number; uuid: string }> = [];

  before(async () => {
    z = await liveZemu();
    assert.equal((await z.control('POST', '/clock', { set: START, frozen: true })).status, 200);
    zoom = z.client();
    for (let i = 0; i < 3; i++) {
      const m = await zoom.meetings.create('me', {
        topic: `Recorded ${i}`,
        type: 2,
        duration: 30,
        settings: { auto_recording: 'cloud' },
      });
      const id = m.id as number;
      const host = await z.control('POST', `/meetings/${id}/participants`, { user_id: z.demo.user_id });
      assert.equal(host.status, 201);
      await z.advance(600);
      await zoom.meetings.end(id);
      recorded.push({ id, uuid: m.uuid as string });
    }
  });
  after(() => z.close());

  test('recordings.get by meeting ID and by uuid; list(from, to) over every page', async () => {
    const [first] = recorded as [{ id: number; uuid: string }];
    const byId: MeetingRecording = await zoom.recordings.get(first.id);
    assert.equal(byId.uuid, first.uuid);
    assert.deepEqual(
      byId.recording_files?.map((f) => f.file_type),
      ['MP4', 'M4A', 'TRANSCRIPT'],
    );
    assert.deepEqual((await zoom.recordings.get(first.uuid)).uuid, first.uuid);

    const listed: ListedRecording[] = [];
    for await (const r of zoom.recordings.list('me', { from: DAY, to: DAY, page_size: 2 })) listed.push(r);
    assert.deepEqual(listed.map((r) => r.uuid).sort(), recorded.map((r) => r.uuid).sort());
    const pages: Array<number | undefined> = [];
    for await (const page of zoom.recordings.list('me', { from: DAY, to: DAY, page_size: 2 }).pages())
      pages.push(page.meetings?.length);
    assert.deepEqual(pages, [2, 1]);
    await assert.rejects(zoom.recordings.get(999_999_999), ZoomNotFoundError);
  });

  test('recordings.download streams each file with the access token, and with a download token', async () => {
    const [first] = recorded as [{ id: number; uuid: string }];
    const recording = await zoom.recordings.get(first.id, { include_fields: 'download_access_token' });
    const files = recording.recording_files ?? [];
    const expected = { MP4: 'recording.mp4', M4A: 'audio.m4a', TRANSCRIPT: 'transcript.vtt' } as const;
    for (const file of files) {
      const got = await zoom.recordings.download(file);
      assert.equal(got.status, 200);
      assert.equal(got.size, file.file_size);
      assert.match(got.fileName ?? '', /^Recorded 0\.(mp4|m4a|vtt)$/);
      const want = asset(expected[file.file_type as keyof typeof expected]);
      assert.ok((await bytes(got.body)).equals(want), `${file.file_type} arrives whole`);
    }
    const token = recording.download_access_token;
    assert.ok(token, 'include_fields=download_access_token gives one');
    // A client with no valid credentials of its own: the download token alone opens the file.
    const stranger = z.client({
      auth: { type: 'static', token: 'not-a-token' },
    });
    const viaToken = await stranger.recordings.download(files[0]?.download_url as string, {
      downloadToken: token,
    });
    assert.equal(viaToken.contentType, 'video/mp4');
    assert.ok((await bytes(viaToken.body)).equals(asset('recording.mp4')));

    // The token of one recording does not open another's files; a forged one is a 401.
    const other = await zoom.recordings.get(recorded[1]?.id as number);
    await assert.rejects(
      stranger.recordings.download(other.recording_files?.[0] as { download_url: string }, {
        downloadToken: token,
      }),
      ZoomPermissionError,
    );
    await assert.rejects(
      stranger.recordings.download(files[0]?.download_url as string, { downloadToken: `${token}x` }),
      ZoomInvalidTokenError,
    );
  });

  test('the access token is never sent to a host that is neither Zoom nor the client’s own', async () => {
    await assert.rejects(
      zoom.recordings.download('https://collector.example/rec/download/x'),
      (e: unknown) => e instanceof TypeError && /downloadToken/.test(e.message),
    );
    await assert.rejects(zoom.recordings.download({ download_url: undefined }), TypeError);
  });

  test('settings, then trash, recover and delete for good, each seen by get and download', async () => {
    const [, second] = recorded as [unknown, { id: number; uuid: string }];
    const settings = await zoom.recordings.settings(second.id);
    assert.equal(settings.viewer_download, true);
    await zoom.recordings.updateSettings(second.id, { viewer_download: false });
    assert.equal((await zoom.recordings.settings(second.id)).viewer_download, false);

    const files = (await zoom.recordings.get(second.id)).recording_files ?? [];
    const [mp4, m4a] = files as [{ id: string; download_url: string }, { id: string }];
    await zoom.recordings.deleteFile(second.id, m4a.id);
    assert.deepEqual(
      (await zoom.recordings.get(second.id)).recording_files?.map((f) => f.id),
      files.filter((f) => f.id !== m4a.id).map((f) => f.id),
    );
    await zoom.recordings.recoverFile(second.id, m4a.id);
    assert.equal((await zoom.recordings.get(second.id)).recording_files?.length, 3);

    await zoom.recordings.delete(second.uuid);
    await assert.rejects(zoom.recordings.get(second.id), ZoomNotFoundError);
    await assert.rejects(zoom.recordings.download(mp4), ZoomNotFoundError);
    await zoom.recordings.recover(second.uuid);
    const back = await zoom.recordings.download(mp4);
    await back.body.cancel();
    assert.equal(back.status, 200);

    await zoom.recordings.delete(second.id, { action: 'delete' });
    await assert.rejects(zoom.recordings.recover(second.uuid), ZoomApiError);
  });
});
