/**
 * /_zemu/meetings/{meetingId}/participants: people joining and leaving a meeting without a browser,
 * through the same lifecycle as the join and start pages (live/engine.ts).
 *   POST   {name, email?, user_id?}   joins now; the host's joining starts the meeting (201; 200 when
 *                                      that signed-in user is already in it)
 *   DELETE .../{participantId}         leaves now (204); the last one out ends the meeting
 *   GET                                who is in the live meeting now
 */

import { isExpired } from '../api/meetings/lifecycle.js';
import type { Ctx } from '../context.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { noContent, type RouteSink } from '../http/dispatch.js';
import { EMAIL, requireObject } from '../http/input.js';
import { join, leave, settle } from '../live/engine.js';
import { isLive } from '../live/state.js';
import type { Meeting, Participant } from '../store/models.js';
import { zoomTime } from '../time.js';

type Params = { meetingId: string };

function presentParticipant(p: Participant) {
  return {
    id: p.participantId,
    participant_uuid: p.participantUuid,
    meeting_uuid: p.instanceUuid,
    user_id: p.userId,
    name: p.name,
    email: p.email,
    is_host: p.isHost,
    join_time: zoomTime(p.joinTime),
    leave_time: p.leaveTime === null ? null : zoomTime(p.leaveTime),
  };
}

export function meetingsControlRoutes(ctx: Ctx) {
  async function meetingOf(raw: string): Promise<Meeting> {
    const id = /^\d{1,11}$/.test(raw) ? Number(raw) : undefined;
    const meeting = id === undefined ? undefined : await ctx.store.meetings.findById(id);
    if (!meeting || isExpired(meeting, ctx.clock.now()))
      throw zoomErrors.controlNotFound('Meeting', raw.slice(0, 32));
    return meeting;
  }

  return async (app: RouteSink) => {
    app.get<{ Params: Params }>('/meetings/:meetingId/participants', async (request) => {
      const meeting = await meetingOf(request.params.meetingId);
      await settle(ctx, meeting);
      const current = (await ctx.store.meetings.findById(meeting.id)) as Meeting;
      const instance = isLive(current, ctx.clock.now())
        ? await ctx.store.instances.liveOf(meeting.id)
        : undefined;
      const present = instance ? await ctx.store.instances.present(instance.uuid) : [];
      return {
        meeting_id: meeting.id,
        live: instance !== undefined,
        uuid: current.uuid,
        participants: present.map(presentParticipant),
      };
    });

    app.post<{ Params: Params; Body: unknown }>(
      '/meetings/:meetingId/participants',
      async (request, reply) => {
        const b = requireObject(request.body ?? {});
        const errors: FieldError[] = [];
        if (
          b.user_id !== undefined &&
          (typeof b.user_id !== 'string' || b.user_id === '' || b.user_id.length > 256)
        )
          errors.push({ field: 'user_id', message: 'Must be the id of a Zemu user.' });
        if (
          b.name !== undefined &&
          (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 64)
        )
          errors.push({ field: 'name', message: 'Must be a display name of 1 to 64 characters.' });
        if (b.name === undefined && b.user_id === undefined)
          errors.push({
            field: 'name',
            message: 'Give the participant a name (or the user_id of a Zemu user).',
          });
        if (
          b.email !== undefined &&
          (typeof b.email !== 'string' || b.email.length > 128 || !EMAIL.test(b.email))
        )
          errors.push({ field: 'email', message: 'Must be an email address.' });
        if (errors.length > 0) throw zoomErrors.validation(errors);
        const meeting = await meetingOf(request.params.meetingId);
        const user = typeof b.user_id === 'string' ? await ctx.store.users.findById(b.user_id) : undefined;
        if (typeof b.user_id === 'string' && !user) throw zoomErrors.controlNotFound('User', b.user_id);
        const name =
          typeof b.name === 'string'
            ? b.name.trim()
            : [user?.firstName, user?.lastName].filter(Boolean).join(' ') || (user?.email ?? '');
        const joined = await join(ctx, meeting.id, {
          name,
          email: typeof b.email === 'string' ? b.email : (user?.email ?? ''),
          userId: user?.id ?? null,
        });
        if (!joined.ok) {
          if (joined.reason === 'gone') throw zoomErrors.controlNotFound('Meeting', String(meeting.id));
          throw zoomErrors.conflict(
            `Meeting ${meeting.id} has not started: the host must join first (or the meeting must allow join before host).`,
          );
        }
        reply.code(joined.joined ? 201 : 200);
        return presentParticipant(joined.participant);
      },
    );

    app.delete<{ Params: Params & { participantId: string } }>(
      '/meetings/:meetingId/participants/:participantId',
      noContent(async (request) => {
        const meeting = await meetingOf(request.params.meetingId);
        const pid = request.params.participantId.slice(0, 32);
        const left = await leave(ctx, meeting.id, pid);
        if (!left.ok) {
          if (left.reason === 'gone') throw zoomErrors.controlNotFound('Meeting', String(meeting.id));
          if (left.reason === 'not_live')
            throw zoomErrors.conflict(`Meeting ${meeting.id} is not in progress: nobody can leave it.`);
          throw zoomErrors.controlNotFound('Participant in the meeting', pid);
        }
      }),
    );
  };
}
