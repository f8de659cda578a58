/**
 * The meeting lifecycle on the emulated clock: a meeting starts (its host joins, or anyone when
 * join-before-host is on), people join and leave, and it ends (through PUT /meetings/{id}/status,
 * when its last participant leaves, or at its scheduled end). Each start opens an instance under the
 * meeting's current uuid; each end closes it, everyone still in leaves at that moment, and the meeting
 * gets a new uuid for its next instance, as Zoom's do. Every change records its webhook events in its
 * own transaction.
 *
 * An instance that ends at its scheduled end is closed by the sweeper (`sweeper.ts`, on every clock
 * change and every 10 s), or before that by the first operation that touches the meeting afterwards
 * (`settle`), at exactly that end time: its figures are the same as if it had been closed on time;
 * only the events' `event_ts` is the moment it was closed.
 */
import type { Clock } from '../clock.js';
import { meetingUuid, zoomId } from '../ids.js';
import { produceRecording, recordsToCloud } from '../recordings/produce.js';
import type { Meeting, MeetingInstance, Participant } from '../store/models.js';
import type { Store } from '../store/store.js';
import { recordEvent, type ZoomEventName } from '../webhooks/emit.js';
import { instanceObject, participantEventObject } from './events.js';
import { isLive, isOverdue, scheduledEnd } from './state.js';

export interface LiveDeps {
  store: Store;
  clock: Clock;
  /** Where Zemu is reached: the origin of a recording's download URLs. */
  publicUrl(): string;
}

/** Someone joining: a signed-in user (`userId`) or a guest. */
export interface Person {
  name: string;
  email: string;
  userId: string | null;
}

/** Zoom's leave_reason texts (docs/compatibility.md). */
export const LEAVE_REASONS = {
  left: 'left the meeting. Reason : left the meeting',
  ended: 'left the meeting. Reason : Host ended the meeting',
  timeUp: 'left the meeting. Reason : the meeting ended at its scheduled end',
} as const;

/** Zoom's participant ids count up in steps of 1024 from 16778240 within an instance. */
const participantId = (n: number) => String(16_778_240 + 1024 * n);

async function event(
  trx: Store,
  clock: Clock,
  accountId: string,
  name: ZoomEventName,
  object: Record<string, unknown>,
) {
  await recordEvent(trx, clock, { accountId, event: name, payload: { object } });
}

/** The instance row of `m`'s run that started at `startTime`, under the meeting's current uuid. */
function openInstance(trx: Store, m: Meeting, startTime: number): Promise<MeetingInstance> {
  return trx.instances.insert({
    uuid: m.uuid,
    meetingId: m.id,
    accountId: m.accountId,
    hostId: m.hostId,
    topic: m.topic,
    type: m.type,
    timezone: m.timezone,
    duration: m.duration,
    startTime,
  });
}

/** Opens an instance of `m` under its current uuid, now. */
async function begin(trx: Store, clock: Clock, m: Meeting, now: number): Promise<MeetingInstance> {
  await trx.meetings.markStarted(m.id, now);
  const instance = await openInstance(trx, m, now);
  await event(trx, clock, m.accountId, 'meeting.started', instanceObject(instance));
  return instance;
}

/**
 * Closes the live instance of `m` at `at`: everyone still in leaves (participant_left each), then
 * meeting.ended, and the meeting waits under a new uuid. A meeting started before instances were
 * kept (no instance row) gets its instance now, from its last start. A meeting that records to the
 * cloud gets the instance's recording and recording.completed after meeting.ended.
 */
async function finish(
  trx: Store,
  deps: LiveDeps,
  m: Meeting,
  at: number,
  reason: string,
): Promise<MeetingInstance> {
  const { clock } = deps;
  let instance = await trx.instances.liveOf(m.id);
  if (!instance) {
    instance = await openInstance(trx, m, m.startedAt ?? at);
  }
  for (const p of await trx.instances.present(instance.uuid)) {
    await trx.instances.leave(p.seq, at, reason);
    await event(
      trx,
      clock,
      m.accountId,
      'meeting.participant_left',
      participantEventObject(instance, {
        ...p,
        leaveTime: at,
        leaveReason: reason,
      }),
    );
  }
  await trx.instances.end(instance.uuid, at);
  const ended = { ...instance, endTime: at };
  await event(trx, clock, m.accountId, 'meeting.ended', instanceObject(ended));
  if (await recordsToCloud(trx, m)) await produceRecording(trx, deps, m, ended);
  await trx.meetings.markEnded(m.id, nextUuid(m.uuid));
  return ended;
}

function nextUuid(previous: string): string {
  let uuid = meetingUuid();
  while (uuid === previous) uuid = meetingUuid();
  return uuid;
}

/**
 * Inside a transaction: the meeting locked and, if its scheduled end has passed while it was live,
 * with that instance closed at that end. Undefined when the meeting is gone.
 */
async function lockSettled(
  trx: Store,
  deps: LiveDeps,
  meetingId: number,
  now: number,
): Promise<Meeting | undefined> {
  const m = await trx.meetings.lockById(meetingId);
  if (!m || !isOverdue(m, now)) return m;
  await finish(trx, deps, m, scheduledEnd(m), LEAVE_REASONS.timeUp);
  return trx.meetings.lockById(meetingId);
}

