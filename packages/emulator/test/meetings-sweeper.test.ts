/**
 * The lifecycle's sweeper (live/sweeper.ts): a meeting whose scheduled end the emulated clock passes
 * is closed at that end, with its webhooks, on the clock change itself (no read of the meeting) and
 * on a real-time timer; several sweepers at once close it once (SQLite, and two Zemus on one
 * PostgreSQL); ended instances and their participants go 730 days after they ended; a pass is
 * bounded and the sweeper stops with the app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import { Clock } from '../src/clock.js';
import { PAST_MEETING_RETENTION_MS, Sweeper } from '../src/live/sweeper.js';
import { pathUuid, postgresSchema, recordedEvents, startTestZemu, type TestZemu } from './helpers.js';
import { postgresRequirement } from './requirements.js';

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const START = Date.parse('2031-05-06T09:00:00Z');
const DAY = 24 * 3600;

const postgres = await postgresRequirement();

interface Made {
  id: number;
  uuid: string;
}

async function meeting(z: TestZemu, token: string, body: Record<string, unknown> = {}): Promise<Made> {
  const res = await z.api('POST', '/users/me/meetings', token, { topic: 'Swept', duration: 15, ...body });
  assert.equal(res.status, 201, res.text);
  return res.body as Made;
}

async function startWithGuest(z: TestZemu, token: string, body: Record<string, unknown> = {}) {
  const m = await meeting(z, token, body);
  assert.equal(
    (await z.control('POST', `/meetings/${m.id}/participants`, { user_id: z.demo.user_id })).status,
    201,
  );
  assert.equal((await z.control('POST', `/meetings/${m.id}/participants`, { name: 'Stayer' })).status, 201);
  return m;
}

/** The events of one instance, read from the outbox (which never settles a meeting). */
async function eventsOf(z: TestZemu, uuid: string) {
  return (await recordedEvents(z)).filter(
    (e) => e.event.startsWith('meeting.') && e.event !== 'meeting.created' && e.payload.object.uuid === uuid,
  );
}

sweeperSuite('SQLite', undefined);
sweeperSuite('PostgreSQL', 'skip' in postgres && postgres.skip ? postgres.skip : postgresSchema('sweeper'));

