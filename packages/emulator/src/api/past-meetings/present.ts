/** Past meetings as Zoom answers them (2023 Meeting API document, pastMeetingDetails and friends). */
import { instanceFigures, joinFigures } from '../../live/past.js';
import type { MeetingInstance, Participant, User } from '../../store/models.js';
import { zoomTime } from '../../time.js';

export function presentPastMeeting(
  i: MeetingInstance & { endTime: number },
  host: User | undefined,
  totals: { count: number; attendedMs: number },
) {
  return { ...instanceFigures(i, host, totals), host_id: i.hostId, source: 'Zoom' };
}

export function presentInstance(i: MeetingInstance) {
  return { uuid: i.uuid, start_time: zoomTime(i.startTime) };
}

/** One join of a past meeting's participant; `duration` in seconds. */
export function presentParticipant(p: Participant, endTime: number) {
  return {
    id: p.userId ?? '',
    name: p.name,
    user_id: p.participantId,
    user_email: p.email,
    ...joinFigures(p, endTime),
    failover: false,
    status: 'in_meeting',
  };
}
