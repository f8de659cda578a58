/**
 * Past-meeting lists at scale (`npm run bench:lists`): GET /past_meetings/{id}/instances and
 * GET /report/users/{userId}/meetings, timed against a world of 1,000 and of 100,000 ended meetings
 * (SQLite in memory, rows seeded through the store's Kysely in batches, not through HTTP). The
 * measured meeting and the measured report day hold the same rows in both worlds; the rest of the
 * meetings are the demo host's on other days. Median of sequential requests on loopback; the ratio
 * 100k/1k per list should stay at or under 1.2 (flat). No recordings table exists yet.
 */
import { performance } from 'node:perf_hooks';
import { startZemu } from '@zemu/emulator';
import type { MeetingInstanceTable, MeetingParticipantTable } from '../packages/emulator/src/store/schema.js';

const REQUESTS = 400;
const BATCH = 500;
const DAY = '2031-03-04';
const DAY_MS = Date.parse(`${DAY}T00:00:00Z`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function measure(total: number) {
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
      });
    }
    const token = await zemu.client().auth.getToken();
    const headers = { authorization: `Bearer ${token.accessToken}` };
    const time = async (path: string) => {
      const first = await fetch(`${zemu.url}/v2${path}`, { headers });
      if (first.status !== 200) throw new Error(`${path}: ${first.status} ${await first.text()}`);
      await first.text();
      const samples: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${zemu.url}/v2${path}`, { headers });
        await res.text();
        samples.push(performance.now() - t0);
      }
      return median(samples);
    };
    return {
      instances: await time(`/past_meetings/${measuredMeeting}/instances`),
      report: await time(`/report/users/${host}/meetings?from=${DAY}&to=${DAY}&page_size=30`),
    };
  } finally {
    await zemu.close();
  }
}

const small = await measure(1_000);
const large = await measure(100_000);
for (const key of ['instances', 'report'] as const) {
  const ratio = large[key] / small[key];
  console.log(
    `${key === 'instances' ? 'GET /past_meetings/{id}/instances' : 'GET /report/users/{userId}/meetings'}: ` +
      `1k ${small[key].toFixed(3)} ms, 100k ${large[key].toFixed(3)} ms, ratio ${ratio.toFixed(2)} ${ratio <= 1.2 ? '(flat)' : '(NOT flat)'}`,
  );
}
