import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Installation-wide key/value facts (signing key, clock state, demo ids). */
export class MetaRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('zemu_meta')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('zemu_meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /** Sets the value only if the key is absent, then returns whichever value won (safe across processes). */
  async getOrInit(key: string, init: () => string): Promise<string> {
    await this.db
      .insertInto('zemu_meta')
      .values({ key, value: init() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const value = await this.get(key);
    if (value === undefined) throw new Error(`meta key ${key} vanished`);
    return value;
  }
}
