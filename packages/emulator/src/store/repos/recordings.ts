/**
 * Cloud recordings and their files (migration 0022): what a meeting instance's end writes when its
 * meeting records to the cloud (live/engine.ts), and what the Cloud Recording operations read, trash,
 * recover and delete.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Recording, RecordingFile } from '../models.js';
import type { Database, RecordingFileTable, RecordingTable } from '../schema.js';
import { instanceCopyColumns, instanceCopyFields } from './instances.js';

function toRecording(row: Selectable<RecordingTable>): Recording {
  return {
    seq: Number(row.seq),
    ...instanceCopyFields(row),
    endTime: Number(row.end_time),
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    trashedAt: row.trashed_at === null ? null : Number(row.trashed_at),
  };
}

function toFile(row: Selectable<RecordingFileTable>): RecordingFile {
  return {
    seq: Number(row.seq),
    id: row.id,
    recordingUuid: row.recording_uuid,
    fileType: row.file_type,
    fileExtension: row.file_extension,
    recordingType: row.recording_type,
    asset: row.asset,
    fileSize: Number(row.file_size),
    recordingStart: Number(row.recording_start),
    recordingEnd: Number(row.recording_end),
    trashedAt: row.trashed_at === null ? null : Number(row.trashed_at),
  };
}

/** Which recordings a user's list shows: those out of the trash, or one of the trash's two views. */
export type RecordingListKind = 'active' | 'trashedRecordings' | 'trashedFiles';

