/** Cloud Recording refusals, with the 2023 Meeting API document's texts. */
import { ZoomRefusal, zoomErrors } from '../../errors/zoom.js';

export const recordingErrors = {
  /** The document's 3301 for every Cloud Recording operation: no recording (or none in reach). */
  noRecording: (reason: string) =>
    new ZoomRefusal(404, 3301, 'There is no recording for this meeting.', undefined, reason),
  /** A download whose credential does not reach the recording (the document's code 200 text). */
  forbidden: (reason: string) =>
    new ZoomRefusal(403, 200, 'You do not have the right permission.', undefined, reason),
  userNotFound: (userId: string) =>
    new ZoomRefusal(404, 1001, `User ${userId.slice(0, 256)} not exist or not belong to this account.`),
  missingAction: () =>
    zoomErrors.validation([{ field: 'action', message: "Invalid field. Allowed values: 'recover'." }]),
  weakPassword: () =>
    zoomErrors.validation([
      {
        field: 'password',
        message: 'Invalid field. The password must mix letters and numbers.',
      },
    ]),
} as const;
