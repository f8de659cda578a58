/** Table shapes as the query builder sees them. Times are epoch milliseconds of the emulated clock. */
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export interface AccountTable {
  id: string;
  name: string;
  plan: string;
  owner_user_id: string | null;
  account_number: number;
  created_at: number;
  /** JSON object: per-account switches (limits, retry-after omission, ...). */
  settings: string;
}

export interface UserTable {
  seq: Generated<number>;
  id: string;
  account_id: string;
  /** Lower-cased; unique across the world, as Zoom emails are. */
  email: string;
  first_name: string;
  last_name: string;
  display_name: string;
  type: number;
  status: string;
  role_id: string;
  login_type: number;
  creation_action: string;
  pmi: number;
  timezone: string;
  language: string;
  dept: string;
  job_title: string;
  company: string;
  location: string;
  verified: number;
  password_hash: string | null;
  /** Bumped to revoke every ZAK the user holds. */
  zak_version: number;
  created_at: number;
  last_login_time: number | null;
  /** JSON object of the remaining profile fields of Zoom's user object. */
  profile: string;
}

export interface AppTable {
  client_id: string;
  account_id: string;
  owner_user_id: string;
  name: string;
  type: string;
  client_secret_hash: string;
  /** Space-separated. */
  scopes: string;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  enabled: number;
  /** JSON object of per-app settings (token tolerance, ...). */
  settings: string;
  created_at: number;
}

export interface TokenTable {
  /** The JWT's `jti`. */
  id: string;
  kind: string;
  grant_id: string;
  account_id: string;
  client_id: string;
  user_id: string | null;
  grant_type: string;
  scopes: string;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export interface WebhookEventTable {
  id: string;
  account_id: string;
  event: string;
  event_ts: number;
  /** JSON: the envelope's `payload`. */
  payload: string;
  created_at: number;
}

export interface SnapshotTable {
  id: string;
  name: string | null;
  created_at: number;
  emulated_at: number;
  schema_version: string;
  bytes: number;
  image: string;
}

export interface Database {
  zemu_meta: MetaTable;
  accounts: AccountTable;
  users: UserTable;
  apps: AppTable;
  tokens: TokenTable;
  webhook_events: WebhookEventTable;
  zemu_snapshots: SnapshotTable;
}
