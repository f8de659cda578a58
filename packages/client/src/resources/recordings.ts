/**
 * Cloud recordings, typed from Zoom's 2023 Meeting API spec: /v2/meetings/{meetingId}/recordings and
 * /v2/users/{userId}/recordings, and the files behind each `download_url`. `meetingId` is a meeting
 * ID (its latest recorded instance) or an instance's uuid, double-encoded where Zoom requires it.
 */
import type { PageIterator } from '../pagination.js';
import type { CallOptions, DownloadOptions, ZoomDownload } from '../request.js';
import type { MeetingId } from './meetings.js';
import { instancePath } from './past-meetings.js';
import type {
  DeleteRecordingQuery,
  GetRecordingQuery,
  ListRecordingsQuery,
  MeetingRecording,
  RecordingList,
  RecordingSettings,
  UpdateRecordingSettingsBody,
} from './recordings.types.js';
import { userPath, ZoomResource } from './resource.js';

export type * from './recordings.types.js';

/** One meeting's recording as listed by GET /users/{userId}/recordings. */
export type ListedRecording = NonNullable<RecordingList['meetings']>[number];
/** One file of a recording. */
export type RecordingFile = NonNullable<MeetingRecording['recording_files']>[number];

const recordingsPath = (meetingId: MeetingId) => `/meetings/${instancePath(meetingId)}/recordings`;

export class RecordingsResource extends ZoomResource {
  /** GET /meetings/{meetingId}/recordings: the recording and its files (`include_fields: 'download_access_token'` adds a download token). */
  get(meetingId: MeetingId, query?: GetRecordingQuery, options?: CallOptions): Promise<MeetingRecording> {
    return this.call('GET', recordingsPath(meetingId), { ...options, query });
  }

  /** GET /users/{userId}/recordings: one page of the user's recordings from `from` to `to` (yyyy-mm-dd). */
  listPage(userId: string, query?: ListRecordingsQuery, options?: CallOptions): Promise<RecordingList> {
    return this.call('GET', `${userPath(userId)}/recordings`, { ...options, query });
  }

  /** GET /users/{userId}/recordings over every page (`.pages()` for whole pages). */
  list(
    userId: string,
    query: Omit<ListRecordingsQuery, 'next_page_token'> = {},
    options?: CallOptions,
  ): PageIterator<ListedRecording, RecordingList> {
    return this.paginate(
      query,
      (q) => this.listPage(userId, q, options),
      (page) => page.meetings,
    );
  }

  /** DELETE /meetings/{meetingId}/recordings: to the trash (`action: 'trash'`, Zoom's default) or for good (`'delete'`). */
  delete(meetingId: MeetingId, query?: DeleteRecordingQuery, options?: CallOptions): Promise<void> {
    return this.call('DELETE', recordingsPath(meetingId), { ...options, query });
  }

  /** DELETE /meetings/{meetingId}/recordings/{recordingId}: one file, to the trash or for good. */
  deleteFile(
    meetingId: MeetingId,
    recordingId: string,
    query?: DeleteRecordingQuery,
    options?: CallOptions,
  ): Promise<void> {
    return this.call('DELETE', `${recordingsPath(meetingId)}/${encodeURIComponent(recordingId)}`, {
      ...options,
      query,
    });
  }

  /** PUT /meetings/{meetingUUID}/recordings/status `{action: 'recover'}`: back from the trash. */
  recover(meetingId: MeetingId, options?: CallOptions): Promise<void> {
    return this.call('PUT', `${recordingsPath(meetingId)}/status`, {
      ...options,
      body: { action: 'recover' },
    });
  }

  /** PUT /meetings/{meetingId}/recordings/{recordingId}/status `{action: 'recover'}`: one file back. */
  recoverFile(meetingId: MeetingId, recordingId: string, options?: CallOptions): Promise<void> {
    return this.call('PUT', `${recordingsPath(meetingId)}/${encodeURIComponent(recordingId)}/status`, {
      ...options,
      body: { action: 'recover' },
    });
  }

  /** GET /meetings/{meetingId}/recordings/settings: who may see and download the recording. */
  settings(meetingId: MeetingId, options?: CallOptions): Promise<RecordingSettings> {
    return this.call('GET', `${recordingsPath(meetingId)}/settings`, options);
  }

  /** PATCH /meetings/{meetingId}/recordings/settings. */
  updateSettings(
    meetingId: MeetingId,
    body: UpdateRecordingSettingsBody,
    options?: CallOptions,
  ): Promise<void> {
    return this.call('PATCH', `${recordingsPath(meetingId)}/settings`, { ...options, body });
  }

  /**
   * A file's `download_url` (or the file itself), streamed: pass the webhook's `download_token` as
   * `downloadToken`, or nothing to use the client's access token (which needs a recording scope).
   * In Node, `stream.Readable.fromWeb(file.body).pipe(createWriteStream(path))` saves it.
   */
  download(
    file: string | Pick<RecordingFile, 'download_url'>,
    options?: DownloadOptions,
  ): Promise<ZoomDownload> {
    const url = typeof file === 'string' ? file : file.download_url;
    if (!url) return Promise.reject(new TypeError('download(): the file has no download_url'));
    return this.fetchFile(url, options);
  }
}
