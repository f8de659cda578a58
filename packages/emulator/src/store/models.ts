/** The emulated world's records, as handlers see them. */

export type Plan = 'free' | 'pro' | 'business';
export const PLANS: readonly Plan[] = ['free', 'pro', 'business'];

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  ownerUserId: string | null;
  accountNumber: number;
  createdAt: number;
  settings: Record<string, unknown>;
}

export type UserStatus = 'active' | 'inactive' | 'pending';
export type CreationAction = 'create' | 'autoCreate' | 'custCreate' | 'ssoCreate';
export const CREATION_ACTIONS: readonly CreationAction[] = [
  'create',
  'autoCreate',
  'custCreate',
  'ssoCreate',
];

export interface User {
  seq: number;
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  /** 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None. */
  type: number;
  status: UserStatus;
  /** "0" owner, "1" admin, "2" member. */
  roleId: string;
  loginType: number;
  creationAction: CreationAction;
  pmi: number;
  timezone: string;
  language: string;
  dept: string;
  jobTitle: string;
  company: string;
  location: string;
  verified: number;
  passwordHash: string | null;
  zakVersion: number;
  createdAt: number;
  lastLoginTime: number | null;
  profile: Record<string, unknown>;
}

export const APP_TYPES = ['server_to_server', 'oauth_user', 'oauth_account', 'chatbot', 'jwt'] as const;
export type AppType = (typeof APP_TYPES)[number];

export interface App {
  clientId: string;
  accountId: string;
  ownerUserId: string;
  name: string;
  type: AppType;
  clientSecretHash: string;
  scopes: string[];
  redirectUris: string[];
  enabled: boolean;
  settings: Record<string, unknown>;
  createdAt: number;
}

export type TokenKind = 'access' | 'refresh';

export interface TokenRecord {
  id: string;
  kind: TokenKind;
  grantId: string;
  accountId: string;
  clientId: string;
  userId: string | null;
  grantType: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
}

export type PkceMethod = 'plain' | 'S256';

/** An authorization code as its exchange reads it (the code itself is known only by its hash). */
export interface AuthorizationCode {
  grantId: string;
  clientId: string;
  userId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: PkceMethod | null;
  expiresAt: number;
  usedAt: number | null;
}

export type MeetingStatus = 'waiting' | 'started';

export interface Meeting {
  seq: number;
  id: number;
  uuid: string;
  accountId: string;
  hostId: string;
  topic: string;
  /** 1 instant, 2 scheduled, 3 recurring with no fixed time, 8 recurring with a fixed time. */
  type: number;
  status: MeetingStatus;
  startTime: number | null;
  duration: number | null;
  timezone: string;
  agenda: string;
  password: string;
  h323Password: string;
  preSchedule: boolean;
  settings: Record<string, unknown>;
  recurrence: Record<string, unknown> | null;
  trackingFields: Array<Record<string, unknown>> | null;
  /** Occurrence ids (type 8) deleted one by one. */
  deletedOccurrences: string[];
  createdAt: number;
  startedAt: number | null;
}

export type NewMeeting = Omit<Meeting, 'seq'>;

/** One started instance of a meeting: live while `endTime` is null, then a past meeting. */
export interface MeetingInstance {
  seq: number;
  uuid: string;
  meetingId: number;
  accountId: string;
  hostId: string;
  topic: string;
  type: number;
  timezone: string;
  duration: number | null;
  startTime: number;
  endTime: number | null;
}

/** One join of one person to an instance: in the meeting while `leaveTime` is null. */
export interface Participant {
  seq: number;
  instanceUuid: string;
  meetingId: number;
  /** Zoom's per-meeting participant id (`user_id` in Zoom's answers). */
  participantId: string;
  participantUuid: string;
  /** The signed-in Zoom user's id, or null for a guest. */
  userId: string | null;
  name: string;
  email: string;
  isHost: boolean;
  joinTime: number;
  leaveTime: number | null;
  leaveReason: string | null;
}

export const REGISTRANT_STATUSES = ['pending', 'approved', 'denied'] as const;
export type RegistrantStatus = (typeof REGISTRANT_STATUSES)[number];

/** One registration for a meeting that requires registration. */
export interface Registrant {
  seq: number;
  id: string;
  meetingId: number;
  accountId: string;
  /** Lower-cased. */
  email: string;
  status: RegistrantStatus;
  /** The registration form's fields as given (first_name, last_name, address, custom_questions, ...). */
  fields: Record<string, unknown>;
  createTime: number;
}

/** A meeting's registration questions, as GET/PATCH .../registrants/questions carry them. */
export interface RegistrationQuestions {
  questions: Array<Record<string, unknown>>;
  customQuestions: Array<Record<string, unknown>>;
}

/** What a recording copies of its instance. */
export type InstanceCopy = Pick<
  MeetingInstance,
  'uuid' | 'meetingId' | 'accountId' | 'hostId' | 'topic' | 'type' | 'timezone' | 'startTime'
>;

/**
 * A meeting instance's cloud recording; in the trash while `trashedAt` is set. It keeps its own copy
 * of what its instance was (same uuid): retention deletes ended instances, the recording outlives them.
 */
export interface Recording extends InstanceCopy {
  seq: number;
  endTime: number;
  settings: Record<string, unknown>;
  trashedAt: number | null;
}

/** One file of a recording; in the trash on its own while `trashedAt` is set. */
export interface RecordingFile {
  seq: number;
  id: string;
  recordingUuid: string;
  fileType: string;
  fileExtension: string;
  recordingType: string;
  asset: string;
  fileSize: number;
  recordingStart: number;
  recordingEnd: number;
  trashedAt: number | null;
}

export interface Subscription {
  id: string;
  clientId: string;
  endpointUrl: string;
  /** Zoom event names, checked against the emitted ones when the subscription was made. */
  events: string[];
  validated: boolean;
  validatedAt: number | null;
  nextValidationAt: number | null;
  lastValidationError: string | null;
  createdAt: number;
}

/** A recorded event as the outbox holds it (`payload` still JSON). */
export interface OutboxEvent {
  id: string;
  accountId: string;
  event: string;
  eventTs: number;
  payload: string;
  createdAt: number;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  eventId: string;
  event: string;
  accountId: string;
  subscriptionId: string;
  clientId: string;
  endpointUrl: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface Attempt {
  id: string;
  deliveryId: string;
  number: number;
  at: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
  ok: boolean;
  requestTimestamp: number;
  trackingId: string;
}
