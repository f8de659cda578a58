/** Meetings refusals, with the Meetings spec's own texts. */
import { ZoomRefusal, zoomErrors } from '../../errors/zoom.js';

export const meetingErrors = {
  /** The Meetings spec's text for an unknown `{userId}` on /users/{userId}/meetings. */
  userNotFound: (userId: string) =>
    new ZoomRefusal(404, 1001, `User ${userId} not exist or not belong to this account.`),
  notFound: (meetingId: string | number, reason?: string) =>
    new ZoomRefusal(404, 3001, `Meeting ${meetingId} is not found or has expired.`, undefined, reason),
  /** Hosts whose user type has no meetings (4: unassigned without Meetings Basic, 99: none). */
  noMeetingCapability: (reason: string) =>
    new ZoomRefusal(
      400,
      3161,
      'Meeting hosting and scheduling capabilities are not allowed for your user account.',
      undefined,
      reason,
    ),
  inProgress: () =>
    new ZoomRefusal(400, 3002, 'Sorry, you cannot delete this meeting since it is in progress.'),
  instantScheduleFor: () =>
    new ZoomRefusal(
      400,
      3000,
      'Instant meetings do not support the schedule_for parameter; you cannot schedule an instant meeting for another user.',
    ),
  cannotScheduleFor: (who: string, reason: string) =>
    new ZoomRefusal(400, 3000, `You cannot schedule a meeting for ${who}.`, undefined, reason),
  /** The 2023 document's 3000 for PUT /meetings/{meetingId}/status: here, a meeting not in progress. */
  cannotAccess: (reason: string) =>
    new ZoomRefusal(400, 3000, 'Cannot access meeting info.', undefined, reason),
  invalidMeetingId: () =>
    zoomErrors.validation([
      { field: 'meetingId', message: 'Invalid field. The meeting ID must be a number.' },
    ]),
  invalidOccurrence: (id: string) =>
    new ZoomRefusal(400, 3000, 'Invalid occurrence_id.', undefined, `no occurrence ${id.slice(0, 32)}`),
} as const;

/** Registrants refusals (registrants/), with the Meeting API document's texts (docs/compatibility.md). */
export const registrantErrors = {
  /** GET list, GET one, PUT status on a meeting without registration: the document's code 300. */
  notRequired: (meetingId: string | number, reason: string) =>
    new ZoomRefusal(
      400,
      300,
      `This meeting has not set registration as required: ${meetingId}.`,
      undefined,
      reason,
    ),
  /** POST and DELETE on a meeting without registration: the document's 404. */
  notEnabled: (meetingId: string | number, reason: string) =>
    new ZoomRefusal(
      404,
      404,
      `Registration has not been enabled for this meeting: ${meetingId}.`,
      undefined,
      reason,
    ),
  notFound: (registrantId: string) =>
    new ZoomRefusal(404, 3000, `Registrant ${registrantId.slice(0, 64)} was not found.`),
  /** Zoom's 4,999 registrants per meeting. */
  full: () => new ZoomRefusal(400, 3043, 'Meeting has reached maximum attendee capacity.'),
} as const;
