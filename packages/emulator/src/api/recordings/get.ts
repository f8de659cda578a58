/**
 * GET /meetings/{meetingId}/recordings: the recording of the meeting's latest ended instance (or the
 * instance a uuid names), with its files out of the trash. `include_fields=download_access_token` adds
 * a download token valid for `ttl` seconds (default 24 hours).
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { integerQuery } from '../../http/input.js';
import { recordingObject } from '../../recordings/present.js';
import { DOWNLOAD_TOKEN_TTL_S, signDownloadToken } from '../../recordings/token.js';
import { authorizeRecording } from './access.js';
import { recordingErrors } from './errors.js';

export interface RecordingGetQuery {
  include_fields?: string;
  ttl?: string;
}

export async function getRecording(ctx: Ctx, caller: Caller, meetingId: string, query: RecordingGetQuery) {
  const recording = await authorizeRecording(ctx, caller, meetingId);
  if (recording.trashedAt !== null) throw recordingErrors.noRecording('the recording is in the trash');
  const files = (await ctx.store.recordings.files(recording.uuid)).filter((f) => f.trashedAt === null);
  if (files.length === 0) throw recordingErrors.noRecording('every file is in the trash');
  const answer: Record<string, unknown> = recordingObject(ctx.publicUrl(), recording, files);
  const fields = typeof query.include_fields === 'string' ? query.include_fields.split(',') : [];
  if (fields.map((f) => f.trim()).includes('download_access_token')) {
    // The spec hook has checked ttl (an integer, 0 to 604800); 0 is read as "not given".
    const ttl = integerQuery(query.ttl, 6) || DOWNLOAD_TOKEN_TTL_S;
    answer.download_access_token = signDownloadToken(ctx.keys.recordingDownload, {
      accountId: recording.accountId,
      mid: recording.uuid,
      userId: recording.hostId,
      exp: Math.floor(ctx.clock.now() / 1000) + ttl,
    });
  }
  return answer;
}
