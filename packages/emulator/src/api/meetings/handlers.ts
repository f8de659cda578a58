/**
 * Meetings operations (POST/GET /users/{userId}/meetings, GET/PATCH/DELETE /meetings/{meetingId}):
 * domain logic only; SQL lives in the store's meetings repository, HTTP in routes.ts.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Ctx } from '../../context.js';
import { type FieldError, ZoomRefusal, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { requireAnyScope, requireScopes } from '../../guard/scopes.js';
import { authorizeUser } from '../../guard/target.js';
import { alnum } from '../../ids.js';
import { defaultZakTtl } from '../../oauth/zak.js';
import type { Meeting, User } from '../../store/models.js';
import { recordEvent } from '../../webhooks/emit.js';
import { booleanQuery, requireObject } from '../input.js';
import { decodeCursor, encodeCursor, PAGE_TOKEN_TTL_MS, pageParams } from '../paging.js';
import { meetingErrors } from './errors.js';
import { isExpired, isLive, meetingStarts } from './lifecycle.js';
import {
  defaultSettings,
  encryptedPassword,
  mergeSettings,
  presentListedMeeting,
  presentMeeting,
} from './present.js';
import { MAX_INTERVAL } from './recurrence.js';
import { gmt, isTimezone, parseStartTime } from './time.js';

const PASSWORD = /^[A-Za-z0-9@_*-]{1,10}$/;
const MAX_MEETING_ID = 99_999_999_999;

/** Meeting numbers: 11 digits, like Zoom's today (85746065123). */
function newMeetingId(): number {
  return randomInt(81_000_000_000, MAX_MEETING_ID);
}

/** Zoom's uuid: 16 random bytes in standard base64 ("aDYlohsHRtCd4ii1uC2+hA=="). */
function newUuid(): string {
  return randomBytes(16).toString('base64');
}

/** Digits for dialling in (h323/pstn): the passcode itself when numeric, else six digits. */
function numericPassword(password: string): string {
  if (password === '') return '';
  if (/^\d+$/.test(password)) return password;
  return String(randomInt(100_000, 1_000_000));
}

/** `/users/{userId}` resolution with the Meetings spec's 404 text. */
async function authorizeHost(ctx: Ctx, caller: Caller, userId: string) {
  try {
    return await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  } catch (e) {
    if (e instanceof ZoomRefusal && e.code === 1001) throw meetingErrors.userNotFound(userId.slice(0, 256));
    throw e;
  }
}

/** The path's `{meetingId}` as Zoom's int64 meeting number. */
export function parseMeetingId(raw: string): number {
  if (!/^\d{1,19}$/.test(raw)) throw meetingErrors.invalidMeetingId();
  return Number(raw);
}

/**
 * A meeting the caller may act on: its host is a user of the caller's account (else 3001, as if it did
 * not exist), a user-level token reaches only its own user's meetings, and the scopes cover the host.
 */
async function authorizeMeeting(
  ctx: Ctx,
  caller: Caller,
  rawId: string,
): Promise<{ meeting: Meeting; host: User }> {
  const { principal, rule } = caller;
  const id = parseMeetingId(rawId);
  requireAnyScope(principal.scopes, rule);
  const meeting = id <= MAX_MEETING_ID ? await ctx.store.meetings.findById(id) : undefined;
  if (!meeting || meeting.accountId !== principal.accountId) {
    throw meetingErrors.notFound(rawId, meeting ? "the meeting's host is in another account" : undefined);
  }
  if (isExpired(meeting, ctx.clock.now())) throw meetingErrors.notFound(rawId, 'the meeting ID has expired');
  const host =
    principal.user?.id === meeting.hostId ? principal.user : await ctx.store.users.findById(meeting.hostId);
  if (!host || host.accountId !== principal.accountId) {
    throw meetingErrors.notFound(rawId, 'the host is no longer a user of this account');
  }
  const isSelf = host.id === principal.user?.id;
  if (!isSelf && principal.app.type === 'oauth_user') {
    throw meetingErrors.notFound(rawId, "a user-level token reaches only its own user's meetings");
  }
  requireScopes(principal.scopes, rule, { isMe: false, isSelf });
  return { meeting, host };
}

