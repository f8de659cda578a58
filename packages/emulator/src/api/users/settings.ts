/**
 * A user's settings (GET/PATCH /users/{userId}/settings): Zoom's defaults for a new Pro user, the field
 * names of the official 2025 Users spec, enums of the 2023 Meeting API spec. A user's stored settings
 * are only the values PATCH changed; GET shows the defaults overlaid with them. The defaults are
 * Zemu's choice where Zoom documents none (docs/compatibility.md, "Users writes").
 */
import type { FieldError } from '../../errors/zoom.js';
import { isObject } from '../../http/input.js';

type Json = boolean | number | string | Json[] | { [key: string]: Json };
export type SettingsTree = { [group: string]: { [field: string]: Json } };

const PASSWORD_REQUIREMENT = {
  consecutive_characters_length: 0,
  have_letter: false,
  have_number: false,
  have_special_character: false,
  have_upper_and_lower_characters: false,
  length: 6,
  only_allow_numeric: false,
  weak_enhance_detection: false,
};

/** The groups GET answers without `option`. */
export const DEFAULT_SETTINGS: SettingsTree = {
  schedule_meeting: {
    audio_type: 'both',
    default_password_for_scheduled_meetings: '',
    embed_password_in_join_link: true,
    force_pmi_jbh_password: false,
    host_video: false,
    join_before_host: false,
    meeting_password_requirement: { ...PASSWORD_REQUIREMENT },
    participants_video: false,
    personal_meeting: true,
    pmi_password: '',
    pstn_password_protected: true,
    require_password_for_instant_meetings: true,
    require_password_for_pmi_meetings: 'jbh_only',
    require_password_for_scheduled_meetings: true,
    require_password_for_scheduling_new_meetings: true,
    use_pmi_for_instant_meetings: false,
    use_pmi_for_scheduled_meetings: false,
    continuous_meeting_chat: {
      enable: true,
      can_add_external_users: false,
      auto_add_invited_external_users: false,
    },
  },
  in_meeting: {
    allow_live_streaming: false,
    allow_participants_chat_with: 1,
    allow_users_save_chats: 2,
    annotation: true,
    attendee_on_hold: false,
    auto_saving_chat: false,
    breakout_room: true,
    chat: true,
    closed_caption: true,
    co_host: true,
    custom_data_center_regions: false,
    data_center_regions: [],
    disable_screen_sharing_for_host_meetings: false,
    disable_screen_sharing_for_in_meeting_guests: false,
    e2e_encryption: false,
    entry_exit_chime: 'none',
    far_end_camera_control: false,
    feedback: false,
    file_transfer: true,
    group_hd: true,
    join_from_desktop: true,
    join_from_mobile: true,
    meeting_reactions: true,
    meeting_survey: false,
    non_verbal_feedback: true,
    polling: true,
    post_meeting_feedback: false,
    private_chat: true,
    record_play_voice: false,
    remote_control: true,
    remote_support: false,
    request_permission_to_unmute_participants: false,
    screen_sharing: true,
    share_dual_camera: false,
    show_a_join_from_your_browser_link: true,
    show_meeting_control_toolbar: false,
    slide_control: false,
    virtual_background: true,
    waiting_room: true,
    whiteboard: true,
    who_can_share_screen: 'host',
    who_can_share_screen_when_someone_is_sharing: 'host',
    participants_share_simultaneously: 'one',
    workplace_by_facebook: false,
    transfer_meetings_between_devices: true,
  },
  email_notification: {
    alternative_host_reminder: true,
    cancel_meeting_reminder: true,
    cloud_recording_available_reminder: true,
    jbh_reminder: true,
    recording_available_reminder_alternative_hosts: false,
    recording_available_reminder_schedulers: true,
    schedule_for_reminder: true,
  },
  recording: {
    ask_host_to_confirm_disclaimer: false,
    ask_participants_to_consent_disclaimer: true,
    auto_delete_cmr: false,
    auto_delete_cmr_days: 30,
    auto_recording: 'none',
    cloud_recording: true,
    display_participant_name: true,
    host_pause_stop_recording: true,
    local_recording: true,
    record_audio_file: true,
    record_gallery_view: true,
    record_speaker_view: true,
    recording_audio_transcript: false,
    recording_disclaimer: false,
    recording_thumbnails: true,
    save_chat_text: true,
    save_close_caption: false,
    save_panelist_chat: true,
    save_poll_results: true,
    show_timestamp: false,
  },
  telephony: {
    audio_conference_info: '',
    show_international_numbers_link: true,
    third_party_audio: false,
    telephony_regions: { allowed_values: ['US'], selection_values: 'US' },
  },
  feature: {
    cn_meeting: false,
    concurrent_meeting: 'None',
    in_meeting: false,
    large_meeting: false,
    meeting_capacity: 100,
    webinar: false,
    zoom_events: false,
    zoom_phone: false,
    zoom_whiteboard: true,
    zoom_docs: true,
    zoom_clips_plus: false,
  },
};