export class RecordingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
    r: Omit<Recording, 'seq' | 'trashedAt'>,
    files: Omit<RecordingFile, 'seq' | 'trashedAt' | 'recordingUuid'>[],
  ): Promise<Recording> {
    await this.db
      .insertInto('recordings')
      .values({
        ...instanceCopyColumns(r),
        end_time: r.endTime,
        settings: JSON.stringify(r.settings),
        trashed_at: null,
      })
      .execute();
    if (files.length > 0) {
      await this.db
        .insertInto('recording_files')
        .values(
          files.map((f) => ({
            id: f.id,
            recording_uuid: r.uuid,
            file_type: f.fileType,
            file_extension: f.fileExtension,
            recording_type: f.recordingType,
            asset: f.asset,
            file_size: f.fileSize,
            recording_start: f.recordingStart,
            recording_end: f.recordingEnd,
            trashed_at: null,
          })),
        )
        .execute();
    }
    return (await this.findByUuid(r.uuid)) as Recording;
  }

  async findByUuid(uuid: string): Promise<Recording | undefined> {
    const row = await this.db
      .selectFrom('recordings')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row ? toRecording(row) : undefined;
  }

  /** A recording's files in the order they were made, trashed ones included. */
  async files(uuid: string): Promise<RecordingFile[]> {
    const rows = await this.db
      .selectFrom('recording_files')
      .selectAll()
      .where('recording_uuid', '=', uuid)
      .orderBy('seq')
      .execute();
    return rows.map(toFile);
  }

  /** The files of several recordings at once (a list page), by recording uuid. */
  async filesOf(uuids: string[]): Promise<Map<string, RecordingFile[]>> {
    const out = new Map<string, RecordingFile[]>(uuids.map((u) => [u, []]));
    if (uuids.length === 0) return out;
    const rows = await this.db
      .selectFrom('recording_files')
      .selectAll()
      .where('recording_uuid', 'in', uuids)
      .orderBy('seq')
      .execute();
    for (const row of rows) out.get(row.recording_uuid)?.push(toFile(row));
    return out;
  }

  async findFile(id: string): Promise<RecordingFile | undefined> {
    const row = await this.db
      .selectFrom('recording_files')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toFile(row) : undefined;
  }

  /** Moves the recording to the trash (or out of it, with null); its files keep their own state. */
  async setTrashed(uuid: string, at: number | null): Promise<void> {
    await this.db.updateTable('recordings').set({ trashed_at: at }).where('uuid', '=', uuid).execute();
  }

  async setFileTrashed(id: string, at: number | null): Promise<void> {
    await this.db.updateTable('recording_files').set({ trashed_at: at }).where('id', '=', id).execute();
  }

  /** Every trashed file of the recording back out of the trash. */
  async recoverFiles(uuid: string): Promise<void> {
    await this.db
      .updateTable('recording_files')
      .set({ trashed_at: null })
      .where('recording_uuid', '=', uuid)
      .where('trashed_at', 'is not', null)
      .execute();
  }

  /** Deletes the recording and its files for good. */
  async delete(uuid: string): Promise<void> {
    await this.db.deleteFrom('recording_files').where('recording_uuid', '=', uuid).execute();
    await this.db.deleteFrom('recordings').where('uuid', '=', uuid).execute();
  }

  async deleteFile(id: string): Promise<void> {
    await this.db.deleteFrom('recording_files').where('id', '=', id).execute();
  }

  /**
   * Empties the trash of what went there before `cutoff`, at most `limit` recordings and `limit` files
   * (the sweeper's batch): whole recordings with their files, then single files, and a recording left
   * without files goes with its last one. Returns how many recordings and files went.
   */
  async purgeTrashedBefore(cutoff: number, limit: number): Promise<number> {
    const recordings = (
      await this.db
        .selectFrom('recordings')
        .select('uuid')
        .where('trashed_at', '<', cutoff)
        .orderBy('trashed_at')
        .limit(limit)
        .execute()
    ).map((r) => r.uuid);
    const files = await this.db
      .selectFrom('recording_files')
      .select(['id', 'recording_uuid'])
      .where('trashed_at', '<', cutoff)
      .orderBy('trashed_at')
      .limit(limit)
      .execute();
    if (recordings.length > 0) {
      await this.db.deleteFrom('recording_files').where('recording_uuid', 'in', recordings).execute();
      await this.db.deleteFrom('recordings').where('uuid', 'in', recordings).execute();
    }
    const ids = files.map((f) => f.id);
    if (ids.length > 0) {
      await this.db.deleteFrom('recording_files').where('id', 'in', ids).execute();
      const touched = [...new Set(files.map((f) => f.recording_uuid))];
      const left = new Set(
        (
          await this.db
            .selectFrom('recording_files')
            .select('recording_uuid')
            .where('recording_uuid', 'in', touched)
            .execute()
        ).map((r) => r.recording_uuid),
      );
      const empty = touched.filter((uuid) => !left.has(uuid));
      if (empty.length > 0) await this.db.deleteFrom('recordings').where('uuid', 'in', empty).execute();
    }
    return recordings.length + files.length;
  }

  async updateSettings(uuid: string, settings: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('recordings')
      .set({
        settings: JSON.stringify(settings),
        ...(typeof settings.topic === 'string' ? { topic: settings.topic } : {}),
      })
      .where('uuid', '=', uuid)
      .execute();
  }

  /**
   * A page of the host's recordings in start order after the keyset position `afterSeq`, and how many
   * there are in all: `active` those out of the trash with a file out of the trash, started in
   * [from, to); `trashedRecordings` those in the trash; `trashedFiles` those out of it with a file in it.
   */
  async listForHost(
    hostId: string,
    kind: RecordingListKind,
    range: { from: number; to: number } | undefined,
    afterSeq: number,
    limit: number,
    meetingId?: number,
  ): Promise<{ rows: Recording[]; total: number }> {
    let query = this.db.selectFrom('recordings as r').where('r.host_id', '=', hostId);
    if (range) query = query.where('r.start_time', '>=', range.from).where('r.start_time', '<', range.to);
    if (meetingId !== undefined) query = query.where('r.meeting_id', '=', meetingId);
    if (kind === 'trashedRecordings') {
      query = query.where('r.trashed_at', 'is not', null);
    } else {
      const fileTrashed = kind === 'trashedFiles';
      query = query.where('r.trashed_at', 'is', null).where((eb) =>
        eb.exists(
          eb
            .selectFrom('recording_files as f')
            .select('f.seq')
            .whereRef('f.recording_uuid', '=', 'r.uuid')
            .where('f.trashed_at', fileTrashed ? 'is not' : 'is', null),
        ),
      );
    }
    const counted = await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
    const rows = await query
      .selectAll('r')
      .where('r.seq', '>', afterSeq)
      .orderBy('r.seq')
      .limit(limit)
      .execute();
    return { rows: rows.map(toRecording), total: Number(counted?.n ?? 0) };
  }
}
