/**
 * The ended instance a past-meeting path names: a meeting ID (its latest ended instance) or an
 * instance's uuid. A uuid that begins with `/` or holds `//` must be double-encoded, as Zoom documents,
 * and is decoded a second time here. The meeting is settled first, so a meeting past its scheduled end
 * has ended. Shared by the past-meetings and reports resources, which answer with their own texts.
 */
import type { MeetingInstance, Participant, User } from '../store/models.js';
import { zoomTime } from '../time.js';
import { type LiveDeps, settle } from './engine.js';

/** Zoom's uuids: standard base64 of 16 bytes (24 characters); a little room for other shapes. */
const UUID = /^[A-Za-z0-9+/=_-]{8,64}$/;

/** The uuid the path names, decoded once more when it was double-encoded; undefined when malformed. */
function uuidOf(raw: string): string | undefined {
  let value = raw;
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  } else if (value.startsWith('/') || value.includes('//')) {
    // Zoom requires these double-encoded; a singly-encoded one does not reach the meeting.
    return undefined;
  }
  return UUID.test(value) ? value : undefined;
}

export type EndedLookup =
  | { ok: true; instance: MeetingInstance & { endTime: number } }
  | { ok: false; reason: 'unknown' | 'not_ended'; detail: string };

export async function findEndedInstance(deps: LiveDeps, raw: string): Promise<EndedLookup> {
  const { store } = deps;
  if (/^\d{1,19}$/.test(raw)) {
    const id = Number(raw);
    const meeting = await store.meetings.findById(id);
    if (meeting) await settle(deps, meeting);
    const instance = await store.instances.latestEnded(id);
    if (instance) return { ok: true, instance: instance as MeetingInstance & { endTime: number } };
    return meeting
      ? { ok: false, reason: 'not_ended', detail: 'the meeting has no ended instance' }
      : { ok: false, reason: 'unknown', detail: 'no such meeting' };
  }
  const uuid = uuidOf(raw);
  let instance = uuid === undefined ? undefined : await store.instances.findByUuid(uuid);
  if (!instance) {
    const detail = uuid === undefined ? 'not a meeting uuid (or not double-encoded)' : 'no such instance';
    return { ok: false, reason: 'unknown', detail };
  }
  if (instance.endTime === null) {
    const meeting = await store.meetings.findById(instance.meetingId);
    if (meeting) await settle(deps, meeting);
    instance = (await store.instances.findByUuid(instance.uuid)) as MeetingInstance;
    if (instance.endTime === null)
      return { ok: false, reason: 'not_ended', detail: 'the instance is still live' };
  }
  return { ok: true, instance: instance as MeetingInstance & { endTime: number } };
}

const minutes = (ms: number) => Math.ceil(ms / 60_000);

/**
 * What past meetings and reports both say of an ended instance, from what happened: the host as they
 * are now, durations in minutes rounded up, every join counted. Each resource adds its own fields.
 */
export function instanceFigures(
  i: MeetingInstance & { endTime: number },
  host: User | undefined,
  totals: { count: number; attendedMs: number },
) {
  return {
    uuid: i.uuid,
    id: i.meetingId,
    type: i.type,
    topic: i.topic,
    user_name: host ? [host.firstName, host.lastName].filter(Boolean).join(' ') || host.displayName : '',
    user_email: host?.email ?? '',
    start_time: zoomTime(i.startTime),
    end_time: zoomTime(i.endTime),
    duration: minutes(i.endTime - i.startTime),
    total_minutes: minutes(totals.attendedMs),
    participants_count: totals.count,
    dept: host?.dept ?? '',
  };
}

/**
 * One join of an ended instance's participant, as past meetings and reports both list it; `duration` in
 * seconds, up to the instance's end for someone who never left. Each resource adds its own fields.
 */
export function participantFigures(p: Participant, endTime: number) {
  const leave = p.leaveTime ?? endTime;
  return {
    id: p.userId ?? '',
    name: p.name,
    user_id: p.participantId,
    user_email: p.email,
    join_time: zoomTime(p.joinTime),
    leave_time: zoomTime(leave),
    duration: Math.floor((leave - p.joinTime) / 1000),
    failover: false,
    status: 'in_meeting',
  };
}
