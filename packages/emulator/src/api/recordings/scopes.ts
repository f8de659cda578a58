/**
 * Accepted scopes of each Cloud Recording operation: classic ones from the 2023 Meeting API document,
 * granular ones as Zoom names them today (`cloud_recording:<action>:<object>`, `:admin` to reach
 * other users' recordings).
 */
import { adminScopes, type ScopeRule } from '../../guard/scopes.js';

const READ = ['recording:read', 'recording:read:admin'];
const WRITE = ['recording:write', 'recording:write:admin'];

export const RECORDING_SCOPES = {
  recordingGet: {
    classic: READ,
    granular: [
      'cloud_recording:read:list_recording_files',
      'cloud_recording:read:list_recording_files:admin',
    ],
  },
  recordingsList: {
    classic: READ,
    granular: [
      'cloud_recording:read:list_user_recordings',
      'cloud_recording:read:list_user_recordings:admin',
    ],
  },
  recordingDelete: {
    classic: WRITE,
    granular: ['cloud_recording:delete:meeting_recording', 'cloud_recording:delete:meeting_recording:admin'],
  },
  recordingDeleteOne: {
    classic: WRITE,
    granular: ['cloud_recording:delete:recording_file', 'cloud_recording:delete:recording_file:admin'],
  },
  recordingStatusUpdate: {
    classic: WRITE,
    granular: [
      'cloud_recording:update:recover_meeting_recordings',
      'cloud_recording:update:recover_meeting_recordings:admin',
    ],
  },
  recordingStatusUpdateOne: {
    classic: WRITE,
    granular: [
      'cloud_recording:update:recover_single_recording',
      'cloud_recording:update:recover_single_recording:admin',
    ],
  },
  recordingSettingsGet: {
    classic: READ,
    granular: ['cloud_recording:read:recording_settings', 'cloud_recording:read:recording_settings:admin'],
  },
  recordingSettingsUpdate: {
    classic: WRITE,
    granular: [
      'cloud_recording:update:recording_settings',
      'cloud_recording:update:recording_settings:admin',
    ],
  },
} as const satisfies Record<string, ScopeRule>;

/**
 * A download (`download_url` with an OAuth access token rather than the download token) takes any
 * scope that reads a meeting's recordings.
 */
export const RECORDING_DOWNLOAD_SCOPES: ScopeRule = {
  classic: READ,
  granular: [...RECORDING_SCOPES.recordingGet.granular, ...RECORDING_SCOPES.recordingsList.granular],
};

/** The `:admin` granular Cloud Recording scopes: what the demo Server-to-Server app holds. */
export const ALL_RECORDING_SCOPES_GRANULAR = adminScopes(RECORDING_SCOPES);
