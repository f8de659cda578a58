/**
 * GET and PATCH /meetings/{meetingId}/registrants/questions: the registration form's questions. A
 * meeting whose questions were never set answers Zoom's default form (first name and email, which
 * every registration has, and nothing more). Questions marked `required` are required of registrants
 * by POST .../registrants.
 */
import type { Ctx } from '../../../context.js';
import { type FieldError, zoomErrors } from '../../../errors/zoom.js';
import type { Caller } from '../../../guard/caller.js';
import { isObject, requireObject } from '../../../http/input.js';
import type { RegistrationQuestions } from '../../../store/models.js';
import type { Store } from '../../../store/store.js';
import { authorizeRegistration } from './access.js';

const DEFAULT_QUESTIONS: RegistrationQuestions = { questions: [], customQuestions: [] };

export async function questionsOf(store: Store, meetingId: number): Promise<RegistrationQuestions> {
  return (await store.registrants.questions(meetingId)) ?? DEFAULT_QUESTIONS;
}

const present = (q: RegistrationQuestions) => ({
  questions: q.questions,
  custom_questions: q.customQuestions,
});

export async function getRegistrationQuestions(ctx: Ctx, caller: Caller, meetingId: string) {
  const { meeting } = await authorizeRegistration(ctx, caller, meetingId, 'anyMeeting');
  return present(await questionsOf(ctx.store, meeting.id));
}

/** What the document's schema (checked by the /v2 hook) leaves to Zoom: titles, and answers to pick. */
function checkCustom(list: unknown[], errors: FieldError[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  list.forEach((item, i) => {
    if (!isObject(item)) return;
    if (typeof item.title !== 'string' || item.title.trim() === '')
      errors.push({ field: `custom_questions[${i}].title`, message: 'Invalid field.' });
    if (item.type === 'single' && (!Array.isArray(item.answers) || item.answers.length === 0))
      errors.push({
        field: `custom_questions[${i}].answers`,
        message: 'Invalid field. A single-answer question needs its answers.',
      });
    out.push({
      title: item.title,
      type: item.type ?? 'short',
      required: item.required === true,
      ...(item.type === 'single' ? { answers: item.answers } : {}),
    });
  });
  return out;
}

/** One entry per field name, the last given winning, in the order first given. */
function standard(list: unknown[]): Array<Record<string, unknown>> {
  const byName = new Map<string, Record<string, unknown>>();
  for (const item of list) {
    if (!isObject(item) || typeof item.field_name !== 'string') continue;
    byName.set(item.field_name, { field_name: item.field_name, required: item.required === true });
  }
  return [...byName.values()];
}

export async function updateRegistrationQuestions(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  body: unknown,
): Promise<void> {
  const b = requireObject(body);
  const errors: FieldError[] = [];
  const custom = Array.isArray(b.custom_questions) ? checkCustom(b.custom_questions, errors) : undefined;
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { meeting } = await authorizeRegistration(ctx, caller, meetingId, 'anyMeeting');
  await ctx.store.transaction(async (trx) => {
    const current = await questionsOf(trx, meeting.id);
    await trx.registrants.setQuestions(meeting.id, {
      questions: Array.isArray(b.questions) ? standard(b.questions) : current.questions,
      customQuestions: custom ?? current.customQuestions,
    });
  });
}
