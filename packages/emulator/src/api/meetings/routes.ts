import type { Ctx } from '../../context.js';
import { noContent, type RouteSink } from '../../http/dispatch.js';
import { createMeeting } from './create.js';
import { type DeleteMeetingQuery, deleteMeeting } from './delete.js';
import { type GetMeetingQuery, getMeeting } from './get.js';
import { type ListMeetingsQuery, listMeetings } from './list.js';
import { MEETING_SCOPES } from './scopes.js';
import { updateMeetingStatus } from './status.js';
import { type UpdateMeetingQuery, updateMeeting } from './update.js';

type UserParams = { userId: string };
type MeetingParams = { meetingId: string };

/** /v2 Meetings routes. Create and update also count against the host's 100 writes a day. */
export function meetingsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.post<{ Params: UserParams }>(
      '/users/:userId/meetings',
      { config: { scopes: MEETING_SCOPES.createMeeting, rateLimitLabel: 'Medium' } },
      async (request, reply) => {
        const created = await createMeeting(ctx, request.caller!, request.params.userId, request.body);
        return reply.code(201).send(created);
      },
    );
    app.get<{ Params: UserParams; Querystring: ListMeetingsQuery }>(
      '/users/:userId/meetings',
      { config: { scopes: MEETING_SCOPES.listMeetings, rateLimitLabel: 'Medium' } },
      async (request) => listMeetings(ctx, request.caller!, request.params.userId, request.query),
    );
    app.get<{ Params: MeetingParams; Querystring: GetMeetingQuery }>(
      '/meetings/:meetingId',
      { config: { scopes: MEETING_SCOPES.getMeeting, rateLimitLabel: 'Light' } },
      async (request) => getMeeting(ctx, request.caller!, request.params.meetingId, request.query),
    );
    app.patch<{ Params: MeetingParams; Querystring: UpdateMeetingQuery }>(
      '/meetings/:meetingId',
      { config: { scopes: MEETING_SCOPES.updateMeeting, rateLimitLabel: 'Medium' } },
      noContent((request) =>
        updateMeeting(ctx, request.caller!, request.params.meetingId, request.body, request.query),
      ),
    );
    app.delete<{ Params: MeetingParams; Querystring: DeleteMeetingQuery }>(
      '/meetings/:meetingId',
      { config: { scopes: MEETING_SCOPES.deleteMeeting, rateLimitLabel: 'Light' } },
      noContent((request) => deleteMeeting(ctx, request.caller!, request.params.meetingId, request.query)),
    );
    app.put<{ Params: MeetingParams }>(
      '/meetings/:meetingId/status',
      { config: { scopes: MEETING_SCOPES.updateMeetingStatus, rateLimitLabel: 'Light' } },
      noContent((request) =>
        updateMeetingStatus(ctx, request.caller!, request.params.meetingId, request.body),
      ),
    );
  };
}
