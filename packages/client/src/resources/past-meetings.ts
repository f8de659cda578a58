/**
 * /v2/past_meetings/{meetingId}: ended meetings, typed from Zoom's 2023 Meeting API spec. `meetingId`
 * is a meeting ID (its latest ended instance) or an instance's uuid; a uuid that begins with `/` or
 * holds `//` is double-encoded here, as Zoom requires.
 */
import type { PageIterator } from '../pagination.js';
import type { CallOptions } from '../request.js';
import type { MeetingId } from './meetings.js';
import type {
  PastMeeting,
  PastMeetingInstances,
  PastMeetingParticipants,
  PastMeetingParticipantsQuery,
} from './past-meetings.types.js';
import { ZoomResource } from './resource.js';

export type * from './past-meetings.types.js';

/** One participant as listed by GET /past_meetings/{meetingId}/participants. */
export type PastMeetingParticipant = NonNullable<PastMeetingParticipants['participants']>[number];

/** A meeting ID or an instance uuid in a path, double-encoded when Zoom says it must be. */
export function instancePath(id: MeetingId): string {
  const text = String(id);
  const once = encodeURIComponent(text);
  return text.startsWith('/') || text.includes('//') ? encodeURIComponent(once) : once;
}

export class PastMeetingsResource extends ZoomResource {
  /** GET /past_meetings/{meetingId}: the ended instance's figures. */
  get(meetingId: MeetingId, options?: CallOptions): Promise<PastMeeting> {
    return this.call('GET', `/past_meetings/${instancePath(meetingId)}`, options);
  }

  /** GET /past_meetings/{meetingId}/instances: every ended instance of a meeting ID. */
  instances(meetingId: MeetingId, options?: CallOptions): Promise<PastMeetingInstances> {
    return this.call('GET', `/past_meetings/${instancePath(meetingId)}/instances`, options);
  }

  /** GET /past_meetings/{meetingId}/participants: one page. */
  participantsPage(
    meetingId: MeetingId,
    query?: PastMeetingParticipantsQuery,
    options?: CallOptions,
  ): Promise<PastMeetingParticipants> {
    return this.call('GET', `/past_meetings/${instancePath(meetingId)}/participants`, { ...options, query });
  }

  /** GET /past_meetings/{meetingId}/participants over every page (`.pages()` for whole pages). */
  participants(
    meetingId: MeetingId,
    query: Omit<PastMeetingParticipantsQuery, 'next_page_token'> = {},
    options?: CallOptions,
  ): PageIterator<PastMeetingParticipant, PastMeetingParticipants> {
    return this.paginate(
      query,
      (q) => this.participantsPage(meetingId, q, options),
      (page) => page.participants,
    );
  }
}