function sweeperSuite(storeName: string, pg: ReturnType<typeof postgresSchema> | string | undefined) {
  describe(`the sweeper on ${storeName}`, { skip: typeof pg === 'string' && pg }, () => {
    let z: TestZemu;
    let token: string;
    const options = () => (typeof pg === 'object' ? { databaseUrl: pg.url } : {});
    const advance = async (seconds: number) => {
      const res = await z.control('POST', '/clock', { advance: seconds });
      assert.equal(res.status, 200, res.text);
      token = await z.s2sToken();
    };
    const swept = () => z.zemu.built.sweeper.idle();

    before(async () => {
      if (typeof pg === 'object') await pg.create();
      z = await startTestZemu(options());
      await z.control('POST', '/clock', { set: iso(START), frozen: true });
      token = await z.s2sToken();
    });
    after(async () => {
      await z.close();
      if (typeof pg === 'object') await pg.drop();
    });

    test('a clock advance past the scheduled end closes the meeting then, with its webhooks, unread', async () => {
      const { store } = z.zemu.built.ctx;
      const startedAt = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const m = await startWithGuest(z, token);
      await advance(14 * 60);
      await swept();
      assert.equal((await store.meetings.findById(m.id))?.status, 'started', 'before its end it runs on');
      assert.deepEqual(await eventsOf(z, m.uuid).then((e) => e.map((x) => x.event)), [
        'meeting.started',
        'meeting.participant_joined',
        'meeting.participant_joined',
      ]);

      await advance(2 * 3600);
      await swept(); // the sweep the clock change asked for; nothing reads the meeting meanwhile
      const instance = await store.instances.findByUuid(m.uuid);
      assert.equal(instance?.endTime, startedAt + 15 * 60_000, 'closed at exactly its scheduled end');
      const after = await store.meetings.findById(m.id);
      assert.equal(after?.status, 'waiting');
      assert.notEqual(after?.uuid, m.uuid, 'the next instance has a new uuid');
      const events = await eventsOf(z, m.uuid);
      assert.deepEqual(
        events.slice(3).map((e) => e.event),
        ['meeting.participant_left', 'meeting.participant_left', 'meeting.ended'],
      );
      const ended = events.at(-1);
      assert.equal(ended?.payload.object.end_time, iso(startedAt + 15 * 60_000));
      for (const left of events.slice(3, 5)) {
        assert.equal(left.payload.object.participant.leave_time, iso(startedAt + 15 * 60_000));
        assert.match(left.payload.object.participant.leave_reason, /scheduled end/);
      }
      const past = await z.api('GET', `/past_meetings/${m.id}`, token);
      assert.equal(past.status, 200, past.text);
      assert.equal(past.body.duration, 15);
    });

    test('setting the clock (not only advancing it) sweeps too', async () => {
      const now = (await z.control('GET', '/clock')).body.epoch_ms as number;
      const m = await startWithGuest(z, token, { duration: 30 });
      assert.equal((await z.control('POST', '/clock', { set: iso(now + 31 * 60_000) })).status, 200);
      await swept();
      assert.equal((await eventsOf(z, m.uuid)).at(-1)?.event, 'meeting.ended');
    });

    test('several sweepers at once close each meeting once', async () => {
      const made = [
        await startWithGuest(z, token),
        await startWithGuest(z, token),
        await startWithGuest(z, token),
      ];
      const { ctx } = z.zemu.built;
      const others = [1, 2].map(() => new Sweeper(ctx, ctx.log));
      // A second Zemu on the same PostgreSQL sweeps too, once it has adopted the clock.
      const second = typeof pg === 'object' ? await startTestZemu(options()) : undefined;
      try {
        await advance(3600);
        if (second) assert.equal((await second.control('GET', '/clock')).status, 200);
        const results = await Promise.all([
          ...others.map((s) => s.sweep()),
          second?.zemu.built.sweeper.sweep(),
        ]);
        await swept();
        await second?.zemu.built.sweeper.idle();
        assert.ok(results.every((r) => r === undefined || r.complete));
        const all = await recordedEvents(z);
        for (const m of made) {
          const of = (name: string) =>
            all.filter((e) => e.event === name && e.payload.object.id === String(m.id));
          assert.equal(of('meeting.ended').length, 1, `meeting ${m.id} ended once`);
          assert.equal(of('meeting.ended')[0]?.payload.object.uuid, m.uuid);
          assert.equal(of('meeting.participant_left').length, 2);
          assert.equal(of('meeting.started').length, 1, 'no instance was opened again');
        }
      } finally {
        await second?.close();
      }
    });

    test('an ended instance and its participants go 730 days after it ended, not before', async () => {
      const { store } = z.zemu.built.ctx;
      assert.equal(PAST_MEETING_RETENTION_MS, 730 * DAY * 1000);
      const m = await startWithGuest(z, token, { duration: 60 });
      await advance(600);
      assert.equal((await z.api('PUT', `/meetings/${m.id}/status`, token, { action: 'end' })).status, 204);
      const count = async () =>
        (await store.instances.listParticipants(m.uuid, 0, 100)).length +
        ((await store.instances.findByUuid(m.uuid)) ? 100 : 0);
      assert.equal(await count(), 102);

      await advance(730 * DAY - 60);
      await swept();
      assert.equal(await count(), 102, 'kept until 730 days after its end');
      const kept = await z.api('GET', `/past_meetings/${pathUuid(m.uuid)}`, token);
      // Zoom answers a past meeting over a year old with 12702; the instance is still there to say so.
      assert.equal(kept.status, 400, kept.text);
      assert.equal(kept.body.code, 12702);

      await advance(61);
      await swept();
      assert.equal(await count(), 0, 'the instance and its participants are gone');
      const gone = await z.api('GET', `/past_meetings/${pathUuid(m.uuid)}`, token);
      assert.equal(gone.status, 404, gone.text);
      assert.equal(gone.body.code, 3001);
      const byId = await z.api('GET', `/past_meetings/${m.id}/instances`, token);
      assert.deepEqual(byId.body.meetings ?? [], []);
    });
  });
}

