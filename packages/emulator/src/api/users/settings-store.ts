/** The `user_settings` table of migration 0009: a user's settings overrides as JSON. */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Store } from '../../store/store.js';

interface UserSettingsTable {
  user_id: string;
  settings: string;
  updated_at: number;
}
type SettingsDb = Database & { user_settings: UserSettingsTable };

const db = (store: Store) => store.db as unknown as Kysely<SettingsDb>;

/** The user's stored overrides, `{}` when it has none. */
export async function loadUserSettings(store: Store, userId: string): Promise<Record<string, unknown>> {
  const row = await db(store)
    .selectFrom('user_settings')
    .select('settings')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.settings) as Record<string, unknown>) : {};
}

export async function saveUserSettings(
  store: Store,
  userId: string,
  settings: Record<string, unknown>,
  at: number,
): Promise<void> {
  const json = JSON.stringify(settings);
  // One statement, so two first writes for a user cannot both insert.
  await db(store)
    .insertInto('user_settings')
    .values({ user_id: userId, settings: json, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: json, updated_at: at }))
    .execute();
}

export async function deleteUserSettings(store: Store, userId: string): Promise<void> {
  await db(store).deleteFrom('user_settings').where('user_id', '=', userId).execute();
}
