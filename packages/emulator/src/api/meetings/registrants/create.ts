/**
 * POST /meetings/{meetingId}/registrants: someone registers for a meeting that requires registration.
 * With `approval_type` 0 the registrant is approved at once, with 1 pending until the host approves
 * (unless the request says `auto_approve`). The same address registering again gets the registration
 * it has, unchanged and with no new event, as Zoom answers a repeated registration.
 */
import type { Ctx } from '../../../context.js';
import { type FieldError, zoomErrors } from '../../../errors/zoom.js';
import type { Caller } from '../../../guard/caller.js';
import { EMAIL, isObject, requireObject } from '../../../http/input.js';
import { zoomId } from '../../../ids.js';
import type { Registrant } from '../../../store/models.js';
import { registrantErrors } from '../errors.js';
import { authorizeRegistration } from './access.js';
import { emitRegistration } from './events.js';
import { FORM_FIELDS, presentCreated } from './present.js';
import { questionsOf } from './questions.js';

/** Zoom's limit of registrants per meeting. */
export const MAX_REGISTRANTS = 4999;

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

export async function createRegistrant(ctx: Ctx, caller: Caller, meetingId: string, body: unknown) {
  const b = requireObject(body);
  // Types, lengths, enums and the two required fields were checked by the /v2 hook (the document).
  if (typeof b.email !== 'string' || !EMAIL.test(b.email))
    throw zoomErrors.validation([{ field: 'email', message: 'Invalid field.' }]);
  if (blank(b.first_name)) throw zoomErrors.validation([{ field: 'first_name', message: 'Invalid field.' }]);
  const { meeting, host, approval } = await authorizeRegistration(ctx, caller, meetingId, 'notEnabled');
  const email = b.email.toLowerCase();
  const fields: Record<string, unknown> = {};
  for (const field of FORM_FIELDS) if (typeof b[field] === 'string') fields[field] = b[field];
  if (Array.isArray(b.custom_questions))
    fields.custom_questions = b.custom_questions
      .filter(isObject)
      .map((q) => ({ title: String(q.title ?? ''), value: String(q.value ?? '') }));
  if (typeof b.language === 'string') fields.language = b.language;

  const result = await ctx.store.transaction(async (trx) => {
    const existing = await trx.registrants.findByEmail(meeting.id, email);
    if (existing) return existing;
    // The form's required questions, as the meeting's questions say.
    const { questions, customQuestions } = await questionsOf(trx, meeting.id);
    const errors: FieldError[] = [];
    for (const q of questions)
      if (q.required === true && typeof q.field_name === 'string' && blank(fields[q.field_name]))
        errors.push({ field: q.field_name, message: 'Invalid field. This field is required.' });
    const answers = (fields.custom_questions ?? []) as Array<{ title: string; value: string }>;
    for (const q of customQuestions)
      if (q.required === true && !answers.some((a) => a.title === q.title && !blank(a.value)))
        errors.push({ field: 'custom_questions', message: `Invalid field. "${q.title}" is required.` });
    if (errors.length > 0) throw zoomErrors.validation(errors);
    if ((await trx.registrants.count(meeting.id)) >= MAX_REGISTRANTS) throw registrantErrors.full();
    const created = await trx.registrants.insert({
      id: zoomId(),
      meetingId: meeting.id,
      accountId: meeting.accountId,
      email,
      status: approval === 0 || b.auto_approve === true ? 'approved' : 'pending',
      fields,
      createTime: ctx.clock.now(),
    });
    // Another request registered the address meanwhile (PostgreSQL): theirs is the registration.
    if (!created) return (await trx.registrants.findByEmail(meeting.id, email)) as Registrant;
    await emitRegistration(
      trx,
      ctx,
      caller.principal,
      meeting,
      host,
      created,
      'meeting.registration_created',
    );
    return created;
  });
  return presentCreated(ctx, meeting, result);
}
