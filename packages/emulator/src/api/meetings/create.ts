/** POST /users/{userId}/meetings: a meeting for the user, or for the user it is scheduled for. */
import { randomInt } from 'node:crypto';
import type { Ctx } from '../../context.js';
import { zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireObject } from '../../http/input.js';
import { alnum, meetingUuid } from '../../ids.js';
import type { Meeting } from '../../store/models.js';
import { authorizeHost, MAX_MEETING_ID, requireMeetingCapability, scheduledHost } from './access.js';
import { emit, eventObject } from './events.js';
import { defaultSettings, meetingResponse, mergeSettings } from './present.js';
import { alignToOccurrences, normalizeRecurrence } from './recurrence.js';
import { numericPassword, ruleErrors, type Writable } from './rules.js';
import { parseStartTime } from './time.js';

/** Meeting numbers: 11 digits, like Zoom's today (85746065123). */
function newMeetingId(): number {
  return randomInt(81_000_000_000, MAX_MEETING_ID);
}

export async function createMeeting(ctx: Ctx, caller: Caller, userId: string, body: unknown) {
  const { principal } = caller;
  const b = requireObject(body) as Writable;
  const type = b.type ?? 2;
  // The spec's schema has been checked by the /v2 hook (api/spec/validate.ts); Zoom's rules follow.
  const errors = ruleErrors(b, type, b.recurrence !== undefined);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user: scheduler } = await authorizeHost(ctx, caller, userId);
  const host = await scheduledHost(ctx, scheduler, b.schedule_for, type);
  requireMeetingCapability(host);

  const now = ctx.clock.now();
  const timezone = b.timezone || host.timezone || 'UTC';
  let startTime: number | null = null;
  if (type === 2 || type === 8) startTime = b.start_time ? parseStartTime(b.start_time, timezone) : now;
  if (type === 1) startTime = now;
  if (Number.isNaN(startTime))
    throw zoomErrors.validation([{ field: 'start_time', message: 'Invalid field.' }]);
  const password = b.password ? b.password : alnum(6);

  let id = newMeetingId();
  while (await ctx.store.meetings.idTaken(id)) id = newMeetingId();
  const meeting: Meeting = {
    seq: 0,
    id,
    uuid: meetingUuid(),
    accountId: host.accountId,
    hostId: host.id,
    topic:
      b.topic ?? `${[host.firstName, host.lastName].filter(Boolean).join(' ') || host.email}'s Zoom Meeting`,
    type,
    status: 'waiting',
    startTime,
    duration: type === 3 ? null : (b.duration ?? 60),
    timezone,
    agenda: b.agenda ?? '',
    password,
    h323Password: numericPassword(password),
    preSchedule: b.pre_schedule ?? false,
    settings: mergeSettings(defaultSettings(), b.settings ?? {}),
    recurrence: (type === 3 || type === 8) && b.recurrence ? normalizeRecurrence(b.recurrence) : null,
    trackingFields: b.tracking_fields ?? null,
    deletedOccurrences: [],
    createdAt: now,
    startedAt: null,
  };
  alignToOccurrences(meeting);
  // Counted only once the request is known to be good: a refused request costs no write.
  await ctx.quotas.requireMeetingWrite(host.id);
  await ctx.store.transaction(async (trx) => {
    await trx.meetings.insert(meeting);
    await emit(trx, ctx, principal, meeting, 'meeting.created', { object: eventObject(meeting, host) });
  });
  return meetingResponse(ctx, meeting, host);
}
