import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A user's settings overrides, one JSON object per user. */
export class UserSettingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The user's stored overrides, `{}` when it has none. */
  async load(userId: string): Promise<Record<string, unknown>> {
    const row = await this.db
      .selectFrom('user_settings')
      .select('settings')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.settings) as Record<string, unknown>) : {};
  }

  async save(userId: string, settings: Record<string, unknown>, at: number): Promise<void> {
    const json = JSON.stringify(settings);
    // One statement, so two first writes for a user cannot both insert.
    await this.db
      .insertInto('user_settings')
      .values({ user_id: userId, settings: json, updated_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: json, updated_at: at }))
      .execute();
  }

  async delete(userId: string): Promise<void> {
    await this.db.deleteFrom('user_settings').where('user_id', '=', userId).execute();
  }
}
