/** The meeting object as Zoom answers it (2023 Meeting API spec, `meetingCreate` 201 / `meeting` 200). */
import { createHmac } from 'node:crypto';
import type { Ctx } from '../../context.js';
import { isLive } from '../../live/state.js';
import { defaultZakTtl } from '../../oauth/zak.js';
import type { Meeting, User } from '../../store/models.js';
import { type OccurrenceView, occurrencesOf } from './recurrence.js';
import { gmt } from './time.js';

/**
 * Zoom's values for a new meeting's settings: the spec's defaults where it names one, else what Zoom
 * answers for an account with default settings (the 201 example of the spec and observed responses).
 */
export function defaultSettings(): Record<string, unknown> {
  return {
    host_video: false,
    participant_video: false,
    cn_meeting: false,
    in_meeting: false,
    join_before_host: false,
    jbh_time: 0,
    mute_upon_entry: false,
    watermark: false,
    use_pmi: false,
    approval_type: 2,
    registration_type: 1,
    audio: 'both',
    auto_recording: 'none',
    enforce_login: false,
    enforce_login_domains: '',
    alternative_hosts: '',
    alternative_hosts_email_notification: true,
    alternative_host_update_polls: false,
    close_registration: false,
    show_share_button: false,
    allow_multiple_devices: false,
    registrants_confirmation_email: true,
    registrants_email_notification: true,
    waiting_room: false,
    meeting_authentication: false,
    authentication_option: '',
    authentication_domains: '',
    authentication_name: '',
    encryption_type: 'enhanced_encryption',
    approved_or_denied_countries_or_regions: { enable: false },
    breakout_room: { enable: false },
    language_interpretation: { enable: false },
    focus_mode: false,
    private_meeting: false,
    email_notification: true,
    host_save_video_order: false,
    contact_name: '',
    contact_email: '',
    global_dial_in_countries: ['US'],
    global_dial_in_numbers: [
      { country: 'US', country_name: 'US', city: 'New York', number: '+1 646 558 8656', type: 'toll' },
      { country: 'US', country_name: 'US', city: 'San Jose', number: '+1 669 900 6833', type: 'toll' },
    ],
  };
}

/** Settings the request may write (request schema) merged into the stored ones, objects one level deep. */
export function mergeSettings(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const before = merged[key];
    merged[key] =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof before === 'object' &&
      before !== null &&
      !Array.isArray(before)
        ? { ...before, ...value }
        : value;
  }
  // Request-only fields Zoom does not echo back.
  delete merged.meeting_invitees;
  return merged;
}

/** `encrypted_password`: the passcode as it travels in join links (`?pwd=`), stable per meeting. */
export function encryptedPassword(key: Buffer, meeting: Pick<Meeting, 'id' | 'password'>): string {
  if (!meeting.password) return '';
  return createHmac('sha256', key)
    .update(`meeting-pwd:${meeting.id}:${meeting.password}`)
    .digest('base64url')
    .slice(0, 32);
}

export interface PresentContext {
  hostEmail: string;
  /** The host's personal meeting ID, shown as `pmi` when the meeting uses it (`settings.use_pmi`). */
  hostPmi: number;
  startUrl: string;
  joinUrl: string;
  encryptedPassword: string;
}

/** Type 3 meetings have no fixed time: Zoom leaves `start_time` and `duration` out. */
function timing(m: Meeting): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.startTime !== null) out.start_time = gmt(m.startTime);
  if (m.duration !== null) out.duration = m.duration;
  return out;
}

export function presentMeeting(m: Meeting, c: PresentContext): Record<string, unknown> {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: m.hostId,
    host_email: c.hostEmail,
    topic: m.topic,
    type: m.type,
    status: m.status,
    ...timing(m),
    timezone: m.timezone,
    agenda: m.agenda,
    created_at: gmt(m.createdAt),
    start_url: c.startUrl,
    join_url: c.joinUrl,
    password: m.password,
    h323_password: m.h323Password,
    pstn_password: m.h323Password,
    encrypted_password: c.encryptedPassword,
    ...(m.recurrence ? { recurrence: m.recurrence } : {}),
    settings: m.settings,
    ...(m.settings.use_pmi === true ? { pmi: String(c.hostPmi) } : {}),
    pre_schedule: m.preSchedule,
    ...(m.trackingFields ? { tracking_fields: m.trackingFields } : {}),
  };
}

/** One meeting as GET /users/{userId}/meetings lists it. */
export function presentListedMeeting(m: Meeting, joinUrl: string): Record<string, unknown> {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: m.hostId,
    topic: m.topic,
    type: m.type,
    ...timing(m),
    timezone: m.timezone,
    // Lists truncate the agenda to 250 characters (the spec); GET /meetings/{id} has it whole.
    ...(m.agenda ? { agenda: m.agenda.slice(0, 250) } : {}),
    created_at: gmt(m.createdAt),
    join_url: joinUrl,
  };
}

export function joinUrl(ctx: Ctx, meeting: Meeting): string {
  const encrypted = encryptedPassword(ctx.keys.pageToken, meeting);
  return `${ctx.publicUrl()}/j/${meeting.id}${encrypted ? `?pwd=${encrypted}` : ''}`;
}

/**
 * The meeting as create and get answer it, on this Zemu's links: start_url carries a fresh ZAK for the
 * host (2 h; 90 days for custCreate hosts), status is the live state on the emulated clock, and a type
 * 8 meeting lists its occurrences (or is that one occurrence, when one is asked for).
 */
export async function meetingResponse(
  ctx: Ctx,
  meeting: Meeting,
  host: User,
  view: { withPrevious?: boolean; occurrence?: OccurrenceView } = {},
) {
  const zak = await ctx.zaks.issue(host, defaultZakTtl(host), 'zak');
  const body = presentMeeting(meeting, {
    hostEmail: host.email,
    hostPmi: host.pmi,
    startUrl: `${ctx.publicUrl()}/s/${meeting.id}?zak=${zak}`,
    joinUrl: joinUrl(ctx, meeting),
    encryptedPassword: encryptedPassword(ctx.keys.pageToken, meeting),
  });
  const now = ctx.clock.now();
  body.status = isLive(meeting, now) ? 'started' : 'waiting';
  if (meeting.type === 8) {
    body.occurrences = view.occurrence
      ? [view.occurrence]
      : occurrencesOf(meeting, now, view.withPrevious ?? false);
    if (view.occurrence) body.start_time = view.occurrence.start_time;
  }
  return body;
}
