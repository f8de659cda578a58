/**
 * recording.trashed, recording.deleted and recording.recovered: the recording and the files the change
 * touched, recorded in the change's transaction with the token's user as operator.
 */
import type { Ctx } from '../../context.js';
import type { Principal } from '../../guard/principal.js';
import { recordingEventObject } from '../../recordings/present.js';
import type { Recording, RecordingFile } from '../../store/models.js';
import type { Store } from '../../store/store.js';
import { recordEvent } from '../../webhooks/emit.js';

export async function emitRecordingEvent(
  trx: Store,
  ctx: Ctx,
  principal: Principal,
  event: 'recording.trashed' | 'recording.deleted' | 'recording.recovered',
  recording: Recording,
  files: RecordingFile[],
): Promise<void> {
  const host = await trx.users.findById(recording.hostId);
  await recordEvent(trx, ctx.clock, {
    accountId: recording.accountId,
    event,
    operator: principal.user,
    payload: { object: recordingEventObject(ctx.publicUrl(), recording, files, host) },
  });
}
