/**
 * The registration webhook events: meeting.registration_created (recorded when someone registers),
 * meeting.registration_approved, meeting.registration_denied and meeting.registration_cancelled
 * (PUT .../registrants/status). `object` is the meeting as meeting.created carries it plus the
 * `registrant`: created carries the whole registration, approved adds the registrant's join link to
 * the name and address, denied and cancelled carry the name and address only.
 */
import type { Ctx } from '../../../context.js';
import type { Principal } from '../../../guard/principal.js';
import type { Meeting, Registrant, User } from '../../../store/models.js';
import type { Store } from '../../../store/store.js';
import { recordEvent } from '../../../webhooks/emit.js';
import { eventObject } from '../events.js';
import { presentRegistrant } from './present.js';
import { registrantJoinUrl } from './token.js';

export type RegistrationEvent =
  | 'meeting.registration_created'
  | 'meeting.registration_approved'
  | 'meeting.registration_denied'
  | 'meeting.registration_cancelled';

function registrantObject(ctx: Ctx, meeting: Meeting, r: Registrant, event: RegistrationEvent) {
  if (event === 'meeting.registration_created') {
    const { create_time: _created, ...full } = presentRegistrant(ctx, meeting, r);
    return full;
  }
  const fields = r.fields as { first_name?: unknown; last_name?: unknown };
  return {
    id: r.id,
    first_name: typeof fields.first_name === 'string' ? fields.first_name : '',
    last_name: typeof fields.last_name === 'string' ? fields.last_name : '',
    email: r.email,
    ...(event === 'meeting.registration_approved' ? { join_url: registrantJoinUrl(ctx, meeting, r) } : {}),
  };
}

/**
 * Records `event` for `r` in the change's transaction `trx`. The registrant registers themselves, so
 * registration_created names no operator; the status changes name the token's user.
 */
export async function emitRegistration(
  trx: Store,
  ctx: Ctx,
  principal: Principal,
  meeting: Meeting,
  host: User,
  r: Registrant,
  event: RegistrationEvent,
): Promise<void> {
  await recordEvent(trx, ctx.clock, {
    accountId: meeting.accountId,
    event,
    operator: event === 'meeting.registration_created' ? null : principal.user,
    payload: {
      object: { ...eventObject(meeting, host), registrant: registrantObject(ctx, meeting, r, event) },
    },
  });
}
