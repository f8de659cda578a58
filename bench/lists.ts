/**
 * Past-meeting and recording lists at scale (`npm run bench:lists`): GET /past_meetings/{id}/instances,
 * GET /report/users/{userId}/meetings, GET /meetings/{id}/recordings and GET /users/{userId}/recordings,
 * timed against a world of 1,000 and of 100,000 ended meetings, each with a cloud recording of three
 * files (SQLite in memory, rows seeded through the store's Kysely in batches, not through HTTP). The
 * measured meeting and the measured report day hold the same rows in both worlds; the rest of the
 * meetings are the demo host's on other days. Both worlds run at once and are asked in turn (median of
 * sequential requests on loopback, after a warm-up), so drift and noise fall on both; the ratio
 * 100k/1k per list should stay at or under 1.2 (flat).
 */
import { performance } from 'node:perf_hooks';
import { startZemu } from '@zemu/emulator';
import type {
  MeetingInstanceTable,
  MeetingParticipantTable,
  RecordingFileTable,
  RecordingTable,
} from '../packages/emulator/src/store/schema.js';

const FILES = [
  ['MP4', 'MP4', 'shared_screen_with_speaker_view', 'recording.mp4'],
  ['M4A', 'M4A', 'audio_only', 'audio.m4a'],
  ['TRANSCRIPT', 'VTT', 'audio_transcript', 'transcript.vtt'],
] as const;

const REQUESTS = 400;
const BATCH = 500;
const DAY = '2031-03-04';
const DAY_MS = Date.parse(`${DAY}T00:00:00Z`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function world(total: number) {
  const zemu = await startZemu({ port: 0, memory: true, logLevel: 'silent', env: {}, rateLimits: false });
  try {
    const { ctx } = zemu.built;
    const db = ctx.store.db;
    const host = zemu.demo.user_id;
    const account = zemu.demo.account_id;
    await zemu.clock.set(`${DAY}T23:00:00Z`);
    const measuredMeeting = 90_000_000_001;
    let seq = 0;
    for (let start = 0; start < total; start += BATCH) {
      const rows: Omit<MeetingInstanceTable, 'seq'>[] = [];
      const people: Omit<MeetingParticipantTable, 'seq'>[] = [];
      const recordings: Omit<RecordingTable, 'seq'>[] = [];
      const files: Omit<RecordingFileTable, 'seq'>[] = [];
      for (let i = start; i < Math.min(total, start + BATCH); i++) {
        seq++;
        // 5 instances of the measured meeting and 20 other meetings on the measured day; the rest
        // on the 300 days before it.
        const onDay = i < 25;
        const startTime = onDay
          ? DAY_MS + i * 60_000
          : DAY_MS - (1 + (i % 300)) * 86_400_000 + (i % 1000) * 1000;
        const uuid = `bench${String(seq).padStart(17, '0')}==`;
        rows.push({
          uuid,
          meeting_id: i < 5 ? measuredMeeting : 90_000_000_100 + i,
          account_id: account,
          host_id: host,
          topic: `bench ${i}`,
          type: 2,
          timezone: 'UTC',
          duration: 30,
          start_time: startTime,
          end_time: startTime + 30 * 60_000,
        });
        const meetingId = i < 5 ? measuredMeeting : 90_000_000_100 + i;
        const endTime = startTime + 30 * 60_000;
        recordings.push({
          uuid,
          meeting_id: meetingId,
          account_id: account,
          host_id: host,
          topic: `bench ${i}`,
          type: 2,
          timezone: 'UTC',
          start_time: startTime,
          end_time: endTime,
          settings: '{}',
          trashed_at: null,
        });
        for (const [k, [fileType, extension, recordingType, asset]] of FILES.entries()) {
          files.push({
            id: `00000000-0000-4000-8000-${String(seq * 3 + k).padStart(12, '0')}`,
            recording_uuid: uuid,
            file_type: fileType,
            file_extension: extension,
            recording_type: recordingType,
            asset,
            file_size: 1000,
            recording_start: startTime,
            recording_end: endTime,
            trashed_at: null,
          });
        }
        for (const [k, name] of ['Host', 'Guest'].entries()) {
          people.push({
            instance_uuid: uuid,
            meeting_id: i < 5 ? measuredMeeting : 90_000_000_100 + i,
            participant_id: String(16_778_240 + 1024 * k),
            participant_uuid: `p${k}${uuid}`,
            user_id: k === 0 ? host : null,
            name,
            email: '',
            is_host: k === 0 ? 1 : 0,
            join_time: startTime,
            leave_time: startTime + 30 * 60_000,
            leave_reason: 'left the meeting. Reason : left the meeting',
          });
        }
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('meeting_instances').values(rows).execute();
        await trx.insertInto('meeting_participants').values(people).execute();
        await trx.insertInto('recordings').values(recordings).execute();
        await trx.insertInto('recording_files').values(files).execute();
      });
    }
    const token = await zemu.client().auth.getToken();
    const headers = { authorization: `Bearer ${token.accessToken}` };
    /** One request's round trip, ms; the first of each path is checked. */
    const once = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(`${zemu.url}/v2${path}`, { headers });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
      return ms;
    };
    return {
      once,
      close: () => zemu.close(),
      paths: {
        instances: `/past_meetings/${measuredMeeting}/instances`,
        report: `/report/users/${host}/meetings?from=${DAY}&to=${DAY}&page_size=30`,
        recording: `/meetings/${measuredMeeting}/recordings`,
        recordings: `/users/${host}/recordings?from=${DAY}&to=${DAY}&page_size=30`,
      },
    };
  } catch (error) {
    await zemu.close();
    throw error;
  }
}

// Both worlds stay up and are asked in turn, so that warm-up and machine noise fall on both alike.
const small = await world(1_000);
const large = await world(100_000);
const NAMES = {
  instances: 'GET /past_meetings/{id}/instances',
  report: 'GET /report/users/{userId}/meetings',
  recording: 'GET /meetings/{id}/recordings',
  recordings: 'GET /users/{userId}/recordings',
} as const;
try {
  for (const key of Object.keys(NAMES) as Array<keyof typeof NAMES>) {
    const samples = { small: [] as number[], large: [] as number[] };
    for (let i = 0; i < 20; i++) {
      await small.once(small.paths[key]);
      await large.once(large.paths[key]);
    }
    for (let i = 0; i < REQUESTS; i++) {
      samples.small.push(await small.once(small.paths[key]));
      samples.large.push(await large.once(large.paths[key]));
    }
    const [a, b] = [median(samples.small), median(samples.large)];
    const ratio = b / a;
    console.log(
      `${NAMES[key]}: 1k ${a.toFixed(3)} ms, 100k ${b.toFixed(3)} ms, ratio ${ratio.toFixed(2)} ${ratio <= 1.2 ? '(flat)' : '(NOT flat)'}`,
    );
  }
} finally {
  await small.close();
  await large.close();
}
