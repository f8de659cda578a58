/**
 * Accepted scopes of each Meetings operation: classic ones from the 2023 Meeting API spec, granular ones
 * as Zoom names them today (`meeting:<action>:<object>`, `:admin` to act on other users' meetings).
 */
import { adminScopes, type ScopeRule } from '../../guard/scopes.js';

export const MEETING_SCOPES = {
  createMeeting: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:write:meeting', 'meeting:write:meeting:admin'],
    viaPrivilege: true,
  },
  listMeetings: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:list_meetings', 'meeting:read:list_meetings:admin'],
    viaPrivilege: true,
  },
  getMeeting: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:meeting', 'meeting:read:meeting:admin'],
  },
  updateMeeting: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:update:meeting', 'meeting:update:meeting:admin'],
  },
  deleteMeeting: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:delete:meeting', 'meeting:delete:meeting:admin'],
  },
  updateMeetingStatus: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:update:status', 'meeting:update:status:admin'],
  },
} as const satisfies Record<string, ScopeRule>;

/** The `:admin` granular Meetings scopes: what the demo Server-to-Server app holds. */
export const ALL_MEETING_SCOPES_GRANULAR = adminScopes(MEETING_SCOPES);
