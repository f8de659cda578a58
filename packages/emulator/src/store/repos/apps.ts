import type { Kysely, Selectable, Updateable } from 'kysely';
import { principalEpoch } from '../db.js';
import { EpochCache } from '../epoch-cache.js';
import type { App, AppType } from '../models.js';
import { type PreparedQuery, prepareFirst } from '../prepared.js';
import type { AppTable, Database } from '../schema.js';

export function toApp(row: Selectable<AppTable>): App {
  return {
    clientId: row.client_id,
    accountId: row.account_id,
    ownerUserId: row.owner_user_id,
    name: row.name,
    type: row.type as AppType,
    clientSecretHash: row.client_secret_hash,
    scopes: row.scopes ? row.scopes.split(' ') : [],
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    enabled: row.enabled === 1,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

export interface AppPatch {
  enabled?: boolean;
  scopes?: string[];
  redirectUris?: string[];
  settings?: Record<string, unknown>;
}

/** Apps kept by client id for the token endpoint; the oldest goes first. */
const CLIENTS_KEPT = 1024;

export class AppsRepo {
  private readonly byClientId: PreparedQuery<Selectable<AppTable>>;
  /** The token endpoint's exact cache (store/epoch-cache.ts); SQLite's root store only. */
  private readonly clients: EpochCache<App> | undefined;

  constructor(private readonly db: Kysely<Database>) {
    this.byClientId = prepareFirst(
      db,
      (id) => db.selectFrom('apps').selectAll().where('client_id', '=', id!),
      1,
    );
    const epoch = principalEpoch(db);
    this.clients = epoch ? new EpochCache(epoch, CLIENTS_KEPT) : undefined;
  }

  async insert(app: App): Promise<void> {
    await this.db
      .insertInto('apps')
      .values({
        client_id: app.clientId,
        account_id: app.accountId,
        owner_user_id: app.ownerUserId,
        name: app.name,
        type: app.type,
        client_secret_hash: app.clientSecretHash,
        scopes: app.scopes.join(' '),
        redirect_uris: JSON.stringify(app.redirectUris),
        enabled: app.enabled ? 1 : 0,
        settings: JSON.stringify(app.settings),
        created_at: app.createdAt,
      })
      .execute();
  }

  async findByClientId(clientId: string): Promise<App | undefined> {
    const row = await this.byClientId(clientId);
    return row && toApp(row);
  }

  /**
   * The same app for client authentication, frozen, from the exact cache where there is one: an
   * entry is answered only while no write that may change an app (disable, enable, scopes, secret,
   * delete, a reset, a restore) has run since it was read. The same object is answered for as long
   * as it holds, so what a caller derives from it (a verified secret) lasts exactly as long. An
   * absent app is never kept (a plain INSERT can add it without moving the epoch).
   */
  async findForClientAuth(clientId: string): Promise<Readonly<App> | undefined> {
    const cache = this.clients;
    const epoch = cache?.epoch.current();
    if (epoch !== undefined) {
      const hit = cache!.get(clientId, epoch);
      if (hit) return hit;
    }
    const app = await this.findByClientId(clientId);
    if (app && epoch !== undefined) cache!.put(clientId, epoch, app);
    return app;
  }

  async listByAccount(accountId: string): Promise<App[]> {
    const rows = await this.db
      .selectFrom('apps')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute();
    return rows.map(toApp);
  }

  async update(clientId: string, patch: AppPatch): Promise<void> {
    const values: Updateable<AppTable> = {};
    if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
    if (patch.scopes !== undefined) values.scopes = patch.scopes.join(' ');
    if (patch.redirectUris !== undefined) values.redirect_uris = JSON.stringify(patch.redirectUris);
    if (patch.settings !== undefined) values.settings = JSON.stringify(patch.settings);
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('apps').set(values).where('client_id', '=', clientId).execute();
  }

  /** Deletes the app; its tokens stay recorded (so they can still say why they fail) but are revoked. */
  async delete(clientId: string, at: number): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: at, revoked_reason: `app ${clientId} was deleted` })
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .execute();
    await this.db.deleteFrom('shared_access').where('client_id', '=', clientId).execute();
    await this.db.deleteFrom('apps').where('client_id', '=', clientId).execute();
  }
}