/** start_url carries a fresh ZAK for the host (2 h; 90 days for custCreate hosts). */
async function present(
  ctx: Ctx,
  meeting: Meeting,
  host: User,
  view: { withPrevious?: boolean; occurrence?: OccurrenceView } = {},
) {
  const zak = await ctx.zaks.issue(host, defaultZakTtl(host), 'zak');
  const encrypted = encryptedPassword(ctx.keys.pageToken, meeting);
  const body = presentMeeting(meeting, {
    hostEmail: host.email,
    hostPmi: host.pmi,
    startUrl: `${ctx.publicUrl()}/s/${meeting.id}?zak=${zak}`,
    joinUrl: joinUrl(ctx, meeting),
    encryptedPassword: encrypted,
  });
  body.status = isLive(meeting, ctx.clock.now()) ? 'started' : 'waiting';
  if (meeting.type === 8) {
    body.occurrences = view.occurrence
      ? [view.occurrence]
      : occurrencesOf(meeting, ctx.clock.now(), view.withPrevious ?? false);
    // One occurrence asked for: the meeting as that occurrence.
    if (view.occurrence) body.start_time = view.occurrence.start_time;
  }
  return body;
}

/** `occurrence_id` of a type 8 meeting, or Zoom's 400 3000. */
function findOccurrence(meeting: Meeting, occurrenceId: string): OccurrenceView {
  const found = occurrencesOf(meeting, 0, true).find((o) => o.occurrence_id === occurrenceId);
  if (!found) throw meetingErrors.invalidOccurrence(occurrenceId);
  return found;
}

export function joinUrl(ctx: Ctx, meeting: Meeting): string {
  const encrypted = encryptedPassword(ctx.keys.pageToken, meeting);
  return `${ctx.publicUrl()}/j/${meeting.id}${encrypted ? `?pwd=${encrypted}` : ''}`;
}

interface Writable {
  topic?: string;
  type?: number;
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  password?: string;
  default_password?: boolean;
  pre_schedule?: boolean;
  settings?: Record<string, unknown>;
  recurrence?: Record<string, unknown>;
  tracking_fields?: Array<Record<string, unknown>>;
  schedule_for?: string;
  template_id?: string;
}

/** Checks beyond the schema: timezone IDs, passcode characters, durations, recurrence for type 8. */
function ruleErrors(b: Writable, type: number, hasRecurrence: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (b.timezone !== undefined && b.timezone !== '' && !isTimezone(b.timezone))
    errors.push({ field: 'timezone', message: 'Invalid field. Use a timezone ID such as America/New_York.' });
  if (b.password !== undefined && b.password !== '' && !PASSWORD.test(b.password)) {
    errors.push({
      field: 'password',
      message: 'Invalid field. A passcode has at most 10 characters: letters, digits and @ - _ * only.',
    });
  }
  if (b.duration !== undefined && (b.duration < 0 || b.duration > 1440))
    errors.push({ field: 'duration', message: 'Invalid field. The duration is in minutes, 0 to 1440.' });
  if (type === 8 && !hasRecurrence)
    errors.push({ field: 'recurrence', message: 'Invalid field. A type 8 meeting needs a recurrence.' });
  if (b.recurrence !== undefined) {
    const r = b.recurrence;
    if (r.type === undefined)
      errors.push({ field: 'recurrence.type', message: 'Invalid field. Allowed values: 1, 2, 3.' });
    const max = MAX_INTERVAL[(r.type as 1 | 2 | 3) ?? 1] ?? 90;
    if (
      r.repeat_interval !== undefined &&
      (typeof r.repeat_interval !== 'number' || r.repeat_interval < 1 || r.repeat_interval > max)
    ) {
      errors.push({
        field: 'recurrence.repeat_interval',
        message: `Invalid field. The interval must be from 1 to ${max}.`,
      });
    }
    if (r.weekly_days !== undefined && !/^[1-7](,[1-7]){0,6}$/.test(String(r.weekly_days)))
      errors.push({
        field: 'recurrence.weekly_days',
        message: 'Invalid field. Days 1 (Sunday) to 7 (Saturday), comma-separated, e.g. "2,4".',
      });
    if (
      r.monthly_day !== undefined &&
      (typeof r.monthly_day !== 'number' || r.monthly_day < 1 || r.monthly_day > 31)
    )
      errors.push({
        field: 'recurrence.monthly_day',
        message: 'Invalid field. The day must be from 1 to 31.',
      });
    if (r.end_times !== undefined && r.end_date_time !== undefined)
      errors.push({
        field: 'recurrence.end_times',
        message: 'Invalid field. Use end_times or end_date_time, not both.',
      });
    if (typeof r.end_times === 'number' && r.end_times < 1)
      errors.push({ field: 'recurrence.end_times', message: 'Invalid field. The value must be at least 1.' });
  }
  return errors;
}