/** `option=meeting_security`: the Meeting/Webinar security group, answered on its own. */
export const DEFAULT_MEETING_SECURITY: SettingsTree = {
  meeting_security: {
    auto_security: true,
    block_user_domain: false,
    block_user_domain_list: [],
    embed_password_in_join_link: true,
    encryption_type: 'enhanced_encryption',
    end_to_end_encrypted_meetings: false,
    meeting_password: true,
    meeting_password_requirement: { ...PASSWORD_REQUIREMENT },
    only_authenticated_can_join_from_webclient: false,
    phone_password: true,
    pmi_password: false,
    require_password_for_scheduled_meeting: true,
    require_password_for_scheduled_webinar: true,
    waiting_room: true,
    waiting_room_settings: {
      participants_to_place_in_waiting_room: 0,
      users_who_can_admit_participants_from_waiting_room: 0,
      whitelisted_domains_for_waiting_room: '',
    },
    webinar_password: false,
  },
};

/** Allowed values of the enumerated fields (2023 Meeting API spec), by `group.field[.sub]`. */
const ENUMS: Record<string, readonly Json[]> = {
  'schedule_meeting.audio_type': ['both', 'telephony', 'voip', 'thirdParty'],
  'schedule_meeting.require_password_for_pmi_meetings': ['jbh_only', 'all', 'none'],
  'schedule_meeting.meeting_password_requirement.consecutive_characters_length': [0, 4, 5, 6, 7, 8],
  'in_meeting.allow_participants_chat_with': [1, 2, 3, 4],
  'in_meeting.allow_users_save_chats': [1, 2, 3],
  'in_meeting.entry_exit_chime': ['host', 'all', 'none'],
  'in_meeting.who_can_share_screen': ['host', 'all'],
  'in_meeting.who_can_share_screen_when_someone_is_sharing': ['host', 'all'],
  'in_meeting.participants_share_simultaneously': ['multiple', 'one'],
  'recording.auto_delete_cmr_days': [30, 60, 90, 120],
  'recording.auto_recording': ['local', 'cloud', 'none'],
  'feature.concurrent_meeting': ['Basic', 'Plus', 'None'],
  'meeting_security.encryption_type': ['enhanced_encryption', 'e2ee'],
  'meeting_security.meeting_password_requirement.consecutive_characters_length': [0, 4, 5, 6, 7, 8],
  'meeting_security.waiting_room_settings.participants_to_place_in_waiting_room': [0, 1, 2],
  'meeting_security.waiting_room_settings.users_who_can_admit_participants_from_waiting_room': [0, 1],
};

/** Numeric ranges where the spec gives one. */
const RANGES: Record<string, [number, number]> = {
  'schedule_meeting.meeting_password_requirement.length': [6, 10],
  'meeting_security.meeting_password_requirement.length': [6, 10],
  'feature.meeting_capacity': [1, 1000],
};

function kind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * Checks a PATCH body against the defaults' shape: known fields must have the default's type (and an
 * allowed value); unknown fields are ignored as Zoom ignores them. Returns the known part, to merge.
 */
