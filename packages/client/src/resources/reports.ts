/**
 * /v2/report/...: meeting reports, typed from Zoom's 2023 Meeting API spec. Reports need a paid
 * account and `:admin` scopes; `meetingId` is a meeting ID or an instance uuid, as for past meetings.
 */
import type { PageIterator } from '../pagination.js';
import type { CallOptions } from '../request.js';
import type { MeetingId } from './meetings.js';
import { instancePath } from './past-meetings.js';
import type {
  ReportMeeting,
  ReportMeetingParticipants,
  ReportMeetingParticipantsQuery,
  ReportUserMeetings,
  ReportUserMeetingsQuery,
} from './reports.types.js';
import { userPath, ZoomResource } from './resource.js';

export type * from './reports.types.js';

/** One participant as listed by GET /report/meetings/{meetingId}/participants. */
export type ReportParticipant = NonNullable<ReportMeetingParticipants['participants']>[number];
/** One meeting as listed by GET /report/users/{userId}/meetings. */
export type ReportUserMeeting = NonNullable<ReportUserMeetings['meetings']>[number];

export class ReportsResource extends ZoomResource {
  /** GET /report/meetings/{meetingId}: an ended meeting's report. */
  meeting(meetingId: MeetingId, options?: CallOptions): Promise<ReportMeeting> {
    return this.call('GET', `/report/meetings/${instancePath(meetingId)}`, options);
  }

  /** GET /report/meetings/{meetingId}/participants: one page. */
  meetingParticipantsPage(
    meetingId: MeetingId,
    query?: ReportMeetingParticipantsQuery,
    options?: CallOptions,
  ): Promise<ReportMeetingParticipants> {
    return this.call('GET', `/report/meetings/${instancePath(meetingId)}/participants`, {
      ...options,
      query,
    });
  }

  /** GET /report/meetings/{meetingId}/participants over every page (`.pages()` for whole pages). */
  meetingParticipants(
    meetingId: MeetingId,
    query: Omit<ReportMeetingParticipantsQuery, 'next_page_token'> = {},
    options?: CallOptions,
  ): PageIterator<ReportParticipant, ReportMeetingParticipants> {
    return this.paginate(
      query,
      (q) => this.meetingParticipantsPage(meetingId, q, options),
      (page) => page.participants,
    );
  }

  /** GET /report/users/{userId}/meetings: one page of the user's meetings from `from` to `to` (yyyy-mm-dd). */
  userMeetingsPage(
    userId: string,
    query: ReportUserMeetingsQuery,
    options?: CallOptions,
  ): Promise<ReportUserMeetings> {
    return this.call('GET', `/report${userPath(userId)}/meetings`, { ...options, query });
  }

  /** GET /report/users/{userId}/meetings over every page (`.pages()` for whole pages). */
  userMeetings(
    userId: string,
    query: Omit<ReportUserMeetingsQuery, 'next_page_token'>,
    options?: CallOptions,
  ): PageIterator<ReportUserMeeting, ReportUserMeetings> {
    return this.paginate(
      query,
      (q) => this.userMeetingsPage(userId, q, options),
      (page) => page.meetings,
    );
  }
}