/** A type 8 meeting starts at its first occurrence; none at all is a bad recurrence. */
function alignToOccurrences(m: Meeting): void {
  if (m.type !== 8) return;
  const first = meetingStarts(m)[0];
  if (first === undefined) {
    throw zoomErrors.validation([
      { field: 'recurrence.end_date_time', message: 'Invalid field. The recurrence has no occurrence.' },
    ]);
  }
  m.startTime = first;
}

export interface OccurrenceView {
  occurrence_id: string;
  start_time: string;
  duration: number;
  status: 'available' | 'deleted';
}

/** The occurrences as Zoom lists them; past ones only when asked for. */
export function occurrencesOf(m: Meeting, now: number, withPrevious: boolean): OccurrenceView[] {
  const duration = m.duration ?? 60;
  return meetingStarts(m)
    .filter((t) => withPrevious || t + duration * 60_000 > now)
    .map((t) => ({
      occurrence_id: String(t),
      start_time: gmt(t),
      duration,
      status: m.deletedOccurrences.includes(String(t)) ? 'deleted' : 'available',
    }));
}

function validRecurrence(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: r.type, repeat_interval: r.repeat_interval ?? 1 };
  if (r.type === 2) out.weekly_days = r.weekly_days ?? '1';
  if (r.type === 3) {
    if (r.monthly_week !== undefined) {
      out.monthly_week = r.monthly_week;
      out.monthly_week_day = r.monthly_week_day ?? 1;
    } else out.monthly_day = r.monthly_day ?? 1;
  }
  if (typeof r.end_date_time === 'string') out.end_date_time = r.end_date_time;
  else out.end_times = r.end_times ?? 1;
  return out;
}

/** Users of type 4 (no Meetings Basic) and 99 (none) cannot host: Zoom's 3161. */
function requireMeetingCapability(host: User): void {
  if (host.type === 4 || host.type === 99)
    throw meetingErrors.noMeetingCapability(`user ${host.id} is of type ${host.type}`);
}

/**
 * `schedule_for`: the host the scheduler (`{userId}`) schedules for. The scheduler needs a privilege
 * from that user (Zoom's "scheduling privilege", control API `/users/{id}/privileges`) unless it is
 * the account's owner or an admin.
 */
async function scheduledHost(ctx: Ctx, scheduler: User, scheduleFor: string | undefined, type: number) {
  if (scheduleFor === undefined || scheduleFor === '') return scheduler;
  const id = scheduleFor.slice(0, 256);
  if (id === scheduler.id || id.toLowerCase() === scheduler.email) return scheduler;
  if (type === 1) throw meetingErrors.instantScheduleFor();
  const target = await ctx.store.users.findByIdOrEmail(id);
  if (!target || target.accountId !== scheduler.accountId)
    throw meetingErrors.cannotScheduleFor(id, 'no such user in this account');
  const isAdmin = scheduler.roleId === '0' || scheduler.roleId === '1';
  if (!isAdmin && (await ctx.store.privileges.between(target.id, scheduler.id)).length === 0) {
    throw meetingErrors.cannotScheduleFor(
      id,
      `${target.id} gave ${scheduler.id} no scheduling privilege and ${scheduler.id} is not an admin`,
    );
  }
  return target;
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
  const settings = mergeSettings(defaultSettings(), b.settings ?? {});

  let id = newMeetingId();
  while (await ctx.store.meetings.idTaken(id)) id = newMeetingId();
  const meeting: Meeting = {
    seq: 0,
    id,
    uuid: newUuid(),
    accountId: host.accountId,
    hostId: host.id,
    topic:
      b.topic ?? `${[host.firstName, host.lastName].filter(Boolean).join(' ') || host.email}'s Zoom Meeting`,
    type,
    status: 'waiting',
    startTime: startTime === null ? null : startTime,
    duration: type === 3 ? null : (b.duration ?? 60),
    timezone,
    agenda: b.agenda ?? '',
    password,
    h323Password: numericPassword(password),
    preSchedule: b.pre_schedule ?? false,
    settings,
    recurrence: (type === 3 || type === 8) && b.recurrence ? validRecurrence(b.recurrence) : null,
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
    await recordEvent(trx, ctx.clock, {
      accountId: host.accountId,
      event: 'meeting.created',
      operator: principal.user,
      payload: { object: eventObject(meeting, host) },
    });
  });
  return present(ctx, meeting, host);
}

