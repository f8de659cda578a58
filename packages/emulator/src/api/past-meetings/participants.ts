/**
 * GET /past_meetings/{meetingId}/participants: everyone who joined the ended instance, in join order
 * (one entry per join), paged by a signed, expiring keyset token. Pro plans and above only.
 */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { keysetPage } from '../paging.js';
import { participantsPage } from '../participants.js';
import { authorizePastMeeting } from './access.js';
import { PARTICIPANTS_TEXTS, pastMeetingErrors } from './errors.js';
import { presentParticipant } from './present.js';

export interface PastParticipantsQuery {
  page_size?: string;
  next_page_token?: string;
}

const MAX_PAGE_SIZE = 300;

export async function listPastParticipants(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  query: PastParticipantsQuery,
) {
  const errors: FieldError[] = [];
  const { token, pageSize } = keysetPage(query, MAX_PAGE_SIZE, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const instance = await authorizePastMeeting(ctx, caller, meetingId, PARTICIPANTS_TEXTS);
  const account = await ctx.store.accounts.findById(instance.accountId);
  if (account?.plan === 'free') throw pastMeetingErrors.paidOnly(instance.accountId);
  const endTime = instance.endTime as number;
  const { paging, shown } = await participantsPage(
    ctx,
    { uuid: instance.uuid, endTime },
    'past_participants',
    token,
    pageSize,
  );
  return { ...paging, participants: shown.map((p) => presentParticipant(p, endTime)) };
}
