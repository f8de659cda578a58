/** Users webhook events: the objects they carry and who made the change, in the change's transaction. */
import type { Ctx } from '../../context.js';
import type { Principal } from '../../guard/principal.js';
import type { Store } from '../../store/store.js';
import { type EventInput, recordEvent } from '../../webhooks/emit.js';

function operatorOf(principal: Principal) {
  return principal.user ? { id: principal.user.id, email: principal.user.email } : null;
}

/** Records `event` for the change `principal` made, in the change's transaction `trx`. */
export async function emit(
  trx: Store,
  ctx: Ctx,
  principal: Principal,
  event: EventInput['event'],
  payload: EventInput['payload'],
) {
  await recordEvent(trx, ctx.clock, {
    accountId: principal.accountId,
    event,
    operator: operatorOf(principal),
    payload,
  });
}
