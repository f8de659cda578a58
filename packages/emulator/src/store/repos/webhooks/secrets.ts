import type { Kysely } from 'kysely';
import type { Database } from '../../schema.js';

/** Each app's webhook Secret Token, which signs its deliveries and validations. */
export class WebhookSecretsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(clientId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('webhook_app_secrets')
      .select('secret_token')
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row?.secret_token;
  }

  /** Sets the app's Secret Token (insert or replace). */
  async set(clientId: string, secret: string, at: number): Promise<void> {
    await this.db
      .insertInto('webhook_app_secrets')
      .values({ client_id: clientId, secret_token: secret, created_at: at })
      .onConflict((oc) => oc.column('client_id').doUpdateSet({ secret_token: secret, created_at: at }))
      .execute();
  }

  /** The app's Secret Token, created with `generate()` if it has none; concurrent callers agree on one. */
  async ensure(clientId: string, at: number, generate: () => string): Promise<string> {
    const existing = await this.get(clientId);
    if (existing) return existing;
    await this.db
      .insertInto('webhook_app_secrets')
      .values({ client_id: clientId, secret_token: generate(), created_at: at })
      .onConflict((oc) => oc.column('client_id').doNothing())
      .execute();
    return (await this.get(clientId)) as string;
  }
}
