/** GET and PATCH /users/{userId}/settings: domain rules only (no HTTP, no SQL). */
import type { Ctx } from '../../context.js';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { authorizeUser } from '../../guard/target.js';
import { isObject, requireObject } from '../../http/input.js';
import { userErrors } from './errors.js';
import { emit } from './events.js';
import {
  changedSettings,
  DEFAULT_MEETING_SECURITY,
  DEFAULT_SETTINGS,
  deepMerge,
  presentSettings,
  type SettingsTree,
  validateSettingsPatch,
} from './settings.js';
import { checkLoginType, lockedUser } from './writes.js';

export interface SettingsQuery {
  login_type?: string;
  option?: string;
  custom_query_fields?: string;
}

const OPTIONS = ['meeting_authentication', 'recording_authentication', 'meeting_security'];

function checkQuery(query: SettingsQuery, errors: FieldError[]) {
  if (query.option !== undefined && !OPTIONS.includes(query.option))
    errors.push({ field: 'option', message: `Invalid field. Allowed values: ${OPTIONS.join(', ')}.` });
  checkLoginType(errors, query.login_type);
}

/** Only the leaves named in `fields` (comma-separated), groups without any dropped. */
function pick(tree: SettingsTree, fields: Set<string>): SettingsTree {
  const out: SettingsTree = {};
  for (const [group, values] of Object.entries(tree)) {
    const kept = Object.fromEntries(Object.entries(values).filter(([k]) => fields.has(k)));
    if (Object.keys(kept).length > 0) out[group] = kept;
  }
  return out;
}

/**
 * GET /users/{userId}/settings. Without `option`: schedule_meeting, in_meeting, email_notification,
 * recording, telephony, feature. `option=meeting_security`: that group alone. The authentication
 * options answer that no authentication profile is set (Zemu does not emulate them).
 */
export async function getUserSettings(ctx: Ctx, caller: Caller, userId: string, query: SettingsQuery) {
  const errors: FieldError[] = [];
  checkQuery(query, errors);
  if (
    query.custom_query_fields !== undefined &&
    !/^[a-z0-9_]+(,[a-z0-9_]+)*$/.test(query.custom_query_fields)
  )
    errors.push({ field: 'custom_query_fields', message: 'Invalid field.' });
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  if (query.option === 'meeting_authentication')
    return { meeting_authentication: false, authentication_options: [] };
  if (query.option === 'recording_authentication')
    return { recording_authentication: false, authentication_options: [] };
  const defaults = query.option === 'meeting_security' ? DEFAULT_MEETING_SECURITY : DEFAULT_SETTINGS;
  const settings = presentSettings(defaults, await ctx.store.userSettings.load(user.id));
  if (query.custom_query_fields) return pick(settings, new Set(query.custom_query_fields.split(',')));
  return settings;
}

/**
 * PATCH /users/{userId}/settings: 204. Known fields are deep-merged into what is stored; a known field
 * of the wrong type or value is 300 and nothing is written; unknown fields are ignored.
 */
export async function updateUserSettings(
  ctx: Ctx,
  caller: Caller,
  userId: string,
  query: SettingsQuery,
  input: unknown,
): Promise<void> {
  const { principal } = caller;
  const body = requireObject(input);
  const errors: FieldError[] = [];
  checkQuery(query, errors);
  if (query.option === 'meeting_authentication' || query.option === 'recording_authentication')
    errors.push({
      field: 'option',
      message: 'Invalid field. Zemu does not emulate authentication profiles; use meeting_security.',
    });
  const defaults = query.option === 'meeting_security' ? DEFAULT_MEETING_SECURITY : DEFAULT_SETTINGS;
  const accepted = validateSettingsPatch(body, defaults, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const { user } = await authorizeUser(ctx.store, caller, userId, ctx.clock.now());
  await ctx.store.transaction(async (trx) => {
    // The user's row locked first: concurrent PATCHes read, merge and write one after the other.
    await lockedUser(trx, user, userId);
    const stored = await trx.userSettings.load(user.id);
    const previous = presentSettings(defaults, stored);
    const changed = changedSettings(previous, accepted);
    // Nothing new (unknown fields only, or the values already set): no write and no event.
    if (Object.keys(changed).length === 0) return;
    const merged = deepMerge(stored, accepted);
    const feature = presentSettings(DEFAULT_SETTINGS, merged).feature as Record<string, unknown>;
    const before = presentSettings(DEFAULT_SETTINGS, stored).feature as Record<string, unknown>;
    const licensed = user.type === 2;
    // Zoom's feature rules (S23 codes).
    if (feature.large_meeting === true && !before.large_meeting && !licensed)
      throw userErrors.largeMeetingNeedsLicense();
    if (feature.webinar === true && !before.webinar && !licensed) throw userErrors.webinarNeedsLicense();
    if (feature.zoom_events === true && !before.zoom_events && !licensed)
      throw userErrors.zoomEventsNeedsLicense();
    if (feature.webinar === true && feature.zoom_events === true) {
      if (!before.webinar) throw userErrors.webinarWithZoomEvents();
      throw userErrors.zoomEventsWithWebinar();
    }
    await trx.userSettings.save(user.id, merged, ctx.clock.now());
    // Zoom's user.settings_updated: what the call changed, and what those fields were before.
    await emit(trx, ctx, principal, 'user.settings_updated', {
      object: { id: user.id, settings: changed },
      old_object: { id: user.id, settings: pickLike(previous, changed) },
    });
  });
}

/** The values of `source` at the keys (nested) that `shape` has. */
function pickLike(source: Record<string, unknown>, shape: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(shape)) {
    const from = source[k];
    out[k] =
      isObject(v) && from !== null && typeof from === 'object'
        ? pickLike(from as Record<string, unknown>, v)
        : (from ?? null);
  }
  return out;
}
