/** zoom.meetings against a live Zemu: create, get, list (every page), update, delete and typed errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type MeetingListItem,
  type ZoomClient,
  ZoomNotFoundError,
  ZoomRateLimitError,
  ZoomValidationError,
} from '@zemu/client';
import { type LiveZemu, liveZemu } from './helpers.js';

describe('zoom.meetings against Zemu', () => {
  let z: LiveZemu;
  let zoom: ZoomClient;
  before(async () => {
    z = await liveZemu();
    zoom = z.client();
  });
  after(() => z.close());

  test('create, get, update, delete', async () => {
    const created = await zoom.meetings.create('me', {
      topic: 'Client sync',
      type: 2,
      start_time: '2030-04-01T15:00:00Z',
      duration: 30,
      settings: { waiting_room: true },
    });
    assert.equal(typeof created.id, 'number');
    assert.equal(created.topic, 'Client sync');
    assert.equal(created.host_id, z.demo.user_id);
    assert.equal(created.status, 'waiting');
    assert.ok(created.start_url?.includes(`/s/${created.id}?zak=`));

    const got = await zoom.meetings.get(created.id as number);
    assert.equal(got.uuid, created.uuid);
    assert.equal(got.settings?.waiting_room, true);

    await zoom.meetings.update(String(created.id), { topic: 'Renamed', duration: 45 });
    const renamed = await zoom.meetings.get(created.id as number);
    assert.equal(renamed.topic, 'Renamed');
    assert.equal(renamed.duration, 45);

    await zoom.meetings.delete(created.id as number, { schedule_for_reminder: false });
    await assert.rejects(zoom.meetings.get(created.id as number), (e: unknown) => {
      assert.ok(e instanceof ZoomNotFoundError);
      assert.equal(e.code, 3001);
      return true;
    });
  });

  test('list follows next_page_token over every page', async () => {
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'many@demo.zemu.test',
    });
    const hostId = user.body.id as string;
    const made = new Set<number>();
    for (let i = 0; i < 25; i++) {
      const m = await zoom.meetings.create(hostId, {
        topic: `m${i}`,
        start_time: `2030-01-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
      });
      made.add(m.id as number);
    }
    const seen: MeetingListItem[] = [];
    for await (const m of zoom.meetings.list(hostId, { page_size: 10 })) seen.push(m);
    assert.equal(seen.length, 25);
    assert.deepEqual(new Set(seen.map((m) => m.id)), made);
    assert.deepEqual(
      seen.slice(0, 3).map((m) => m.topic),
      ['m0', 'm1', 'm2'],
      'by start time',
    );
    const pages = [];
    for await (const page of zoom.meetings.list(hostId, { page_size: 10 }).pages())
      pages.push(page.meetings?.length);
    assert.deepEqual(pages, [10, 10, 5]);
  });

  test('validation and the daily write cap arrive as typed errors', async () => {
    await assert.rejects(
      // @ts-expect-error: type 5 is not a meeting type, which Zemu refuses like Zoom
      zoom.meetings.create('me', { topic: 'bad', type: 5 }),
      (e: unknown) => {
        assert.ok(e instanceof ZoomValidationError);
        assert.equal(e.code, 300);
        assert.deepEqual(
          e.errors.map((x) => x.field),
          ['type'],
        );
        return true;
      },
    );
    const user = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'capped@demo.zemu.test',
    });
    for (let i = 0; i < 100; i++) await zoom.meetings.create(user.body.id, { topic: `w${i}` });
    await assert.rejects(zoom.meetings.create(user.body.id, { topic: 'one too many' }), (e: unknown) => {
      assert.ok(e instanceof ZoomRateLimitError);
      assert.equal(e.daily, true);
      assert.equal(e.rateLimitLimit, 100);
      assert.match(e.message, /daily rate limit \(100\) of Meeting Create\/Update/);
      return true;
    });
  });

  test("the README's Meetings example runs as written", { timeout: 60_000 }, async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const block = /## Meetings[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, 'README has the example');
    const { account_id: accountId, client_id: clientId, client_secret: clientSecret } = z.demo;
    const prelude = [
      "import { ZoomClient } from '@zemu/client';",
      `const zoom = new ZoomClient({ baseUrl: ${JSON.stringify(z.url)}, auth: { type: 'server_to_server', accountId: ${JSON.stringify(accountId)}, clientId: ${JSON.stringify(clientId)}, clientSecret: ${JSON.stringify(clientSecret)} } });`,
    ].join('\n');
    const file = fileURLToPath(new URL(`../.readme-meetings-${process.pid}.ts`, import.meta.url));
    writeFileSync(file, `${prelude}\n${block}`);
    try {
      const run = await promisify(execFile)(
        process.execPath,
        ['--conditions=zemu-source', '--import', 'tsx', file],
        {
          encoding: 'utf8',
          timeout: 50_000,
        },
      );
      assert.match(run.stdout, /^\d{11} Sync$/m, run.stdout + run.stderr);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