describe('the sweeper alone: its timer, its budget, its stop', () => {
  let z: TestZemu;
  let token: string;
  before(async () => {
    z = await startTestZemu();
    await z.control('POST', '/clock', { set: iso(START), frozen: true });
    token = await z.s2sToken();
  });
  after(() => z.close());

  /** A sweeper with a clock of its own, ahead of the app's (whose sweeper then has nothing to do). */
  const aheadBy = (ms: number, options?: ConstructorParameters<typeof Sweeper>[2]) => {
    const { ctx } = z.zemu.built;
    const clock = new Clock({ frozenAt: ctx.clock.now() + ms });
    return {
      clock,
      sweeper: new Sweeper({ store: ctx.store, clock, publicUrl: () => ctx.publicUrl() }, ctx.log, options),
    };
  };

  test('every intervalMs of real time, with no clock change, a pass runs', async () => {
    const { store } = z.zemu.built.ctx;
    const m = await startWithGuest(z, token);
    mock.timers.enable({ apis: ['setInterval'] });
    // The first pass after start far off, so that only the interval can sweep here.
    const { clock, sweeper } = aheadBy(10 * 60_000, { intervalMs: 10_000, startDelayMs: 600_000 });
    try {
      sweeper.start();
      await sweeper.idle();
      assert.equal((await store.meetings.findById(m.id))?.status, 'started');
      clock.set(clock.now() + 3600_000); // nothing listens to this clock: only the timer can sweep
      await sweeper.idle();
      mock.timers.tick(9_999);
      await sweeper.idle();
      assert.equal((await store.meetings.findById(m.id))?.status, 'started');
      mock.timers.tick(1);
      await sweeper.idle();
      assert.equal((await store.meetings.findById(m.id))?.status, 'waiting');
    } finally {
      await sweeper.stop();
      mock.timers.reset();
    }
  });

  test('a pass does bounded work and asks for the next one', async () => {
    const made: Made[] = [];
    for (let i = 0; i < 5; i++) made.push(await startWithGuest(z, token));
    const { sweeper } = aheadBy(3600_000, { batchSize: 2, maxBatchesPerPass: 2 });
    const first = await sweeper.sweep();
    assert.deepEqual(first, { ended: 4, pruned: 0, purged: 0, complete: false });
    const second = await sweeper.sweep();
    assert.deepEqual(second, { ended: 1, pruned: 0, purged: 0, complete: true });
    assert.deepEqual(await sweeper.sweep(), { ended: 0, pruned: 0, purged: 0, complete: true });
    for (const m of made) assert.equal((await eventsOf(z, m.uuid)).at(-1)?.event, 'meeting.ended');
  });

  test('stopped, it sweeps nothing; the app stops its own on close', async () => {
    const m = await startWithGuest(z, token);
    const { sweeper } = aheadBy(3600_000);
    await sweeper.stop();
    assert.deepEqual(await sweeper.sweep(), { ended: 0, pruned: 0, purged: 0, complete: true });
    assert.equal((await z.zemu.built.ctx.store.meetings.findById(m.id))?.status, 'started');

    const other = await startTestZemu();
    const own = other.zemu.built.sweeper;
    await other.close();
    assert.deepEqual(await own.sweep(), { ended: 0, pruned: 0, purged: 0, complete: true });
  });
});
