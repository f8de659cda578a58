import type { Ctx } from '../../context.js';
import type { RouteSink } from '../../http/dispatch.js';
import { reportMeeting } from './meeting.js';
import { type ReportParticipantsQuery, reportParticipants } from './participants.js';
import { REPORT_SCOPES } from './scopes.js';
import { type ReportMeetingsQuery, reportUserMeetings } from './user-meetings.js';

/** /v2 reports of ended meetings, from what the meeting lifecycle (live/) recorded. */
export function reportsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get<{ Params: { meetingId: string } }>(
      '/report/meetings/:meetingId',
      { config: { scopes: REPORT_SCOPES.reportMeetingDetails, rateLimitLabel: 'Heavy' } },
      async (request) => reportMeeting(ctx, request.caller!, request.params.meetingId),
    );
    app.get<{ Params: { meetingId: string }; Querystring: ReportParticipantsQuery }>(
      '/report/meetings/:meetingId/participants',
      { config: { scopes: REPORT_SCOPES.reportMeetingParticipants, rateLimitLabel: 'Heavy' } },
      async (request) => reportParticipants(ctx, request.caller!, request.params.meetingId, request.query),
    );
    app.get<{ Params: { userId: string }; Querystring: ReportMeetingsQuery }>(
      '/report/users/:userId/meetings',
      { config: { scopes: REPORT_SCOPES.reportMeetings, rateLimitLabel: 'Heavy' } },
      async (request) => reportUserMeetings(ctx, request.caller!, request.params.userId, request.query),
    );
  };
}
