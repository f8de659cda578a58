import { type Kysely, type Selectable, sql } from 'kysely';
import type { DialectName } from '../dialect.js';
import type { Meeting, MeetingStatus, NewMeeting } from '../models.js';
import type { Database, MeetingTable } from '../schema.js';

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

function toMeeting(row: Selectable<MeetingTable>): Meeting {
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

/** Meetings, as the Meetings operations and the start/join pages read and change them. */
export class MeetingsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async insert(m: NewMeeting): Promise<void> {
    await this.db
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

  async idTaken(id: number): Promise<boolean> {
    const row = await this.db.selectFrom('meetings').select('seq').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  async findById(id: number): Promise<Meeting | undefined> {
    const row = await this.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMeeting(row) : undefined;
  }

  /** The meeting whose current instance has this uuid. */
  async findByUuid(uuid: string): Promise<Meeting | undefined> {
    const row = await this.db.selectFrom('meetings').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    return row ? toMeeting(row) : undefined;
  }

  /**
   * Inside a transaction: the meeting as it is now, its row locked until the transaction ends on
   * PostgreSQL (SQLite has one writer at a time). Undefined when it is gone.
   */
  async lockById(id: number): Promise<Meeting | undefined> {
    let query = this.db.selectFrom('meetings').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? toMeeting(row) : undefined;
  }

  /**
   * Writes back what PATCH /meetings/{id} may change. Not the status, the start time of a start, nor
   * the deleted occurrences: those belong to the start page and to DELETE, and a PATCH must not undo
   * them. False when the meeting is gone.
   */
  async saveFields(m: Meeting): Promise<boolean> {
    const result = await this.db
      .updateTable('meetings')
      .set(editableColumns(m))
      .where('id', '=', m.id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async setDeletedOccurrences(id: number, occurrences: string[]): Promise<void> {
    await this.db
      .updateTable('meetings')
      .set({ deleted_occurrences: JSON.stringify(occurrences) })
      .where('id', '=', id)
      .execute();
  }

  /** Marks the meeting started now (again, for a meeting started before); false when it is gone. */
  async markStarted(id: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('meetings')
      .set({ status: 'started', started_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * The meeting's instance ended: it waits again, under a new uuid for its next instance (the old one
   * now names the past meeting). `started_at` stays: expiry counts from the last start.
   */
  async markEnded(id: number, nextUuid: string): Promise<void> {
    await this.db
      .updateTable('meetings')
      .set({ status: 'waiting', uuid: nextUuid })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Up to `limit` ids, after `afterId` in id order, of meetings started and past their scheduled end
   * (their duration, 60 minutes without one, after their last start) at `now`: what the sweeper
   * settles. The (status, started_at) index of migration 0021 keeps this to the started meetings.
   */
  async overdueIds(now: number, afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('meetings')
      .select('id')
      .where('status', '=', 'started')
      .where('started_at', 'is not', null)
      .where(sql<number>`started_at + coalesce(nullif(duration, 0), 60) * cast(60000 as bigint)`, '<=', now)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('meetings').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Every meeting of a host in creation order (a host's meetings are few: filtering happens in memory). */
  async listByHost(hostId: string): Promise<Meeting[]> {
    const rows = await this.db
      .selectFrom('meetings')
      .selectAll()
      .where('host_id', '=', hostId)
      .orderBy('seq')
      .execute();
    return rows.map(toMeeting);
  }

  /** Gives every meeting of `fromHostId` to another host (a user's deletion with `transfer_meeting`). */
  async transferHost(fromHostId: string, to: { hostId: string; accountId: string }): Promise<number> {
    const result = await this.db
      .updateTable('meetings')
      .set({ host_id: to.hostId, account_id: to.accountId })
      .where('host_id', '=', fromHostId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A disassociated host keeps its meetings in the account it now has of its own. */
  async moveHost(hostId: string, accountId: string): Promise<void> {
    await this.db
      .updateTable('meetings')
      .set({ account_id: accountId })
      .where('host_id', '=', hostId)
      .execute();
  }

  /** A deleted host's meetings go with it. */
  async deleteOfHost(hostId: string): Promise<void> {
    await this.db.deleteFrom('meetings').where('host_id', '=', hostId).execute();
  }
}
