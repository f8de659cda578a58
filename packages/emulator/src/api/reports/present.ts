/** Reports as Zoom answers them (2023 Meeting API document, reportMeetingDetails and friends). */
import type { MeetingInstance, Participant, User } from '../../store/models.js';
import { zoomTime } from '../../time.js';

const minutes = (ms: number) => Math.ceil(ms / 60_000);

export function presentReportMeeting(
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

/** One meeting of GET /report/users/{userId}/meetings. */
export function presentReportListed(
  i: MeetingInstance & { endTime: number },
  host: User | undefined,
  totals: { count: number; attendedMs: number },
) {
  return {
    ...presentReportMeeting(i, host, totals),
    host_id: i.hostId,
    source: 'Zoom',
    has_screen_share: false,
    has_recording: false,
    has_chat: false,
  };
}

export function presentReportParticipant(p: Participant, endTime: number, withRegistrant: boolean) {
  const leave = p.leaveTime ?? endTime;
  return {
    id: p.userId ?? '',
    user_id: p.participantId,
    name: p.name,
    user_email: p.email,
    join_time: zoomTime(p.joinTime),
    leave_time: zoomTime(leave),
    duration: Math.floor((leave - p.joinTime) / 1000),
    failover: false,
    status: 'in_meeting',
    customer_key: '',
    participant_user_id: p.userId ?? '',
    ...(withRegistrant ? { registrant_id: '' } : {}),
  };
}