/**
 * Closes the meeting's instance if its scheduled end has passed, before anything reads or changes
 * the meeting: the meeting as it is then (undefined when it is gone).
 */
export async function settle(deps: LiveDeps, meeting: Meeting): Promise<Meeting | undefined> {
  const now = deps.clock.now();
  if (!isOverdue(meeting, now)) return meeting;
  return deps.store.transaction((trx) => lockSettled(trx, deps, meeting.id, now));
}

/**
 * Closes the meeting's instance at its scheduled end if that has passed (the sweeper): true when this
 * call closed it. Under the meeting's row lock, so several processes sweeping at once close it once.
 */
export async function settleOverdue(deps: LiveDeps, meetingId: number): Promise<boolean> {
  return deps.store.transaction(async (trx) => {
    const now = deps.clock.now();
    const m = await trx.meetings.lockById(meetingId);
    if (!m || !isOverdue(m, now)) return false;
    await finish(trx, deps, m, scheduledEnd(m), LEAVE_REASONS.timeUp);
    return true;
  });
}

export type JoinResult =
  | { ok: true; participant: Participant; instance: MeetingInstance; joined: boolean }
  | { ok: false; reason: 'gone' | 'not_started' };

/**
 * `person` joins the meeting now. The host's joining starts a meeting that is not live; anyone's does
 * when the meeting allows join-before-host; otherwise the person waits for the host (`not_started`).
 * A signed-in user already in the meeting is not added twice (`joined: false`).
 */
export async function join(deps: LiveDeps, meetingId: number, person: Person): Promise<JoinResult> {
  const { clock } = deps;
  return deps.store.transaction(async (trx) => {
    const now = clock.now();
    const m = await lockSettled(trx, deps, meetingId, now);
    if (!m) return { ok: false, reason: 'gone' } as const;
    const isHost = person.userId !== null && person.userId === m.hostId;
    let instance = isLive(m, now) ? await trx.instances.liveOf(m.id) : undefined;
    if (!instance) {
      if (!isHost && m.settings.join_before_host !== true)
        return { ok: false, reason: 'not_started' } as const;
      instance = await begin(trx, clock, m, now);
    }
    if (person.userId !== null) {
      const already = (await trx.instances.present(instance.uuid)).find((p) => p.userId === person.userId);
      if (already) return { ok: true, participant: already, instance, joined: false } as const;
    }
    const participant = await trx.instances.addParticipant({
      instanceUuid: instance.uuid,
      meetingId: m.id,
      participantId: participantId(await trx.instances.joinCount(instance.uuid)),
      participantUuid: zoomId(),
      userId: person.userId,
      name: person.name,
      email: person.email,
      isHost,
      joinTime: now,
    });
    await event(
      trx,
      clock,
      m.accountId,
      'meeting.participant_joined',
      participantEventObject(instance, participant),
    );
    return { ok: true, participant, instance, joined: true } as const;
  });
}

export type LeaveResult =
  | { ok: true; participant: Participant; ended: boolean }
  | { ok: false; reason: 'gone' | 'not_live' | 'no_participant' };

/** The participant leaves now; the meeting ends when its last participant has left. */
export async function leave(deps: LiveDeps, meetingId: number, participantId: string): Promise<LeaveResult> {
  const { clock } = deps;
  return deps.store.transaction(async (trx) => {
    const now = clock.now();
    const m = await lockSettled(trx, deps, meetingId, now);
    if (!m) return { ok: false, reason: 'gone' } as const;
    const instance = isLive(m, now) ? await trx.instances.liveOf(m.id) : undefined;
    if (!instance) return { ok: false, reason: 'not_live' } as const;
    const p = await trx.instances.findParticipant(instance.uuid, participantId);
    if (!p || p.leaveTime !== null) return { ok: false, reason: 'no_participant' } as const;
    await trx.instances.leave(p.seq, now, LEAVE_REASONS.left);
    const left = { ...p, leaveTime: now, leaveReason: LEAVE_REASONS.left };
    await event(trx, clock, m.accountId, 'meeting.participant_left', participantEventObject(instance, left));
    const ended = (await trx.instances.present(instance.uuid)).length === 0;
    if (ended) await finish(trx, deps, m, now, LEAVE_REASONS.left);
    return { ok: true, participant: left, ended } as const;
  });
}

export type EndResult = { ok: true; instance: MeetingInstance } | { ok: false; reason: 'gone' | 'not_live' };

/** Ends the live meeting now (PUT /meetings/{id}/status `end`). */
export async function end(deps: LiveDeps, meetingId: number): Promise<EndResult> {
  const { clock } = deps;
  return deps.store.transaction(async (trx) => {
    const now = clock.now();
    const m = await lockSettled(trx, deps, meetingId, now);
    if (!m) return { ok: false, reason: 'gone' } as const;
    if (!isLive(m, now)) return { ok: false, reason: 'not_live' } as const;
    return { ok: true, instance: await finish(trx, deps, m, now, LEAVE_REASONS.ended) } as const;
  });
}
