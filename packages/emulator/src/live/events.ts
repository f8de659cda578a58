/**
 * The objects of meeting.started, meeting.ended, meeting.participant_joined and
 * meeting.participant_left, with the fields Zoom's documented payloads carry (docs/compatibility.md
 * lists them). Meeting ids are strings in these events, as Zoom documents them.
 */
import type { MeetingInstance, Participant } from '../store/models.js';
import { zoomTime } from '../time.js';

/** meeting.started's object; meeting.ended adds `end_time`. */
export function instanceObject(i: MeetingInstance) {
  return {
    id: String(i.meetingId),
    uuid: i.uuid,
    host_id: i.hostId,
    topic: i.topic,
    type: i.type,
    start_time: zoomTime(i.startTime),
    timezone: i.timezone,
    duration: i.duration ?? 0,
    ...(i.endTime !== null ? { end_time: zoomTime(i.endTime) } : {}),
  };
}

/** The `participant` of participant_joined (and, with leave_time and leave_reason, participant_left). */
function participantObject(p: Participant) {
  return {
    user_id: p.participantId,
    user_name: p.name,
    id: p.userId ?? '',
    participant_uuid: p.participantUuid,
    email: p.email,
    join_time: zoomTime(p.joinTime),
    participant_user_id: p.userId ?? '',
    ...(p.leaveTime !== null ? { leave_time: zoomTime(p.leaveTime), leave_reason: p.leaveReason ?? '' } : {}),
  };
}

/** The object of participant_joined and participant_left: the instance, without end_time, and who. */
export function participantEventObject(i: MeetingInstance, p: Participant) {
  const { end_time: _ended, ...meeting } = instanceObject(i);
  return { ...meeting, participant: participantObject(p) };
}
