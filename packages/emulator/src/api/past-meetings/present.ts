/** Past meetings as Zoom answers them (2023 Meeting API document, pastMeetingDetails and friends). */
import type { MeetingInstance, Participant, User } from '../../store/models.js';
import { zoomTime } from '../../time.js';

const minutes = (ms: number) => Math.ceil(ms / 60_000);

export function presentPastMeeting(
  i: MeetingInstance & { endTime: number },
  host: User | undefined,
  totals: { count: number; attendedMs: number },
) {
  return {
    uuid: i.uuid,
    id: i.meetingId,
    host_id: i.hostId,
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
    source: 'Zoom',
  };
}

export function presentInstance(i: MeetingInstance) {
  return { uuid: i.uuid, start_time: zoomTime(i.startTime) };
}

/** One join of a past meeting's participant; `duration` in seconds. */
export function presentParticipant(p: Participant, endTime: number) {
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