export function validateSettingsPatch(
  body: Record<string, unknown>,
  defaults: SettingsTree,
  errors: FieldError[],
): SettingsTree {
  const accepted: SettingsTree = {};
  const walk = (
    value: Record<string, unknown>,
    shape: Record<string, Json>,
    path: string,
    out: Record<string, Json>,
  ) => {
    for (const [key, v] of Object.entries(value)) {
      // Own properties only: `constructor`, `toString`, ... are unknown fields, ignored like any other.
      if (!Object.hasOwn(shape, key)) continue;
      const expected = shape[key] as Json;
      const field = `${path}.${key}`;
      if (isObject(expected)) {
        if (!isObject(v)) {
          errors.push({ field, message: 'Invalid field. Expected an object.' });
          continue;
        }
        const sub: Record<string, Json> = {};
        walk(v, expected as Record<string, Json>, field, sub);
        out[key] = sub;
        continue;
      }
      const want = kind(expected);
      const got = kind(v);
      if (want === 'array') {
        if (got !== 'array' || !(v as unknown[]).every((x) => typeof x === 'string')) {
          errors.push({ field, message: 'Invalid field. Expected an array of strings.' });
          continue;
        }
      } else if (want === 'integer' ? got !== 'integer' : got !== want) {
        errors.push({
          field,
          message: `Invalid field. Expected ${want === 'integer' ? 'an integer' : `a ${want}`}.`,
        });
        continue;
      }
      const allowed = ENUMS[field];
      if (allowed && !allowed.includes(v as Json)) {
        errors.push({
          field,
          message: `Invalid field. Allowed values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`,
        });
        continue;
      }
      const range = RANGES[field];
      if (range && ((v as number) < range[0] || (v as number) > range[1])) {
        errors.push({ field, message: `Invalid field. Must be from ${range[0]} to ${range[1]}.` });
        continue;
      }
      if (typeof v === 'string' && v.length > 2048) {
        errors.push({ field, message: 'Invalid field. At most 2048 characters.' });
        continue;
      }
      out[key] = v as Json;
    }
  };
  for (const [group, value] of Object.entries(body)) {
    const shape = Object.hasOwn(defaults, group) ? defaults[group] : undefined;
    if (!shape) continue;
    if (!isObject(value)) {
      errors.push({ field: group, message: 'Invalid field. Expected an object.' });
      continue;
    }
    const out: Record<string, Json> = {};
    walk(value, shape, group, out);
    accepted[group] = out;
  }
  return accepted;
}

/** `base` with `over` laid on it, objects merged key by key, everything else replaced. */
export function deepMerge<T extends Record<string, unknown>>(base: T, over: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, v] of Object.entries(over)) {
    const b = out[key];
    out[key] = isObject(b) && isObject(v) ? deepMerge(b, v) : v;
  }
  return out as T;
}

/** The settings GET shows: defaults overlaid with the stored overrides, only the defaults' groups. */
export function presentSettings(defaults: SettingsTree, stored: Record<string, unknown>): SettingsTree {
  const out: SettingsTree = {};
  for (const group of Object.keys(defaults)) {
    const over = stored[group];
    out[group] = isObject(over)
      ? deepMerge(defaults[group] as Record<string, Json>, over)
      : structuredClone(defaults[group] as Record<string, Json>);
  }
  return out;
}

/** The leaves of `patch` whose value differs from `current`, as `{group: {field: value}}`. */
export function changedSettings(current: SettingsTree, patch: SettingsTree): SettingsTree {
  const diff = (cur: Record<string, unknown>, p: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(p)) {
      const c = cur[key];
      if (isObject(v) && isObject(c)) {
        const sub = diff(c, v);
        if (Object.keys(sub).length > 0) out[key] = sub;
      } else if (JSON.stringify(c) !== JSON.stringify(v)) out[key] = v;
    }
    return out;
  };
  return diff(current, patch) as SettingsTree;
}
