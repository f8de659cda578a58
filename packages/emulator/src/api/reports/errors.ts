/** Reports refusals, with the 2023 Meeting API document's texts for the report operations. */
import { ZoomRefusal } from '../../errors/zoom.js';

export const reportErrors = {
  meetingNotFound: (meetingId: string, reason: string) =>
    new ZoomRefusal(
      404,
      3001,
      `Meeting ${meetingId.slice(0, 64)} not found or has expired.`,
      undefined,
      reason,
    ),
  userNotFound: (userId: string) =>
    new ZoomRefusal(404, 1001, `User ${userId.slice(0, 256)} not exist or not belong to this account.`),
  yearAgo: () => new ZoomRefusal(400, 12702, 'Can not access meeting a year ago.'),
  noPermission: (reason: string) => new ZoomRefusal(400, 200, 'No permission.', undefined, reason),
  paidOnly: (accountId: string) =>
    new ZoomRefusal(
      400,
      200,
      `This is only available for paid account:${accountId}.`,
      undefined,
      'the account is on the free plan',
    ),
} as const;
