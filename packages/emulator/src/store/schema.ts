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

/** Versions of what several processes on one PostgreSQL share (migration 0017). */
export interface SharedTable {
  name: string;
  version: number;
  value: string | null;
}

/** Fault rules on PostgreSQL, shared by every process (migration 0017). */
export interface FaultTable {
  id: string;
  position: number;
  rule: string;
  remaining: number | null;
  fired: Generated<number>;
}

/** The request log on PostgreSQL, shared by every process (migration 0017). */
export interface RequestLogTable {
  id: Generated<number>;
  entry: string;
}

/** Which legacy-tolerance index (migration 0005) an account_credentials token was issued under. */
export interface TokenToleranceTable {
  token_id: string;
  client_id: string;
  idx: number;
  issued_at: number;
}

export interface UserPrivilegeTable {
  grantor_user_id: string;
  grantee_user_id: string;
  privilege: string;
  created_at: number;
}

export interface SharedAccessTable {
  user_id: string;
  client_id: string;
  created_at: number;
}

export interface OAuthCodeTable {
  /** SHA-256 of the code: the code itself is never stored. */
  code_hash: string;
  grant_id: string;
  client_id: string;
  user_id: string;
  account_id: string;
  redirect_uri: string;
  /** Space-separated. */
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface UserSettingsTable {
  user_id: string;
  /** JSON object: the user's overrides of the default settings. */
  settings: string;
  updated_at: number;
}

export interface MeetingTable {
  seq: Generated<number>;
  id: number;
  uuid: string;
  account_id: string;
  host_id: string;
  topic: string;
  type: number;
  status: string;
  start_time: number | null;
  duration: number | null;
  timezone: string;
  agenda: string;
  password: string;
  h323_password: string;
  pre_schedule: number;
  /** JSON object. */
  settings: string;
  /** JSON object, null for a meeting that does not recur. */
  recurrence: string | null;
  /** JSON array. */
  tracking_fields: string | null;
  /** JSON array of occurrence ids. */
  deleted_occurrences: string;
  created_at: number;
  started_at: number | null;
}

/** One started instance of a meeting (migration 0018), keyed by the uuid the meeting had then. */
export interface MeetingInstanceTable {
  seq: Generated<number>;
  uuid: string;
  meeting_id: number;
  account_id: string;
  host_id: string;
  topic: string;
  type: number;
  timezone: string;
  duration: number | null;
  start_time: number;
  /** Null while the instance is live. */
  end_time: number | null;
}

/** One join of one person to a meeting instance (migration 0018). */
export interface MeetingParticipantTable {
  seq: Generated<number>;
  instance_uuid: string;
  meeting_id: number;
  participant_id: string;
  participant_uuid: string;
  user_id: string | null;
  name: string;
  email: string;
  is_host: number;
  join_time: number;
  /** Null while the participant is in the meeting. */
  leave_time: number | null;
  leave_reason: string | null;
}

/** The columns a recording copies of its instance. */
export type InstanceCopyRow = Pick<
  MeetingInstanceTable,
  'uuid' | 'meeting_id' | 'account_id' | 'host_id' | 'topic' | 'type' | 'timezone' | 'start_time'
>;

/** A meeting instance's cloud recording (migration 0022), keyed by the instance's uuid. */
export interface RecordingTable extends InstanceCopyRow {
  seq: Generated<number>;
  /** A copy of its instance's columns: retention deletes ended instances, the recording outlives them. */
  end_time: number;
  /** JSON object: the recording's sharing settings. */
  settings: string;
  trashed_at: number | null;
}

/** One file of a cloud recording (migration 0022). */
export interface RecordingFileTable {
  seq: Generated<number>;
  id: string;
  recording_uuid: string;
  file_type: string;
  file_extension: string;
  recording_type: string;
  asset: string;
  file_size: number;
  recording_start: number;
  recording_end: number;
  trashed_at: number | null;
}

export interface WebhookAppSecretTable {
  client_id: string;
  secret_token: string;
  created_at: number;
}

export interface WebhookSubscriptionTable {
  id: string;
  client_id: string;
  endpoint_url: string;
  /** JSON array of event names. */
  events: string;
  validated: number;
  validated_at: number | null;
  next_validation_at: number | null;
  last_validation_error: string | null;
  /** Real time until which one process owns the due re-validation. */
  validation_claimed_until: number | null;
  created_at: number;
}

/** Events not yet fanned out into deliveries; a dispatcher claims one by deleting its row. */
export interface WebhookFanoutQueueTable {
  event_id: string;
  created_at: number;
}

export interface WebhookDeliveryTable {
  id: string;
  event_id: string;
  event: string;
  account_id: string;
  subscription_id: string;
  client_id: string;
  endpoint_url: string;
  status: string;
  attempt_count: number;
  next_attempt_at: number | null;
  last_error: string | null;
  claimed_by: string | null;
  /** Real time. */
  claim_expires_at: number | null;
  created_at: number;
  completed_at: number | null;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  number: number;
  at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
  ok: number;
  request_timestamp: number;
  tracking_id: string;
}

/** Users by account, status and role, kept by the triggers of migration 0012: never written by Zemu. */
export interface UserCountTable {
  account_id: string;
  status: string;
  role_id: string;
  n: number;
}

/** One registration for a meeting (migration 0019). */
export interface MeetingRegistrantTable {
  seq: Generated<number>;
  id: string;
  meeting_id: number;
  account_id: string;
  /** Lower-cased. */
  email: string;
  status: string;
  /** JSON object of the registration form's fields. */
  fields: string;
  create_time: number;
}

/** A meeting's registration questions (migration 0019); no row: Zoom's defaults. */
export interface MeetingRegistrationQuestionsTable {
  meeting_id: number;
  /** JSON array. */
  questions: string;
  /** JSON array. */
  custom_questions: string;
}

export interface Database {
  zemu_meta: MetaTable;
  accounts: AccountTable;
  users: UserTable;
  user_counts: UserCountTable;
  user_settings: UserSettingsTable;
  user_privileges: UserPrivilegeTable;
  shared_access: SharedAccessTable;
  apps: AppTable;
  tokens: TokenTable;
  token_tolerance: TokenToleranceTable;
  oauth_codes: OAuthCodeTable;
  meetings: MeetingTable;
  meeting_instances: MeetingInstanceTable;
  meeting_participants: MeetingParticipantTable;
  meeting_registrants: MeetingRegistrantTable;
  meeting_registration_questions: MeetingRegistrationQuestionsTable;
  recordings: RecordingTable;
  recording_files: RecordingFileTable;
  webhook_events: WebhookEventTable;
  webhook_app_secrets: WebhookAppSecretTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_fanout_queue: WebhookFanoutQueueTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  zemu_snapshots: SnapshotTable;
  zemu_shared: SharedTable;
  zemu_faults: FaultTable;
  zemu_requests: RequestLogTable;
}
