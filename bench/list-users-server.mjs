/**
 * A Zemu (compiled, in memory, silent, rate limits off) whose demo account holds N extra active users,
 * for bench/list-users.ts. Users go straight into the store in batches: the bench measures listing,
 * not creation. Prints one JSON line {url, demo, users}, then serves until SIGTERM.
 */
import { randomBytes, randomInt } from 'node:crypto';

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 0) {
  process.stderr.write('usage: list-users-server.mjs <number of users>\n');
  process.exit(2);
}
const { startZemu } = await import('../packages/emulator/dist/server.js');
const zemu = await startZemu({ memory: true, port: 0, logLevel: 'silent', env: {}, rateLimits: false });
const { store, clock } = zemu.built.ctx;
const BATCH = 500;
await store.transaction(async (trx) => {
  for (let start = 0; start < count; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      rows.push({
        id: randomBytes(16).toString('base64url'),
        account_id: zemu.demo.account_id,
        email: `bench-${i}@list.bench`,
        first_name: 'Bench',
        last_name: String(i),
        display_name: `Bench ${i}`,
        type: 1,
        status: 'active',
        role_id: '2',
        login_type: 100,
        creation_action: 'create',
        pmi: randomInt(2_000_000_000, 9_999_999_999),
        timezone: 'UTC',
        language: 'en-US',
        dept: '',
        job_title: '',
        company: '',
        location: '',
        verified: 1,
        password_hash: null,
        zak_version: 0,
        created_at: clock.now(),
        last_login_time: null,
        profile: '{}',
      });
    }
    await trx.db.insertInto('users').values(rows).execute();
  }
});
process.stdout.write(`${JSON.stringify({ url: zemu.url, demo: zemu.demo, users: count })}\n`);
process.on('SIGTERM', () => void zemu.close().then(() => process.exit(0)));
