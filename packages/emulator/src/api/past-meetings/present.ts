/** Past meetings as Zoom answers them (2023 Meeting API document, pastMeetingDetails and friends). */
import { instanceFigures, participantFigures } from '../../live/past.js';
import type { MeetingInstance, User } from '../../store/models.js';
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
export const presentParticipant = participantFigures;
