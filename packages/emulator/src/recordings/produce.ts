/**
 * A meeting that records to the cloud (`settings.auto_recording` = `cloud`) gets its recording when an
 * instance ends, in the same transaction as the end (live/engine.ts `finish`): the recording under the
 * instance's uuid, one file per asset, and recording.completed with its download token. Zoom takes a
 * while to process a recording; Zemu's is complete at the end (docs/compatibility.md).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Meeting, MeetingInstance } from '../store/models.js';
import type { Store } from '../store/store.js';
import { recordEvent } from '../webhooks/emit.js';
import { assetSize, RECORDING_ASSETS } from './assets.js';
import { defaultRecordingSettings, recordingEventObject } from './present.js';
import { DOWNLOAD_TOKEN_TTL_S, type DownloadClaims, signDownloadToken } from './token.js';

/**
 * Whether the instance that ends now records to the cloud: the meeting's settings ask for it, its host
 * is a Licensed user (type 2 or more: Zoom's Basic plan has no cloud recording), and the host has not
 * turned cloud recording off (`recording.cloud_recording` of PATCH /users/{userId}/settings).
 */
export async function recordsToCloud(trx: Store, m: Meeting): Promise<boolean> {
  if (m.settings.auto_recording !== 'cloud') return false;
  const host = await trx.users.findById(m.hostId);
  if (!host || host.type < 2) return false;
  const recording = (await trx.userSettings.load(m.hostId)).recording;
  return !(
    typeof recording === 'object' &&
    recording !== null &&
    'cloud_recording' in recording &&
    recording.cloud_recording === false
  );
}

/**
 * The key of recording.completed's stored payload that the dispatcher turns into the envelope's
 * signed `download_token` when it sends the event (the claims only: no token is stored).
 */
export const DOWNLOAD_CLAIMS_KEY = 'zemu_download_token_claims';

export async function produceRecording(
  trx: Store,
  deps: { clock: Clock; publicUrl(): string },
  m: Meeting,
  instance: MeetingInstance & { endTime: number },
): Promise<void> {
  const recording = await trx.recordings.insert(
    {
      uuid: instance.uuid,
      meetingId: instance.meetingId,
      accountId: instance.accountId,
      hostId: instance.hostId,
      topic: instance.topic,
      type: instance.type,
      timezone: instance.timezone,
      startTime: instance.startTime,
      endTime: instance.endTime,
      settings: defaultRecordingSettings(instance.topic),
    },
    RECORDING_ASSETS.map((asset) => ({
      id: randomUUID(),
      fileType: asset.fileType,
      fileExtension: asset.fileExtension,
      recordingType: asset.recordingType,
      asset: asset.name,
      fileSize: assetSize(asset),
      recordingStart: instance.startTime,
      recordingEnd: instance.endTime,
    })),
  );
  const files = await trx.recordings.files(recording.uuid);
  const host = await trx.users.findById(m.hostId);
  await recordEvent(trx, deps.clock, {
    accountId: recording.accountId,
    event: 'recording.completed',
    payload: {
      object: recordingEventObject(deps.publicUrl(), recording, files, host),
      [DOWNLOAD_CLAIMS_KEY]: {
        accountId: recording.accountId,
        mid: recording.uuid,
        userId: recording.hostId,
        exp: Math.floor(deps.clock.now() / 1000) + DOWNLOAD_TOKEN_TTL_S,
      },
    },
  });
}

/**
 * recording.completed as sent: the stored claims become the envelope's `download_token`, signed now
 * (the same claims always sign to the same token, so every retry carries the same one).
 */
export function withDownloadToken(key: Buffer, event: string, stored: Record<string, unknown>) {
  if (event !== 'recording.completed' || !(DOWNLOAD_CLAIMS_KEY in stored)) return { payload: stored };
  const { [DOWNLOAD_CLAIMS_KEY]: claims, ...payload } = stored;
  return { payload, extra: { download_token: signDownloadToken(key, claims as DownloadClaims) } };
}
