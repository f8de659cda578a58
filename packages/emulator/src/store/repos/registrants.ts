/**
 * Meeting registrants and registration questions (migration 0019): what the registrants operations
 * (api/meetings/registrants/) write and read, and what the join page checks a registrant's link against.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Registrant, RegistrantStatus, RegistrationQuestions } from '../models.js';
import type { Database, MeetingRegistrantTable } from '../schema.js';

function toRegistrant(row: Selectable<MeetingRegistrantTable>): Registrant {
  return {
    seq: Number(row.seq),
    id: row.id,
    meetingId: Number(row.meeting_id),
    accountId: row.account_id,
    email: row.email,
    status: row.status as RegistrantStatus,
    fields: JSON.parse(row.fields) as Record<string, unknown>,
    createTime: Number(row.create_time),
  };
}

export class RegistrantsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a registration; undefined when the address is registered for the meeting already. */
  async insert(r: Omit<Registrant, 'seq'>): Promise<Registrant | undefined> {
    const result = await this.db
      .insertInto('meeting_registrants')
      .values({
        id: r.id,
        meeting_id: r.meetingId,
        account_id: r.accountId,
        email: r.email,
        status: r.status,
        fields: JSON.stringify(r.fields),
        create_time: r.createTime,
      })
      .onConflict((oc) => oc.columns(['meeting_id', 'email']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
    return this.findById(r.meetingId, r.id);
  }

  /** The meeting's registrant `id`; undefined for another meeting's. */
  async findById(meetingId: number, id: string): Promise<Registrant | undefined> {
    const row = await this.db
      .selectFrom('meeting_registrants')
      .selectAll()
      .where('id', '=', id)
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return row ? toRegistrant(row) : undefined;
  }

  async findByEmail(meetingId: number, email: string): Promise<Registrant | undefined> {
    const row = await this.db
      .selectFrom('meeting_registrants')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? toRegistrant(row) : undefined;
  }

  /** One page of the meeting's registrants in `status`, in registration order after `afterSeq`. */
  async list(
    meetingId: number,
    status: RegistrantStatus,
    afterSeq: number,
    limit: number,
  ): Promise<Registrant[]> {
    const rows = await this.db
      .selectFrom('meeting_registrants')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('status', '=', status)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toRegistrant);
  }

  /** How many of the meeting's registrants are in `status`; in any status when it is omitted. */
  async count(meetingId: number, status?: RegistrantStatus): Promise<number> {
    let query = this.db
      .selectFrom('meeting_registrants')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('meeting_id', '=', meetingId);
    if (status) query = query.where('status', '=', status);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setStatus(seq: number, status: RegistrantStatus): Promise<void> {
    await this.db.updateTable('meeting_registrants').set({ status }).where('seq', '=', seq).execute();
  }

  async delete(seq: number): Promise<boolean> {
    const result = await this.db.deleteFrom('meeting_registrants').where('seq', '=', seq).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The meeting's questions; undefined when none were set (Zoom's defaults apply). */
  async questions(meetingId: number): Promise<RegistrationQuestions | undefined> {
    const row = await this.db
      .selectFrom('meeting_registration_questions')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      questions: JSON.parse(row.questions) as RegistrationQuestions['questions'],
      customQuestions: JSON.parse(row.custom_questions) as RegistrationQuestions['customQuestions'],
    };
  }

  async setQuestions(meetingId: number, q: RegistrationQuestions): Promise<void> {
    const values = {
      questions: JSON.stringify(q.questions),
      custom_questions: JSON.stringify(q.customQuestions),
    };
    await this.db
      .insertInto('meeting_registration_questions')
      .values({ meeting_id: meetingId, ...values })
      .onConflict((oc) => oc.column('meeting_id').doUpdateSet(values))
      .execute();
  }
}
