/** Reports as Zoom answers them (2023 Meeting API document, reportMeetingDetails and friends). */

import { instanceFigures, participantFigures } from '../../live/past.js';
import type { MeetingInstance, Participant, User } from '../../store/models.js';

export function presentReportMeeting(
  i: MeetingInstance & { endTime: number },
  host: User | undefined,
  totals: { count: number; attendedMs: number },
) {
  return instanceFigures(i, host, totals);
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
  return {
    ...participantFigures(p, endTime),
    customer_key: '',
    participant_user_id: p.userId ?? '',
    ...(withRegistrant ? { registrant_id: '' } : {}),
  };
}
