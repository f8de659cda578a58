/**
 * DELETE /meetings/{meetingId}/recordings and DELETE /meetings/{meetingId}/recordings/{recordingId}:
 * `action=trash` (the default) moves the recording, or one file, to the trash, from where it can be
 * recovered; `action=delete` removes it for good (from the trash too). Each change records
 * recording.trashed or recording.deleted in its transaction.
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { authorizeRecording } from './access.js';
import { recordingErrors } from './errors.js';
import { emitRecordingEvent } from './events.js';

export interface DeleteQuery {
  action?: string;
}

export async function deleteRecording(ctx: Ctx, caller: Caller, meetingId: string, query: DeleteQuery) {
  // The spec hook has checked the enum; trash is the documented default.
  const permanently = query.action === 'delete';
  const recording = await authorizeRecording(ctx, caller, meetingId);
  if (!permanently && recording.trashedAt !== null)
    throw recordingErrors.noRecording('the recording is already in the trash');
  const principal = caller.principal;
  await ctx.store.transaction(async (trx) => {
    const now = ctx.clock.now();
    const files = await trx.recordings.files(recording.uuid);
    if (permanently) {
      await trx.recordings.delete(recording.uuid);
      await emitRecordingEvent(trx, ctx, principal, 'recording.deleted', recording, files);
      return;
    }
    await trx.recordings.setTrashed(recording.uuid, now);
    const trashed = { ...recording, trashedAt: now };
    const moved = files.filter((f) => f.trashedAt === null);
    await emitRecordingEvent(trx, ctx, principal, 'recording.trashed', trashed, moved);
  });
}

export async function deleteRecordingFile(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  recordingId: string,
  query: DeleteQuery,
) {
  const permanently = query.action === 'delete';
  const recording = await authorizeRecording(ctx, caller, meetingId);
  const file = await ctx.store.recordings.findFile(recordingId.slice(0, 64));
  if (!file || file.recordingUuid !== recording.uuid)
    throw recordingErrors.noRecording(`no file ${recordingId.slice(0, 64)} in this recording`);
  if (!permanently && (file.trashedAt !== null || recording.trashedAt !== null))
    throw recordingErrors.noRecording('the file is already in the trash');
  const principal = caller.principal;
  await ctx.store.transaction(async (trx) => {
    const now = ctx.clock.now();
    if (permanently) {
      await trx.recordings.deleteFile(file.id);
      // A recording left without files is gone with its last one.
      if ((await trx.recordings.files(recording.uuid)).length === 0)
        await trx.recordings.delete(recording.uuid);
      await emitRecordingEvent(trx, ctx, principal, 'recording.deleted', recording, [file]);
      return;
    }
    await trx.recordings.setFileTrashed(file.id, now);
    await emitRecordingEvent(trx, ctx, principal, 'recording.trashed', recording, [
      { ...file, trashedAt: now },
    ]);
  });
}
