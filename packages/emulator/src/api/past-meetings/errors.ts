/** Past-meetings refusals, with the 2023 Meeting API document's own texts for each operation. */
import { ZoomRefusal, zoomErrors } from '../../errors/zoom.js';

/** Each operation's two documented 3001 texts: an unknown meeting, and one that has not ended. */
export interface NotFoundTexts {
  unknown: string;
  notEnded: string;
}

export const DETAILS_TEXTS: NotFoundTexts = {
  unknown: 'This meeting is not available or the meeting ID is invalid.',
  notEnded: 'The meeting ID is invalid or the meeting has not ended.',
};

export const PARTICIPANTS_TEXTS: NotFoundTexts = {
  unknown: 'This meeting is not available or ID is not valid.',
  notEnded: 'Meeting ID is invalid or not end.',
};

export const pastMeetingErrors = {
  notFound: (text: string, reason: string) => new ZoomRefusal(404, 3001, text, undefined, reason),
  /** GET /past_meetings/{id}/instances documents a bare 404 "Meeting not found." (code 3001 as elsewhere). */
  instancesNotFound: (reason: string) => new ZoomRefusal(404, 3001, 'Meeting not found.', undefined, reason),
  invalidMeetingId: () =>
    zoomErrors.validation([
      { field: 'meetingId', message: 'Invalid field. The meeting ID must be a number.' },
    ]),
  paidOnly: (accountId: string) =>
    new ZoomRefusal(
      400,
      200,
      `Only available for paid account: ${accountId}`,
      undefined,
      'the account is on the free plan',
    ),
  yearAgo: () => new ZoomRefusal(400, 12702, 'Can not access a meeting a year ago.'),
} as const;