/** The meeting as meeting.created / meeting.deleted events carry it. */
function eventObject(m: Meeting, host: User) {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: host.id,
    topic: m.topic,
    type: m.type,
    ...(m.startTime !== null ? { start_time: gmt(m.startTime) } : {}),
    ...(m.duration !== null ? { duration: m.duration } : {}),
    timezone: m.timezone,
  };
}

export interface GetMeetingQuery {
  occurrence_id?: string;
  show_previous_occurrences?: string;
}

export async function getMeeting(ctx: Ctx, caller: Caller, meetingId: string, query: GetMeetingQuery) {
  const errors: FieldError[] = [];
  const withPrevious = booleanQuery(query.show_previous_occurrences, 'show_previous_occurrences', errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  const occurrence =
    typeof query.occurrence_id === 'string' && query.occurrence_id !== ''
      ? findOccurrence(meeting, query.occurrence_id)
      : undefined;
  return present(ctx, meeting, host, {
    withPrevious: withPrevious === true,
    ...(occurrence ? { occurrence } : {}),
  });
}

export interface UpdateMeetingQuery {
  occurrence_id?: string;
}

export async function updateMeeting(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  body: unknown,
  query: UpdateMeetingQuery = {},
): Promise<void> {
  const { principal } = caller;
  const b = requireObject(body) as Writable;
  const errors: FieldError[] = [];
  if (query.occurrence_id !== undefined) {
    errors.push({
      field: 'occurrence_id',
      message: 'Zemu does not emulate updating a single occurrence: update the whole meeting.',
    });
  }
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  const type = b.type ?? meeting.type;
  if (errors.length === 0)
    errors.push(...ruleErrors(b, type, b.recurrence !== undefined || meeting.recurrence !== null));
  if (errors.length > 0) throw zoomErrors.validation(errors);

  const next: Meeting = { ...meeting };
  if (b.topic !== undefined) next.topic = b.topic;
  if (b.agenda !== undefined) next.agenda = b.agenda;
  if (b.timezone !== undefined && b.timezone !== '') next.timezone = b.timezone;
  if (b.pre_schedule !== undefined) next.preSchedule = b.pre_schedule;
  if (b.tracking_fields !== undefined) next.trackingFields = b.tracking_fields;
  if (b.password !== undefined && b.password !== '' && b.password !== meeting.password) {
    next.password = b.password;
    next.h323Password = numericPassword(b.password);
  }
  if (b.settings !== undefined) next.settings = mergeSettings(meeting.settings, b.settings);
  next.type = type;
  if (type === 3) {
    next.startTime = null;
    next.duration = null;
  } else {
    if (b.start_time !== undefined) {
      const t = parseStartTime(b.start_time, next.timezone);
      if (Number.isNaN(t)) throw zoomErrors.validation([{ field: 'start_time', message: 'Invalid field.' }]);
      next.startTime = t;
    } else if (next.startTime === null) next.startTime = ctx.clock.now();
    if (b.duration !== undefined) next.duration = b.duration;
    else if (next.duration === null) next.duration = 60;
  }
  if (type === 3 || type === 8) {
    if (b.recurrence !== undefined) next.recurrence = validRecurrence(b.recurrence);
  } else next.recurrence = null;

  alignToOccurrences(next);
  await ctx.quotas.requireMeetingWrite(host.id);

  const before = eventFields(meeting);
  const after = eventFields(next);
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const removed = Object.keys(before).filter((k) => !(k in after));
  await ctx.store.transaction(async (trx) => {
    // A DELETE that committed first leaves nothing to update: 3001, and no event.
    if (!(await trx.meetings.saveFields(next))) throw meetingErrors.notFound(meetingId);
    if (changed.length === 0 && removed.length === 0) return;
    await recordEvent(trx, ctx.clock, {
      accountId: meeting.accountId,
      event: 'meeting.updated',
      operator: principal.user,
      payload: {
        object: { id: meeting.id, uuid: meeting.uuid, ...pick(after, changed, before) },
        old_object: {
          id: meeting.id,
          uuid: meeting.uuid,
          ...pick(before, [...changed, ...removed], after),
        },
        time_stamp: ctx.clock.now(),
      },
    });
  });
}

/** The fields meeting.updated compares, in the event's shape. */
function eventFields(m: Meeting): Record<string, unknown> {
  return {
    topic: m.topic,
    type: m.type,
    ...(m.startTime !== null ? { start_time: gmt(m.startTime) } : {}),
    ...(m.duration !== null ? { duration: m.duration } : {}),
    timezone: m.timezone,
    agenda: m.agenda,
    password: m.password,
    pre_schedule: m.preSchedule,
    settings: m.settings,
    ...(m.recurrence ? { recurrence: m.recurrence } : {}),
    ...(m.trackingFields ? { tracking_fields: m.trackingFields } : {}),
  };
}

/** The `keys` of `source`; of `settings`, only the fields that differ from `other`'s. */
function pick(
  source: Record<string, unknown>,
  keys: string[],
  other: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (!(k in source)) continue;
    if (k === 'settings') {
      const mine = source.settings as Record<string, unknown>;
      const theirs = (other.settings ?? {}) as Record<string, unknown>;
      const diff: Record<string, unknown> = {};
      for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
        if (key in mine && JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])) diff[key] = mine[key];
      }
      out.settings = diff;
    } else out[k] = source[k];
  }
  return out;
}

