/**
 * GET and PATCH /meetings/{meetingId}/recordings/settings: the recording's sharing settings. The spec
 * hook has checked each field's type, enum and length; PATCH changes only the fields it names, and a
 * new `topic` renames the recording.
 */
import type { Ctx } from '../../context.js';
import type { Caller } from '../../guard/caller.js';
import { requireObject } from '../../http/input.js';
import { authorizeRecording } from './access.js';
import { recordingErrors } from './errors.js';

const FIELDS = [
  'share_recording',
  'recording_authentication',
  'authentication_option',
  'authentication_domains',
  'viewer_download',
  'password',
  'on_demand',
  'approval_type',
  'send_email_to_host',
  'show_social_share_buttons',
  'topic',
] as const;

export async function getRecordingSettings(ctx: Ctx, caller: Caller, meetingId: string) {
  const recording = await authorizeRecording(ctx, caller, meetingId);
  const settings: Record<string, unknown> = { ...recording.settings, topic: recording.topic };
  // No password is no field: the document's password has 8 to 10 characters.
  if (settings.password === '' || settings.password === undefined) delete settings.password;
  return Object.fromEntries(FIELDS.filter((f) => f in settings).map((f) => [f, settings[f]]));
}

export async function updateRecordingSettings(ctx: Ctx, caller: Caller, meetingId: string, body: unknown) {
  const b = requireObject(body);
  if (
    typeof b.password === 'string' &&
    b.password !== '' &&
    !(/[A-Za-z]/.test(b.password) && /\d/.test(b.password))
  )
    throw recordingErrors.weakPassword();
  const recording = await authorizeRecording(ctx, caller, meetingId);
  const next = { ...recording.settings };
  for (const field of FIELDS) if (b[field] !== undefined) next[field] = b[field];
  await ctx.store.recordings.updateSettings(recording.uuid, next);
}
