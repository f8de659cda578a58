/**
 * Cloud recordings as Zoom shows them: in GET /meetings/{meetingId}/recordings and
 * GET /users/{userId}/recordings, and as the `object` of the recording.* webhook events. Every file's
 * `download_url` (and `play_url`) is served by Zemu itself (recordings/download.ts).
 */
import type { Recording, RecordingFile, User } from '../store/models.js';
import { zoomTime } from '../time.js';

/** Zoom's sharing settings of a new recording (GET .../recordings/settings before any PATCH). */
export function defaultRecordingSettings(topic: string): Record<string, unknown> {
  return {
    share_recording: 'publicly',
    recording_authentication: false,
    authentication_option: '',
    authentication_domains: '',
    viewer_download: true,
    on_demand: false,
    approval_type: 2,
    send_email_to_host: true,
    show_social_share_buttons: true,
    topic,
  };
}

export const downloadUrl = (base: string, fileId: string) => `${base}/rec/download/${fileId}`;
const playUrl = (base: string, fileId: string) => `${base}/rec/play/${fileId}`;

export function fileObject(base: string, r: Recording, f: RecordingFile) {
  return {
    id: f.id,
    meeting_id: r.uuid,
    recording_start: zoomTime(f.recordingStart),
    recording_end: zoomTime(f.recordingEnd),
    file_type: f.fileType,
    file_extension: f.fileExtension,
    file_size: f.fileSize,
    play_url: playUrl(base, f.id),
    download_url: downloadUrl(base, f.id),
    status: 'completed',
    recording_type: f.recordingType,
    // The trash's own field: when the file (or its whole recording) went there.
    ...(f.trashedAt !== null || r.trashedAt !== null
      ? { deleted_time: zoomTime((f.trashedAt ?? r.trashedAt) as number) }
      : {}),
  };
}

/**
 * The recording with the given files: what the API answers. Zoom's `type` is left out: the 2023
 * document types it as a string with integer values, which nothing satisfies (docs/compatibility.md).
 */
export function recordingObject(base: string, r: Recording, files: RecordingFile[]) {
  const password = typeof r.settings.password === 'string' ? r.settings.password : '';
  return {
    uuid: r.uuid,
    id: r.meetingId,
    account_id: r.accountId,
    host_id: r.hostId,
    topic: r.topic,
    start_time: zoomTime(r.startTime),
    duration: Math.ceil((r.endTime - r.startTime) / 60_000),
    total_size: files.reduce((sum, f) => sum + f.fileSize, 0),
    recording_count: files.length,
    ...(password ? { password } : {}),
    recording_files: files.map((f) => fileObject(base, r, f)),
  };
}

/** The `object` of recording.completed, trashed, deleted and recovered: with `type`, as events carry it. */
export function recordingEventObject(
  base: string,
  r: Recording,
  files: RecordingFile[],
  host: User | undefined,
) {
  const { password, ...rest } = { password: '', ...recordingObject(base, r, files) };
  return {
    ...rest,
    type: r.type,
    timezone: r.timezone,
    host_email: host?.email ?? '',
    password,
  };
}
