/**
 * A registrant's own join link: `/j/{meetingId}?tk=...` (with the meeting's `pwd` when it has a
 * passcode). `tk` is the registrant id and an HMAC of the meeting and registrant under the
 * installation's key, so it cannot be made for anyone else; the join page checks it in constant time
 * and then looks the registrant up (approved, still registered).
 */
import { createHmac } from 'node:crypto';
import type { Ctx } from '../../../context.js';
import { constantTimeEqual } from '../../../crypto.js';
import type { Meeting, Registrant } from '../../../store/models.js';
import { encryptedPassword } from '../present.js';

function sign(key: Buffer, meetingId: number, registrantId: string): string {
  return createHmac('sha256', key).update(`registrant:${meetingId}:${registrantId}`).digest('base64url');
}

export function registrantToken(key: Buffer, meetingId: number, registrantId: string): string {
  return `${registrantId}.${sign(key, meetingId, registrantId)}`;
}

/** The registrant id a `tk` was made for, when it is genuine for this meeting; else undefined. */
export function registrantOfToken(key: Buffer, meetingId: number, tk: string): string | undefined {
  const dot = tk.indexOf('.');
  if (dot <= 0 || dot > 64) return undefined;
  const id = tk.slice(0, dot);
  return constantTimeEqual(tk.slice(dot + 1), sign(key, meetingId, id)) ? id : undefined;
}

export function registrantJoinUrl(ctx: Ctx, meeting: Meeting, registrant: Pick<Registrant, 'id'>): string {
  const tk = registrantToken(ctx.keys.registrantLink, meeting.id, registrant.id);
  const pwd = encryptedPassword(ctx.keys.pageToken, meeting);
  return `${ctx.publicUrl()}/j/${meeting.id}?tk=${tk}${pwd ? `&pwd=${pwd}` : ''}`;
}
