/** Users refusals beyond the shared ones of errors/zoom.ts: Zoom's codes for its Users rules (S23). */
import { ZoomRefusal } from '../../errors/zoom.js';

export const userErrors = {
  /** POST /users action=create for the holder of an account elsewhere (S23). */
  alreadyHoldsAccount: (email: string) =>
    new ZoomRefusal(400, 1009, `The user ${email} already holds an active account.`),
  /** DELETE /users/{userId}: admins cannot be disassociated (S23). */
  cannotDisassociateAdmin: () => new ZoomRefusal(400, 1117, 'You can not disassociate an Admin user.'),
  /** PUT /users/{userId}/password on an owner or admin by someone else (S23). */
  cannotUpdateAdminPassword: () => new ZoomRefusal(400, 1117, "Can not update Admin's password"),
  /** PUT /users/{userId}/password for a user who does not sign in with a Zoom work email (S23). */
  notWorkEmailAccount: () =>
    new ZoomRefusal(400, 1123, 'Can only update password of Zoom work email account'),
  /** The account's password rules (S23 codes 1124-1131). */
  passwordRule: (code: 1124 | 1125 | 1126 | 1130 | 1131, message: string) =>
    new ZoomRefusal(400, code, message),
  /** PUT /users/{userId}/email by an admin on another admin (S23). */
  adminEmailChange: () => new ZoomRefusal(400, 1000, "Admin can not change other admin's email."),
  /** PATCH /users/{userId} with a vanity name another user holds (contract §3: 4100; text Zemu's). */
  vanityNameTaken: (name: string) =>
    new ZoomRefusal(400, 4100, `The personal meeting room name ${name} is already in use.`),
  /** PATCH /users/{userId} with a group_id that does not exist (S23/contract §3). */
  groupNotFound: (groupId: string) => new ZoomRefusal(404, 4130, `Group does not exist: ${groupId}`),
  /** PATCH /users/{userId}/settings: features only a licensed user may have (S23 codes). */
  largeMeetingNeedsLicense: () =>
    new ZoomRefusal(400, 1108, 'Only Licensed or On-prem users can enable the large meeting feature.'),
  webinarNeedsLicense: () =>
    new ZoomRefusal(400, 1122, 'Webinar feature can only be enabled for Licensed or On-prem users.'),
  zoomEventsNeedsLicense: () =>
    new ZoomRefusal(400, 1206, 'You can only enable the Zoom Events feature for Licensed or On-prem users.'),
  webinarWithZoomEvents: () =>
    new ZoomRefusal(
      400,
      1204,
      "You can't enable the Webinar feature because you already have the Zoom Events feature.",
    ),
  zoomEventsWithWebinar: () =>
    new ZoomRefusal(
      400,
      1205,
      "You can't enable the Zoom Events feature because you already have the Webinar feature.",
    ),
} as const;
