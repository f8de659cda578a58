import type { Ctx } from '../../context.js';
import type { RouteSink } from '../../http/dispatch.js';
import { getPastMeeting } from './get.js';
import { listPastInstances } from './instances.js';
import { listPastParticipants, type PastParticipantsQuery } from './participants.js';
import { PAST_MEETING_SCOPES } from './scopes.js';

type MeetingParams = { meetingId: string };

/** /v2 past meetings: what the meeting lifecycle (live/) recorded about ended instances. */
export function pastMeetingsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get<{ Params: MeetingParams }>(
      '/past_meetings/:meetingId',
      { config: { scopes: PAST_MEETING_SCOPES.getPastMeeting, rateLimitLabel: 'Light' } },
      async (request) => getPastMeeting(ctx, request.caller!, request.params.meetingId),
    );
    app.get<{ Params: MeetingParams }>(
      '/past_meetings/:meetingId/instances',
      { config: { scopes: PAST_MEETING_SCOPES.listPastInstances, rateLimitLabel: 'Medium' } },
      async (request) => listPastInstances(ctx, request.caller!, request.params.meetingId),
    );
    app.get<{ Params: MeetingParams; Querystring: PastParticipantsQuery }>(
      '/past_meetings/:meetingId/participants',
      { config: { scopes: PAST_MEETING_SCOPES.listPastParticipants, rateLimitLabel: 'Medium' } },
      async (request) => listPastParticipants(ctx, request.caller!, request.params.meetingId, request.query),
    );
  };
}
