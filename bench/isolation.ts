/**
 * Test isolation (`npm run bench:isolation`): reset and snapshot restore of a world of 1,000 users,
 * 20 apps and 5,000 tokens (SQLite in memory), and a file of 100 tests that resets before each test
 * against one that starts a Zemu per test. Medians; the bare baseline of the last figure is the
 * per-test Zemu measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { startZemu } from '@zemu/emulator';

const quiet = { port: 0, memory: true, logLevel: 'silent' as const, env: {}, rateLimits: false };
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

const zemu = await startZemu(quiet);
const { ctx } = zemu.built;

async function growWorld(): Promise<void> {
  const account = await zemu.account({ users: 0, apps: [] });
  const apps = [];
  for (let i = 0; i < 20; i++) {
    apps.push(
      await ctx.world.createApp(account.id, {
        name: `bench ${i}`,
        type: 'server_to_server',
        scopes: ['user:read:user:admin'],
      }),
    );
  }
  const users = await zemu.account({ users: 999, apps: [] });
  for (let i = 0; i < 5000; i++) {
    const app = apps[i % apps.length]?.app;
    if (!app) throw new Error('no app');
    await ctx.tokens.issue({
      accountId: account.id,
      clientId: app.clientId,
      userId: users.owner.id,
      grantType: 'account_credentials',
      scopes: ['user:read:user:admin'],
    });
  }
}

await growWorld();
const counts = await Promise.all(
  ['users', 'apps', 'tokens'].map(async (t) => {
    const row = await ctx.store.db
      .selectFrom(t as 'users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return `${t} ${row.n}`;
  }),
);
const big = await zemu.snapshot('big');
await zemu.reset(); // the first reset builds the start state once (the demo owner's password hash)

const resets: number[] = [];
const restores: number[] = [];
for (let i = 0; i < 30; i++) {
  let t = performance.now();
  await zemu.restore(big);
  restores.push(performance.now() - t);
  t = performance.now();
  await zemu.reset();
  resets.push(performance.now() - t);
}
console.log(`world: ${counts.join(', ')}`);
console.log(`reset of that world        median ${fmt(median(resets))} (target <= 10 ms)`);
console.log(`snapshot restore of it     median ${fmt(median(restores))} (target <= 20 ms)`);

// A "test": a token and one API call, over plain fetch so that the client's own cost stays out.
async function oneTest(z: Awaited<ReturnType<typeof startZemu>>): Promise<void> {
  const basic = Buffer.from(`${z.demo.client_id}:${z.demo.client_secret}`).toString('base64');
  const issued = await fetch(
    `${z.url}/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
    {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    },
  );
  const { access_token } = (await issued.json()) as { access_token: string };
  const me = await fetch(`${z.url}/v2/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
  if (((await me.json()) as { id: string }).id !== z.demo.user_id) throw new Error('wrong user');
}

let t = performance.now();
for (let i = 0; i < 100; i++) {
  await zemu.reset();
  await oneTest(zemu);
}
const withReset = performance.now() - t;
await zemu.close();

t = performance.now();
for (let i = 0; i < 100; i++) {
  const own = await startZemu(quiet);
  await oneTest(own);
  await own.close();
}
const perTest = performance.now() - t;
console.log(`100 tests, reset before each: ${fmt(withReset)}`);
console.log(`100 tests, a Zemu per test:   ${fmt(perTest)}`);
console.log(`ratio: ${(perTest / withReset).toFixed(1)}x (target >= 10x)`);
