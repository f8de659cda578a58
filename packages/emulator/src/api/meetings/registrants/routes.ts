import type { Ctx } from '../../../context.js';
import { noContent, type RouteSink } from '../../../http/dispatch.js';
import { createRegistrant } from './create.js';
import { deleteRegistrant, getRegistrant } from './get.js';
import { type ListRegistrantsQuery, listRegistrants } from './list.js';
import { getRegistrationQuestions, updateRegistrationQuestions } from './questions.js';
import { REGISTRANT_SCOPES } from './scopes.js';
import { updateRegistrantStatus } from './status.js';

type MeetingParams = { meetingId: string };
type RegistrantParams = { meetingId: string; registrantId: string };

/**
 * /v2 meeting registrants routes. The static `status` and `questions` paths are registered before
 * `{registrantId}` (find-my-way prefers static segments anyway).
 */
export function registrantsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get<{ Params: MeetingParams; Querystring: ListRegistrantsQuery }>(
      '/meetings/:meetingId/registrants',
      { config: { scopes: REGISTRANT_SCOPES.listRegistrants, rateLimitLabel: 'Medium' } },
      async (request) => listRegistrants(ctx, request.caller!, request.params.meetingId, request.query),
    );
    app.post<{ Params: MeetingParams }>(
      '/meetings/:meetingId/registrants',
      { config: { scopes: REGISTRANT_SCOPES.createRegistrant, rateLimitLabel: 'Light' } },
      async (request, reply) => {
        const created = await createRegistrant(ctx, request.caller!, request.params.meetingId, request.body);
        return reply.code(201).send(created);
      },
    );
    app.put<{ Params: MeetingParams }>(
      '/meetings/:meetingId/registrants/status',
      { config: { scopes: REGISTRANT_SCOPES.updateRegistrantStatus, rateLimitLabel: 'Medium' } },
      noContent((request) =>
        updateRegistrantStatus(ctx, request.caller!, request.params.meetingId, request.body),
      ),
    );
    app.get<{ Params: MeetingParams }>(
      '/meetings/:meetingId/registrants/questions',
      { config: { scopes: REGISTRANT_SCOPES.getRegistrationQuestions, rateLimitLabel: 'Light' } },
      async (request) => getRegistrationQuestions(ctx, request.caller!, request.params.meetingId),
    );
    app.patch<{ Params: MeetingParams }>(
      '/meetings/:meetingId/registrants/questions',
      { config: { scopes: REGISTRANT_SCOPES.updateRegistrationQuestions, rateLimitLabel: 'Light' } },
      noContent((request) =>
        updateRegistrationQuestions(ctx, request.caller!, request.params.meetingId, request.body),
      ),
    );
    app.get<{ Params: RegistrantParams }>(
      '/meetings/:meetingId/registrants/:registrantId',
      { config: { scopes: REGISTRANT_SCOPES.getRegistrant, rateLimitLabel: 'Light' } },
      async (request) =>
        getRegistrant(ctx, request.caller!, request.params.meetingId, request.params.registrantId),
    );
    app.delete<{ Params: RegistrantParams }>(
      '/meetings/:meetingId/registrants/:registrantId',
      { config: { scopes: REGISTRANT_SCOPES.deleteRegistrant, rateLimitLabel: 'Light' } },
      noContent((request) =>
        deleteRegistrant(ctx, request.caller!, request.params.meetingId, request.params.registrantId),
      ),
    );
  };
}
