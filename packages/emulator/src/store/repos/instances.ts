/**
 * Meeting instances and their participants (migration 0018): what the meeting lifecycle (live/) writes
 * as meetings start, people join and leave, and meetings end, and what past meetings read.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { InstanceCopy, MeetingInstance, Participant } from '../models.js';
import type { Database, InstanceCopyRow, MeetingInstanceTable, MeetingParticipantTable } from '../schema.js';

/** A recording's copy of its instance (models.ts InstanceCopy), read from its columns. */
export function instanceCopyFields(row: InstanceCopyRow): InstanceCopy {
  return {
    uuid: row.uuid,
    meetingId: Number(row.meeting_id),
    accountId: row.account_id,
    hostId: row.host_id,
    topic: row.topic,
    type: row.type,
    timezone: row.timezone,
    startTime: Number(row.start_time),
  };
}

/** The columns of that copy. */
export function instanceCopyColumns(i: InstanceCopy): InstanceCopyRow {
  return {
    uuid: i.uuid,
    meeting_id: i.meetingId,
    account_id: i.accountId,
    host_id: i.hostId,
    topic: i.topic,
    type: i.type,
    timezone: i.timezone,
    start_time: i.startTime,
  };
}

function toInstance(row: Selectable<MeetingInstanceTable>): MeetingInstance {
  return {
    seq: Number(row.seq),
    ...instanceCopyFields(row),
    duration: row.duration,
    endTime: row.end_time === null ? null : Number(row.end_time),
  };
}

function toParticipant(row: Selectable<MeetingParticipantTable>): Participant {
  return {
    seq: Number(row.seq),
    instanceUuid: row.instance_uuid,
    meetingId: Number(row.meeting_id),
    participantId: row.participant_id,
    participantUuid: row.participant_uuid,
    userId: row.user_id,
    name: row.name,
    email: row.email,
    isHost: Boolean(row.is_host),
    joinTime: Number(row.join_time),
    leaveTime: row.leave_time === null ? null : Number(row.leave_time),
    leaveReason: row.leave_reason,
  };
}

