import type { Ctx } from '../../context.js';
import { noContent, type RouteSink } from '../../http/dispatch.js';
import { type DeleteQuery, deleteRecording, deleteRecordingFile } from './delete.js';
import { getRecording, type RecordingGetQuery } from './get.js';
import { listRecordings, type RecordingsListQuery } from './list.js';
import { recoverRecording, recoverRecordingFile } from './recover.js';
import { RECORDING_SCOPES } from './scopes.js';
import { getRecordingSettings, updateRecordingSettings } from './settings.js';

type MeetingParams = { meetingId: string };
type FileParams = { meetingId: string; recordingId: string };

/** /v2 cloud recordings: what a meeting that records to the cloud left when an instance ended. */
export function recordingsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get<{ Params: MeetingParams; Querystring: RecordingGetQuery }>(
      '/meetings/:meetingId/recordings',
      { config: { scopes: RECORDING_SCOPES.recordingGet, rateLimitLabel: 'Light' } },
      async (request) => getRecording(ctx, request.caller!, request.params.meetingId, request.query),
    );
    app.get<{ Params: { userId: string }; Querystring: RecordingsListQuery }>(
      '/users/:userId/recordings',
      { config: { scopes: RECORDING_SCOPES.recordingsList, rateLimitLabel: 'Medium' } },
      async (request) => listRecordings(ctx, request.caller!, request.params.userId, request.query),
    );
    app.delete<{ Params: MeetingParams; Querystring: DeleteQuery }>(
      '/meetings/:meetingId/recordings',
      { config: { scopes: RECORDING_SCOPES.recordingDelete, rateLimitLabel: 'Light' } },
      noContent((request) => deleteRecording(ctx, request.caller!, request.params.meetingId, request.query)),
    );
    app.delete<{ Params: FileParams; Querystring: DeleteQuery }>(
      '/meetings/:meetingId/recordings/:recordingId',
      { config: { scopes: RECORDING_SCOPES.recordingDeleteOne, rateLimitLabel: 'Light' } },
      noContent(async (request) => {
        const { meetingId, recordingId } = request.params;
        await deleteRecordingFile(ctx, request.caller!, meetingId, recordingId, request.query);
      }),
    );
    app.put<{ Params: { meetingUUID: string } }>(
      '/meetings/:meetingUUID/recordings/status',
      { config: { scopes: RECORDING_SCOPES.recordingStatusUpdate, rateLimitLabel: 'Light' } },
      noContent((request) =>
        recoverRecording(ctx, request.caller!, request.params.meetingUUID, request.body),
      ),
    );
    app.put<{ Params: FileParams }>(
      '/meetings/:meetingId/recordings/:recordingId/status',
      { config: { scopes: RECORDING_SCOPES.recordingStatusUpdateOne, rateLimitLabel: 'Light' } },
      noContent(async (request) => {
        const { meetingId, recordingId } = request.params;
        await recoverRecordingFile(ctx, request.caller!, meetingId, recordingId, request.body);
      }),
    );
    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/recordings/settings',
      { config: { scopes: RECORDING_SCOPES.recordingSettingsGet, rateLimitLabel: 'Light' } },
      async (request) => getRecordingSettings(ctx, request.caller!, request.params.meetingId),
    );
    app.patch<{ Params: MeetingParams }>(
      '/meetings/:meetingId/recordings/settings',
      { config: { scopes: RECORDING_SCOPES.recordingSettingsUpdate, rateLimitLabel: 'Light' } },
      noContent((request) =>
        updateRecordingSettings(ctx, request.caller!, request.params.meetingId, request.body),
      ),
    );
  };
}
