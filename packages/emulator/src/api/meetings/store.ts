/**
 * The meetings table (migration 0010), declared here rather than in store/schema.ts, and the queries
 * the Meetings handlers and the start/join pages need. Rows become `Meeting` records; times are epoch
 * ms of the emulated clock.
 */
import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Store } from '../../store/store.js';

interface MeetingTable {
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
  settings: string;
  recurrence: string | null;
  tracking_fields: string | null;
  deleted_occurrences: string;
  created_at: number;
  started_at: number | null;
}
type MeetingsDb = Database & { meetings: MeetingTable };

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

function db(store: Store): Kysely<MeetingsDb> {
  return store.db as unknown as Kysely<MeetingsDb>;
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

function fromRow(row: Selectable<MeetingTable>): Meeting {
  return {
    seq: Number(row.seq),
    id: Number(row.id),
    uuid: row.uuid,
    accountId: row.account_id,
    hostId: row.host_id,
    topic: row.topic,
    type: row.type,
    status: row.status as MeetingStatus,
    startTime: row.start_time === null ? null : Number(row.start_time),
    duration: row.duration,
    timezone: row.timezone,
    agenda: row.agenda,
    password: row.password,
    h323Password: row.h323_password,
    preSchedule: Boolean(row.pre_schedule),
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    recurrence: row.recurrence === null ? null : (JSON.parse(row.recurrence) as Record<string, unknown>),
    trackingFields:
      row.tracking_fields === null
        ? null
        : (JSON.parse(row.tracking_fields) as Array<Record<string, unknown>>),
    deletedOccurrences: JSON.parse(row.deleted_occurrences) as string[],
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
  };
}

/** The columns of what a meeting's owner sets (create and PATCH), as stored. */
function editableColumns(m: NewMeeting) {
  return {
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    duration: m.duration,
    timezone: m.timezone,
    agenda: m.agenda,
    password: m.password,
    h323_password: m.h323Password,
    pre_schedule: m.preSchedule ? 1 : 0,
    settings: JSON.stringify(m.settings),
    recurrence: json(m.recurrence),
    tracking_fields: json(m.trackingFields),
  };
}

export async function insertMeeting(store: Store, m: NewMeeting): Promise<void> {
  await db(store)
    .insertInto('meetings')
    .values({
      id: m.id,
      uuid: m.uuid,
      account_id: m.accountId,
      host_id: m.hostId,
      ...editableColumns(m),
      status: m.status,
      deleted_occurrences: JSON.stringify(m.deletedOccurrences),
      created_at: m.createdAt,
      started_at: m.startedAt,
    })
    .execute();
}

export async function meetingIdTaken(store: Store, id: number): Promise<boolean> {
  const row = await db(store).selectFrom('meetings').select('seq').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function findMeeting(store: Store, id: number): Promise<Meeting | undefined> {
  const row = await db(store).selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The meeting whose current instance has this uuid. */
export async function findMeetingByUuid(store: Store, uuid: string): Promise<Meeting | undefined> {
  const row = await db(store).selectFrom('meetings').selectAll().where('uuid', '=', uuid).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/**
 * Inside a transaction: the meeting as it is now, its row locked until the transaction ends on
 * PostgreSQL (SQLite has one writer at a time). Undefined when it is gone.
 */
export async function lockMeeting(store: Store, id: number): Promise<Meeting | undefined> {
  let query = db(store).selectFrom('meetings').selectAll().where('id', '=', id);
  if (store.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/**
 * Writes back what PATCH /meetings/{id} may change. Not the status, the start time of a start, nor the
 * deleted occurrences: those belong to the start page and to DELETE, and a PATCH must not undo them.
 * False when the meeting is gone.
 */
export async function saveMeetingFields(store: Store, m: Meeting): Promise<boolean> {
  const result = await db(store)
    .updateTable('meetings')
    .set(editableColumns(m))
    .where('id', '=', m.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setDeletedOccurrences(store: Store, id: number, occurrences: string[]): Promise<void> {
  await db(store)
    .updateTable('meetings')
    .set({ deleted_occurrences: JSON.stringify(occurrences) })
    .where('id', '=', id)
    .execute();
}

/** Marks the meeting started now (again, for a meeting started before); false when it is gone. */
export async function markStarted(store: Store, id: number, now: number): Promise<boolean> {
  const result = await db(store)
    .updateTable('meetings')
    .set({ status: 'started', started_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteMeeting(store: Store, id: number): Promise<boolean> {
  const result = await db(store).deleteFrom('meetings').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Every meeting of a host in creation order (a host's meetings are few: filtering happens in memory). */
export async function listHostMeetings(store: Store, hostId: string): Promise<Meeting[]> {
  const rows = await db(store)
    .selectFrom('meetings')
    .selectAll()
    .where('host_id', '=', hostId)
    .orderBy('seq')
    .execute();
  return rows.map(fromRow);
}

/** Gives every meeting of `fromHostId` to another host (a user's deletion with `transfer_meeting`). */
export async function transferHostMeetings(
  store: Store,
  fromHostId: string,
  to: { hostId: string; accountId: string },
): Promise<number> {
  const result = await db(store)
    .updateTable('meetings')
    .set({ host_id: to.hostId, account_id: to.accountId })
    .where('host_id', '=', fromHostId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A disassociated host keeps its meetings in the account it now has of its own. */
export async function moveHostMeetings(store: Store, hostId: string, accountId: string): Promise<void> {
  await db(store)
    .updateTable('meetings')
    .set({ account_id: accountId })
    .where('host_id', '=', hostId)
    .execute();
}

/** A deleted host's meetings go with it. */
export async function deleteHostMeetings(store: Store, hostId: string): Promise<void> {
  await db(store).deleteFrom('meetings').where('host_id', '=', hostId).execute();
}