export class InstancesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(i: Omit<MeetingInstance, 'seq' | 'endTime'>): Promise<MeetingInstance> {
    await this.db
      .insertInto('meeting_instances')
      .values({ ...instanceCopyColumns(i), duration: i.duration, end_time: null })
      .execute();
    return (await this.findByUuid(i.uuid)) as MeetingInstance;
  }

  async findByUuid(uuid: string): Promise<MeetingInstance | undefined> {
    const row = await this.db
      .selectFrom('meeting_instances')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row ? toInstance(row) : undefined;
  }

  /** The meeting's instance in progress, if any. */
  async liveOf(meetingId: number): Promise<MeetingInstance | undefined> {
    const row = await this.db
      .selectFrom('meeting_instances')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('end_time', 'is', null)
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    return row ? toInstance(row) : undefined;
  }

  /** The meeting's most recent instance that has ended. */
  async latestEnded(meetingId: number): Promise<MeetingInstance | undefined> {
    const row = await this.db
      .selectFrom('meeting_instances')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('end_time', 'is not', null)
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    return row ? toInstance(row) : undefined;
  }

  /** Every ended instance of the meeting, oldest first. */
  async listEnded(meetingId: number): Promise<MeetingInstance[]> {
    const rows = await this.db
      .selectFrom('meeting_instances')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('end_time', 'is not', null)
      .orderBy('seq')
      .execute();
    return rows.map(toInstance);
  }

  async end(uuid: string, endTime: number): Promise<void> {
    await this.db
      .updateTable('meeting_instances')
      .set({ end_time: endTime })
      .where('uuid', '=', uuid)
      .execute();
  }

  /** Up to `limit` uuids of instances that ended before `cutoff`, oldest first (retention). */
  async uuidsEndedBefore(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('meeting_instances')
      .select('uuid')
      .where('end_time', '<', cutoff)
      .orderBy('end_time')
      .limit(limit)
      .execute();
    return rows.map((r) => r.uuid);
  }

  /** Deletes ended instances with their participants (retention); returns how many instances went. */
  async deleteEnded(uuids: readonly string[]): Promise<number> {
    if (uuids.length === 0) return 0;
    await this.db.deleteFrom('meeting_participants').where('instance_uuid', 'in', uuids).execute();
    const result = await this.db
      .deleteFrom('meeting_instances')
      .where('uuid', 'in', uuids)
      .where('end_time', 'is not', null)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async addParticipant(p: Omit<Participant, 'seq' | 'leaveTime' | 'leaveReason'>): Promise<Participant> {
    await this.db
      .insertInto('meeting_participants')
      .values({
        instance_uuid: p.instanceUuid,
        meeting_id: p.meetingId,
        participant_id: p.participantId,
        participant_uuid: p.participantUuid,
        user_id: p.userId,
        name: p.name,
        email: p.email,
        is_host: p.isHost ? 1 : 0,
        join_time: p.joinTime,
        leave_time: null,
        leave_reason: null,
      })
      .execute();
    const row = await this.db
      .selectFrom('meeting_participants')
      .selectAll()
      .where('participant_uuid', '=', p.participantUuid)
      .executeTakeFirstOrThrow();
    return toParticipant(row);
  }

  /** How many joins the instance has had (the next participant id derives from it). */
  async joinCount(instanceUuid: string): Promise<number> {
    const row = await this.db
      .selectFrom('meeting_participants')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('instance_uuid', '=', instanceUuid)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Who is in the instance now, in join order. */
  async present(instanceUuid: string): Promise<Participant[]> {
    const rows = await this.db
      .selectFrom('meeting_participants')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .where('leave_time', 'is', null)
      .orderBy('seq')
      .execute();
    return rows.map(toParticipant);
  }

  async findParticipant(instanceUuid: string, participantId: string): Promise<Participant | undefined> {
    const row = await this.db
      .selectFrom('meeting_participants')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    return row ? toParticipant(row) : undefined;
  }

  /** Marks a participant gone; false when it had already left. */
  async leave(seq: number, leaveTime: number, reason: string): Promise<boolean> {
    const result = await this.db
      .updateTable('meeting_participants')
      .set({ leave_time: leaveTime, leave_reason: reason })
      .where('seq', '=', seq)
      .where('leave_time', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** One page of an instance's participants in join order, after the keyset position `afterSeq`. */
  async listParticipants(instanceUuid: string, afterSeq: number, limit: number): Promise<Participant[]> {
    const rows = await this.db
      .selectFrom('meeting_participants')
      .selectAll()
      .where('instance_uuid', '=', instanceUuid)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toParticipant);
  }

  /** The instance's joins and the time they add up to (ms; a participant still in counts up to `now`). */
  async totals(instanceUuid: string, now: number): Promise<{ count: number; attendedMs: number }> {
    const row = await this.db
      .selectFrom('meeting_participants')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        sql<number | string | null>`sum(coalesce(leave_time, ${now}) - join_time)`.as('ms'),
      ])
      .where('instance_uuid', '=', instanceUuid)
      .executeTakeFirst();
    return { count: Number(row?.n ?? 0), attendedMs: Number(row?.ms ?? 0) };
  }

  /**
   * A page of ended instances that started in [from, to), in start order after the keyset position
   * `afterSeq`, and how many there are in all: `past` the user's meetings with two or more unique
   * participants, `pastOne` those with one, `pastJoined` the meetings the user joined.
   */
  async listForReport(
    userId: string,
    range: { from: number; to: number },
    kind: 'past' | 'pastOne' | 'pastJoined',
    afterSeq: number,
    limit: number,
  ): Promise<{ rows: MeetingInstance[]; total: number }> {
    let query = this.db
      .selectFrom('meeting_instances as i')
      .where('i.end_time', 'is not', null)
      .where('i.start_time', '>=', range.from)
      .where('i.start_time', '<', range.to);
    if (kind === 'pastJoined') {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('meeting_participants as p')
            .select('p.seq')
            .whereRef('p.instance_uuid', '=', 'i.uuid')
            .where('p.user_id', '=', userId),
        ),
      );
    } else {
      const unique = sql<number>`(select count(distinct coalesce(p.user_id, p.participant_uuid)) from meeting_participants p where p.instance_uuid = i.uuid)`;
      query = query
        .where('i.host_id', '=', userId)
        .where(unique, kind === 'past' ? '>=' : '=', kind === 'past' ? 2 : 1);
    }
    const counted = await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
    const rows = await query
      .selectAll('i')
      .where('i.seq', '>', afterSeq)
      .orderBy('i.seq')
      .limit(limit)
      .execute();
    return { rows: rows.map(toInstance), total: Number(counted?.n ?? 0) };
  }
}
