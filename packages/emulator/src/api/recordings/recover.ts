/**
 * PUT /meetings/{meetingUUID}/recordings/status and PUT /meetings/{meetingId}/recordings/{recordingId}/status
 * `{"action": "recover"}`: the recording (with every file of it in the trash), or one file that went to
 * the trash on its own, comes back out of the trash; recording.recovered is recorded. Nothing in the
 * trash to recover is 3301 (docs/compatibility.md).
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireObject } from '../../http/input.js';
import { authorizeRecording } from './access.js';
import { recordingErrors } from './errors.js';
import { emitRecordingEvent } from './events.js';

function requireRecover(body: unknown): void {
  // The spec's enum (recover) has been checked by the /v2 hook; the document requires nothing.
  if (requireObject(body).action === undefined) throw recordingErrors.missingAction();
}

export async function recoverRecording(ctx: Ctx, caller: Caller, meetingUuid: string, body: unknown) {
  requireRecover(body);
  const recording = await authorizeRecording(ctx, caller, meetingUuid);
  const files = await ctx.store.recordings.files(recording.uuid);
  const inTrash = files.filter((f) => f.trashedAt !== null || recording.trashedAt !== null);
  if (inTrash.length === 0) throw recordingErrors.noRecording('nothing of this recording is in the trash');
  await ctx.store.transaction(async (trx) => {
    await trx.recordings.setTrashed(recording.uuid, null);
    await trx.recordings.recoverFiles(recording.uuid);
    const recovered = inTrash.map((f) => ({ ...f, trashedAt: null }));
    await emitRecordingEvent(
      trx,
      ctx,
      caller.principal,
      'recording.recovered',
      { ...recording, trashedAt: null },
      recovered,
    );
  });
}

export async function recoverRecordingFile(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  recordingId: string,
  body: unknown,
) {
  requireRecover(body);
  const recording = await authorizeRecording(ctx, caller, meetingId);
  const file = await ctx.store.recordings.findFile(recordingId.slice(0, 64));
  if (!file || file.recordingUuid !== recording.uuid)
    throw recordingErrors.noRecording(`no file ${recordingId.slice(0, 64)} in this recording`);
  if (recording.trashedAt !== null)
    throw recordingErrors.noRecording('the whole recording is in the trash: recover the meeting recording');
  if (file.trashedAt === null) throw recordingErrors.noRecording('the file is not in the trash');
  await ctx.store.transaction(async (trx) => {
    await trx.recordings.setFileTrashed(file.id, null);
    await emitRecordingEvent(trx, ctx, caller.principal, 'recording.recovered', recording, [
      { ...file, trashedAt: null },
    ]);
  });
}
