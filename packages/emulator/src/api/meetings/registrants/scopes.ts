/**
 * Accepted scopes of each registrants operation: classic ones from the 2023 Meeting API document,
 * granular ones as Zoom names them today (`:admin` to act on other users' meetings).
 */
import { adminScopes, type ScopeRule } from '../../../guard/scopes.js';

export const REGISTRANT_SCOPES = {
  listRegistrants: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:list_registrants', 'meeting:read:list_registrants:admin'],
  },
  createRegistrant: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:write:registrant', 'meeting:write:registrant:admin'],
  },
  getRegistrant: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:registrant', 'meeting:read:registrant:admin'],
  },
  deleteRegistrant: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:delete:registrant', 'meeting:delete:registrant:admin'],
  },
  updateRegistrantStatus: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:update:registrant_status', 'meeting:update:registrant_status:admin'],
  },
  getRegistrationQuestions: {
    classic: ['meeting:read', 'meeting:read:admin'],
    granular: ['meeting:read:registration_question', 'meeting:read:registration_question:admin'],
  },
  updateRegistrationQuestions: {
    classic: ['meeting:write', 'meeting:write:admin'],
    granular: ['meeting:update:registration_question', 'meeting:update:registration_question:admin'],
  },
} as const satisfies Record<string, ScopeRule>;

/** The `:admin` granular registrants scopes: what the demo Server-to-Server app holds. */
export const ALL_REGISTRANT_SCOPES_GRANULAR = adminScopes(REGISTRANT_SCOPES);
