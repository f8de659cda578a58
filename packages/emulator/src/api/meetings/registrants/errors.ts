/** Registrants refusals, with the Meeting API document's own texts (docs/compatibility.md). */
import { ZoomRefusal } from '../../../errors/zoom.js';

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