export interface DeleteMeetingQuery {
  occurrence_id?: string;
  schedule_for_reminder?: string;
  cancel_meeting_reminder?: string;
}

export async function deleteMeeting(
  ctx: Ctx,
  caller: Caller,
  meetingId: string,
  query: DeleteMeetingQuery,
): Promise<void> {
  const { principal } = caller;
  const errors: FieldError[] = [];
  for (const flag of ['schedule_for_reminder', 'cancel_meeting_reminder'] as const) {
    booleanQuery(query[flag], flag, errors);
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { meeting, host } = await authorizeMeeting(ctx, caller, meetingId);
  if (isLive(meeting, ctx.clock.now())) throw meetingErrors.inProgress();
  if (typeof query.occurrence_id === 'string' && query.occurrence_id !== '') {
    // One occurrence of a type 8 meeting: it stays listed with status `deleted`.
    const occurrence = findOccurrence(meeting, query.occurrence_id);
    if (occurrence.status === 'deleted') throw meetingErrors.invalidOccurrence(query.occurrence_id);
    await ctx.store.transaction(async (trx) => {
      const current = await trx.meetings.lockById(meeting.id);
      if (!current) throw meetingErrors.notFound(meetingId);
      if (current.deletedOccurrences.includes(occurrence.occurrence_id))
        throw meetingErrors.invalidOccurrence(occurrence.occurrence_id);
      await trx.meetings.setDeletedOccurrences(meeting.id, [
        ...current.deletedOccurrences,
        occurrence.occurrence_id,
      ]);
      await recordEvent(trx, ctx.clock, {
        accountId: meeting.accountId,
        event: 'meeting.deleted',
        operator: principal.user,
        payload: {
          object: {
            ...eventObject(meeting, host),
            occurrences: [{ occurrence_id: occurrence.occurrence_id, start_time: occurrence.start_time }],
          },
        },
      });
    });
    return;
  }
  if (query.occurrence_id !== undefined && query.occurrence_id !== '')
    throw meetingErrors.invalidOccurrence(String(query.occurrence_id));
  await ctx.store.transaction(async (trx) => {
    // A concurrent delete of the same meeting: the second one finds nothing, like a later call would.
    if (!(await trx.meetings.delete(meeting.id))) throw meetingErrors.notFound(meetingId);
    await recordEvent(trx, ctx.clock, {
      accountId: meeting.accountId,
      event: 'meeting.deleted',
      operator: principal.user,
      payload: { object: eventObject(meeting, host) },
    });
  });
}

export interface ListMeetingsQuery {
  type?: string;
  page_size?: string;
  next_page_token?: string;
  page_number?: string;
  from?: string;
  to?: string;
}

const LIST_TYPES = ['scheduled', 'live', 'upcoming', 'upcoming_meetings', 'previous_meetings'] as const;
type ListType = (typeof LIST_TYPES)[number];
export const LIST_MEETINGS_MAX_PAGE_SIZE = 300;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Ends of a meeting for listing: a meeting without a fixed time never ends. */
function endsAt(m: Meeting): number {
  if (m.startTime === null) return Number.POSITIVE_INFINITY;
  if (m.type === 8) {
    const last = meetingStarts(m)
      .filter((t) => !m.deletedOccurrences.includes(String(t)))
      .at(-1);
    return (last ?? m.startTime) + (m.duration ?? 0) * 60_000;
  }
  if (m.recurrence && typeof m.recurrence.end_date_time === 'string')
    return Date.parse(m.recurrence.end_date_time);
  return m.startTime + (m.duration ?? 0) * 60_000;
}

function matches(m: Meeting, type: ListType, now: number): boolean {
  // Zoom lists scheduled meetings only: instant meetings (type 1) never appear.
  if (m.type === 1) return false;
  const live = isLive(m, now);
  switch (type) {
    case 'scheduled':
      return true;
    case 'live':
      return live;
    case 'upcoming':
    case 'upcoming_meetings':
      return live || endsAt(m) > now;
    case 'previous_meetings':
      return !live && endsAt(m) <= now;
  }
}

/**
 * GET /users/{userId}/meetings: a host's meetings by start time (meetings without a fixed time last),
 * filtered by `type` and the optional `from`/`to` dates; paged by a signed, expiring offset token.
 */
export async function listMeetings(ctx: Ctx, caller: Caller, userId: string, query: ListMeetingsQuery) {
  const errors: FieldError[] = [];
  const type = (query.type ?? 'scheduled') as ListType;
  if (typeof type !== 'string' || !LIST_TYPES.includes(type))
    errors.push({
      field: 'type',
      message: `Invalid field. Allowed values: ${LIST_TYPES.map((t) => `'${t}'`).join(', ')}.`,
    });
  const { pageSize, pageNumber } = pageParams(query, LIST_MEETINGS_MAX_PAGE_SIZE, errors);
  if (query.next_page_token !== undefined && typeof query.next_page_token !== 'string')
    errors.push({ field: 'next_page_token', message: 'Invalid field.' });
  for (const f of ['from', 'to'] as const) {
    const v = query[f];
    if (v !== undefined && (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(v))))
      errors.push({ field: f, message: 'Invalid field. Use yyyy-MM-dd.' });
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user: host } = await authorizeHost(ctx, caller, userId);
  requireMeetingCapability(host);

  const now = ctx.clock.now();
  const from = query.from ? Date.parse(query.from) : undefined;
  const to = query.to ? Date.parse(query.to) + 86_400_000 : undefined;
  const all = (await ctx.store.meetings.listByHost(host.id))
    .filter((m) => !isExpired(m, now) && matches(m, type, now))
    .filter(
      (m) =>
        (from === undefined || (m.startTime !== null && m.startTime >= from)) &&
        (to === undefined || (m.startTime !== null && m.startTime < to)),
    )
    .sort(
      (a, b) =>
        (a.startTime ?? Number.MAX_SAFE_INTEGER) - (b.startTime ?? Number.MAX_SAFE_INTEGER) || a.seq - b.seq,
    );
  const scope = `meetings:${host.id}:${type}:${query.from ?? ''}:${query.to ?? ''}:${pageSize}`;
  let page: number;
  let offset: number;
  if (query.next_page_token) {
    const check = decodeCursor(ctx.keys.pageToken, query.next_page_token, scope, now);
    if (!check.ok) throw zoomErrors.invalidPageToken(check.reason);
    page = check.cursor.page;
    offset = check.cursor.after;
  } else {
    page = pageNumber ?? 1;
    offset = (page - 1) * pageSize;
  }
  const total = all.length;
  const items = all.slice(offset, offset + pageSize);
  const more = offset + pageSize < total;
  const nextPageToken = more
    ? encodeCursor(ctx.keys.pageToken, {
        scope,
        after: offset + pageSize,
        page: page + 1,
        total,
        expires: now + PAGE_TOKEN_TTL_MS,
      })
    : '';
  return {
    next_page_token: nextPageToken,
    page_count: Math.ceil(total / pageSize),
    page_number: page,
    page_size: pageSize,
    total_records: total,
    meetings: items.map((m) => presentListedMeeting(m, joinUrl(ctx, m))),
  };
}
