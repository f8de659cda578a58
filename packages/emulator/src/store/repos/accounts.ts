import type { Kysely, Selectable } from 'kysely';
import type { Account, Plan } from '../models.js';
import { type PreparedQuery, prepareFirst } from '../prepared.js';
import type { AccountTable, Database } from '../schema.js';

function toAccount(row: Selectable<AccountTable>): Account {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan as Plan,
    ownerUserId: row.owner_user_id,
    accountNumber: row.account_number,
    createdAt: row.created_at,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
  };
}

export class AccountsRepo {
  private readonly byId: PreparedQuery<Selectable<AccountTable>>;

  constructor(private readonly db: Kysely<Database>) {
    this.byId = prepareFirst(db, (id) => db.selectFrom('accounts').selectAll().where('id', '=', id!), 1);
  }

  async insert(account: Account): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({
        id: account.id,
        name: account.name,
        plan: account.plan,
        owner_user_id: account.ownerUserId,
        account_number: account.accountNumber,
        created_at: account.createdAt,
        settings: JSON.stringify(account.settings),
      })
      .execute();
  }

  async findById(id: string): Promise<Account | undefined> {
    const row = await this.byId(id);
    return row && toAccount(row);
  }

  /** Replaces the account's settings object (per-account switches such as rate limits). */
  async updateSettings(accountId: string, settings: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', accountId)
      .execute();
  }

  /** Renames the account or changes its plan (its rate limits follow the plan). */
  async update(accountId: string, patch: { name?: string; plan?: Plan }): Promise<void> {
    if (patch.name === undefined && patch.plan === undefined) return;
    await this.db.updateTable('accounts').set(patch).where('id', '=', accountId).execute();
  }

  async setOwner(accountId: string, userId: string): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ owner_user_id: userId })
      .where('id', '=', accountId)
      .execute();
  }

  async list(): Promise<Account[]> {
    const rows = await this.db.selectFrom('accounts').selectAll().orderBy('created_at').execute();
    return rows.map(toAccount);
  }
}
