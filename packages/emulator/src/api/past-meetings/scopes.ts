/**
 * Accepted scopes of each past-meetings operation: classic ones from the 2023 Meeting API document,
 * granular ones as Zoom names them today (`:admin` to reach other users' meetings).
 */
import { adminScopes, type ScopeRule } from '../../guard/scopes.js';

export const PAST_MEETING_SCOPES = {
  getPastMeeting: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:past_meeting', 'meeting:read:past_meeting:admin'],
  },
  listPastInstances: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:list_past_instances', 'meeting:read:list_past_instances:admin'],
  },
  listPastParticipants: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:list_past_participants', 'meeting:read:list_past_participants:admin'],
  },
} as const satisfies Record<string, ScopeRule>;

/** The `:admin` granular past-meetings scopes: what the demo Server-to-Server app holds. */
export const ALL_PAST_MEETING_SCOPES_GRANULAR = adminScopes(PAST_MEETING_SCOPES);
