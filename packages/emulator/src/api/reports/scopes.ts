/**
 * Accepted scopes of each report operation: `report:read:admin` in the 2023 Meeting API document,
 * granular ones as Zoom names them today. Reports are account-wide: every scope is an `:admin` one.
 */
import { adminScopes, type ScopeRule } from '../../guard/scopes.js';

export const REPORT_SCOPES = {
  reportMeetingDetails: { classic: ['report:read:admin'], granular: ['report:read:meeting:admin'] },
  reportMeetingParticipants: {
    classic: ['report:read:admin'],
    granular: ['report:read:list_meeting_participants:admin'],
  },
  reportMeetings: { classic: ['report:read:admin'], granular: ['report:read:list_meetings:admin'] },
} as const satisfies Record<string, ScopeRule>;

/** The `:admin` granular report scopes: what the demo Server-to-Server app holds. */
export const ALL_REPORT_SCOPES_GRANULAR = adminScopes(REPORT_SCOPES);
