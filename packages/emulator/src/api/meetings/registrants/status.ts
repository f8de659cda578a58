/**
 * PUT /meetings/{meetingId}/registrants/status: `approve` (pending or denied -> approved), `deny`
 * (pending or approved -> denied) or `cancel` (approved -> denied: the approval is withdrawn) for up
 * to 30 registrants named by `id` or `email`. Every registrant named must exist, else nothing changes;
 * a registrant already in the resulting status is left as it is, with no event. Each change records
 * its event (meeting.registration_approved, _denied, _cancelled) in the same transaction.
 */
import type { Ctx } from '../../../context.js';
import { type FieldError, zoomErrors } from '../../../errors/zoom.js';
import type { Caller } from '../../../guard/caller.js';
import { isObject, requireObject } from '../../../http/input.js';
import type { Registrant, RegistrantStatus } from '../../../store/models.js';
import { registrantErrors } from '../errors.js';
import { authorizeRegistration } from './access.js';
import { emitRegistration, type RegistrationEvent } from './events.js';

const ACTIONS: Record<string, { from: RegistrantStatus[]; to: RegistrantStatus; event: RegistrationEvent }> =
  {
    approve: { from: ['pending', 'denied'], to: 'approved', event: 'meeting.registration_approved' },
    deny: { from: ['pending', 'approved'], to: 'denied', event: 'meeting.registration_denied' },
    cancel: { from: ['approved'], to: 'denied', event: 'meeting.registration_cancelled' },
  };

const MAX_REGISTRANTS = 30;

export async function updateRegistrantStatus(ctx: Ctx, caller: Caller, meetingId: string, body: unknown) {
  const b = requireObject(body);
  const errors: FieldError[] = [];
  const action =
    typeof b.action === 'string' && Object.hasOwn(ACTIONS, b.action) ? ACTIONS[b.action] : undefined;
  if (!action)
    errors.push({ field: 'action', message: "Invalid field. Allowed values: 'approve', 'cancel', 'deny'." });
  const named: Array<{ id?: string; email?: string }> = [];
  if (!Array.isArray(b.registrants) || b.registrants.length === 0)
    errors.push({ field: 'registrants', message: 'Invalid field. Name at least one registrant.' });
  else if (b.registrants.length > MAX_REGISTRANTS)
    errors.push({ field: 'registrants', message: `Invalid field. At most ${MAX_REGISTRANTS} registrants.` });
  else
    b.registrants.forEach((item, i) => {
      const id = isObject(item) && typeof item.id === 'string' && item.id !== '' ? item.id : undefined;
      const email =
        isObject(item) && typeof item.email === 'string' && item.email !== '' ? item.email : undefined;
      if (!id && !email)
        errors.push({ field: `registrants[${i}]`, message: 'Invalid field. Give the id or the email.' });
      else named.push({ ...(id ? { id } : {}), ...(email ? { email } : {}) });
    });
  if (errors.length > 0 || !action) throw zoomErrors.validation(errors);
  const { meeting, host } = await authorizeRegistration(ctx, caller, meetingId, 'notRequired');

  await ctx.store.transaction(async (trx) => {
    const found = new Map<number, Registrant>();
    for (const n of named) {
      const r = n.id
        ? await trx.registrants.findById(meeting.id, n.id)
        : await trx.registrants.findByEmail(meeting.id, n.email as string);
      if (!r || (n.id && n.email && r.email !== n.email.toLowerCase()))
        throw registrantErrors.notFound(n.id ?? (n.email as string));
      found.set(r.seq, r);
    }
    for (const r of found.values()) {
      if (!action.from.includes(r.status)) continue;
      await trx.registrants.setStatus(r.seq, action.to);
      const changed = { ...r, status: action.to };
      await emitRegistration(trx, ctx, caller.principal, meeting, host, changed, action.event);
    }
  });
}
