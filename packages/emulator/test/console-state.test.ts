/**
 * The console's State page without a browser: what the fragment shows (snapshots newest first, paged,
 * escaped; the destructive writes marked for confirmation), the closed gate over it, the cross-origin
 * refusal of every write it makes, and the control API's answers it shows in words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SNAPSHOTS_PER_PAGE } from '../src/console/fragments.js';
import { startTestZemu, type TestZemu } from './helpers.js';

/** The rows of the snapshots table, as their snapshot ids, in the order shown. */
const snapshotRows = (text: string) => [...text.matchAll(/<tr data-snapshot="([^"]+)">/g)].map((m) => m[1]);

describe('the State page behind a closed gate', () => {
  const adminToken = 'console-state-token-0123456789';
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ adminToken });
    // What the gate sees of a Zemu bound beyond loopback (tests bind 127.0.0.1 only).
    z.zemu.built.ctx.config.host = '0.0.0.0';
  });
  after(() => z.close());

  test('the fragment and the export need the admin token; nothing of the state leaks without it', async () => {
    const snapshot = await z.request('POST', '/_zemu/snapshots', {
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'gated' }),
    });
    assert.equal(snapshot.status, 201, snapshot.text);
    for (const path of ['/_zemu/console/f/state', '/_zemu/export', '/_zemu/snapshots']) {
      const closed = await z.request('GET', path);
      assert.equal(closed.status, 401, path);
      assert.equal(closed.body.code, 124);
      assert.ok(!closed.text.includes(snapshot.body.id), path);
      assert.ok(!closed.text.includes(z.demo.account_id), path);
    }
    const open = await z.request('GET', '/_zemu/console/f/state', {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    assert.equal(open.status, 200);
    assert.ok(open.text.includes(snapshot.body.id));
  });
});

describe('the State page', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu();
  });
  after(() => z.close());

  test('lists snapshots newest first with their clock and size; names are escaped', async () => {
    const first = await z.control('POST', '/snapshots', { name: 'first <b>bold</b>' });
    await z.control('POST', '/clock', { advance: 3600 });
    const second = await z.control('POST', '/snapshots', {});
    assert.equal(first.status, 201, first.text);
    assert.equal(second.status, 201, second.text);
    const page = await z.request('GET', '/_zemu/console/f/state');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.deepEqual(snapshotRows(page.text).slice(0, 2), [second.body.id, first.body.id]);
    assert.ok(page.text.includes('first &lt;b&gt;bold&lt;/b&gt;'));
    assert.ok(!page.text.includes('<b>bold</b>'));
    assert.ok(page.text.includes('(no name)'));
    assert.ok(page.text.includes(first.body.clock));
    assert.ok(page.text.includes(second.body.clock));
    assert.match(page.text, /id="state-snapshot-count">2</);
    // Each row's buttons name their snapshot for a screen reader.
    assert.ok(page.text.includes(`aria-label="Restore snapshot ${second.body.id}"`));
    assert.ok(page.text.includes('aria-label="Restore snapshot first &lt;b&gt;bold&lt;/b&gt;"'));
    await z.control('DELETE', `/snapshots/${first.body.id}`);
    await z.control('DELETE', `/snapshots/${second.body.id}`);
    const empty = await z.request('GET', '/_zemu/console/f/state');
    assert.match(empty.text, /id="snapshots-empty"/);
    assert.deepEqual(snapshotRows(empty.text), []);
  });

  test('reset, restore, delete and import ask first; the import sends the chosen file; export is a download', async () => {
    const snap = await z.control('POST', '/snapshots', { name: 'marked' });
    const page = (await z.request('GET', '/_zemu/console/f/state')).text;
    const element = (pattern: RegExp) => {
      const found = pattern.exec(page);
      assert.ok(found, `no element matching ${pattern}`);
      return found[0];
    };
    const reset = element(/<button[^>]*data-path="\/_zemu\/reset"[^>]*>/);
    assert.match(reset, /data-method="POST"/);
    assert.match(reset, /data-confirm="Everything goes back to the start state/);
    assert.match(reset, /data-confirm-label="Reset"/);
    const id = snap.body.id as string;
    const restore = element(new RegExp(`<button[^>]*data-path="/_zemu/snapshots/${id}/restore"[^>]*>`));
    assert.match(restore, /data-method="POST"/);
    assert.match(restore, /data-confirm="Everything goes back to the moment it was taken/);
    const remove = element(new RegExp(`<button[^>]*data-path="/_zemu/snapshots/${id}"[^>]*>`));
    assert.match(remove, /data-method="DELETE"/);
    assert.match(remove, /data-confirm=/);
    const importing = element(/<form id="state-import"[^>]*>/);
    assert.match(importing, /data-path="\/_zemu\/import"/);
    assert.match(importing, /data-upload="file"/);
    assert.match(importing, /data-confirm="Everything is replaced by what the document holds/);
    assert.match(
      page,
      /<label for="state-import-file">[^<]+<\/label>\s*<input id="state-import-file"[^>]*type="file"/,
    );
    // Taking a snapshot asks nothing: it changes no state.
    assert.doesNotMatch(element(/<form id="take-snapshot"[^>]*>/), /data-confirm/);
    assert.match(page, /<button type="button" class="download" data-path="\/_zemu\/export"/);
    // The shell's confirmation dialog: Cancel first, and focused by default.
    const shell = (await z.request('GET', '/_zemu/console')).text;
    assert.match(shell, /<dialog id="confirm-dialog"[^>]*aria-labelledby="confirm-title"/);
    assert.match(shell, /<button type="button" id="confirm-cancel"[^>]*autofocus>Cancel<\/button>/);
    assert.match(shell, /<a href="#state" data-page="state">State<\/a>/);
    await z.control('DELETE', `/snapshots/${snap.body.id}`);
  });

  test(`pages snapshots ${SNAPSHOTS_PER_PAGE} at a time, newest first; bad page values are no 500`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < SNAPSHOTS_PER_PAGE + 3; i++)
      ids.push((await z.control('POST', '/snapshots', { name: `s${i}` })).body.id);
    const newestFirst = [...ids].reverse();
    const one = await z.request('GET', '/_zemu/console/f/state');
    assert.deepEqual(snapshotRows(one.text), newestFirst.slice(0, SNAPSHOTS_PER_PAGE));
    assert.match(one.text, new RegExp(`Snapshots 1–${SNAPSHOTS_PER_PAGE} of ${ids.length}, newest first`));
    assert.match(one.text, /href="#state\?page=2">Next page/);
    const two = await z.request('GET', '/_zemu/console/f/state?page=2');
    assert.deepEqual(snapshotRows(two.text), newestFirst.slice(SNAPSHOTS_PER_PAGE));
    assert.doesNotMatch(two.text, /Next page/);
    assert.match(two.text, /href="#state">First page/);
    // Past the end: the last page; nonsense or repeated: the first.
    assert.deepEqual(
      snapshotRows((await z.request('GET', '/_zemu/console/f/state?page=999')).text),
      snapshotRows(two.text),
    );
    for (const query of ['page=abc', 'page=-1', 'page=0', 'page=1&page=2', `page=${'9'.repeat(40)}`]) {
      const res = await z.request('GET', `/_zemu/console/f/state?${query}`);
      assert.equal(res.status, 200, query);
      assert.equal(snapshotRows(res.text).length, SNAPSHOTS_PER_PAGE, query);
    }
    for (const id of ids) await z.control('DELETE', `/snapshots/${id}`);
  });

  test('every write the page makes, sent from another origin: 403, and the state is unchanged', async () => {
    const account = await z.control('POST', '/accounts', {
      name: 'Kept',
      owner: { email: 'kept@kept.test' },
    });
    assert.equal(account.status, 201, account.text);
    const snap = await z.control('POST', '/snapshots', { name: 'target' });
    await z.control('POST', '/accounts', { name: 'After', owner: { email: 'after@after.test' } });
    const exported = await z.control('GET', '/export');
    const evil = { origin: 'http://evil.example' };
    const attempts: [string, string, Record<string, string>, string | undefined][] = [
      ['POST', '/_zemu/reset', { ...evil, 'content-type': 'application/x-www-form-urlencoded' }, 'x=1'],
      ['POST', `/_zemu/snapshots/${snap.body.id}/restore`, evil, undefined],
      ['DELETE', `/_zemu/snapshots/${snap.body.id}`, evil, undefined],
      ['POST', '/_zemu/snapshots', { ...evil, 'content-type': 'text/plain' }, '{"name":"evil"}'],
      ['POST', '/_zemu/import', { ...evil, 'content-type': 'text/plain' }, exported.text],
      ['POST', '/_zemu/import', { origin: 'null', 'content-type': 'application/json' }, exported.text],
    ];
    for (const [method, path, headers, body] of attempts) {
      const res = await z.request(method, path, { headers, ...(body === undefined ? {} : { body }) });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.code, 124);
    }
    const read = await z.request('GET', '/_zemu/export', { headers: evil });
    assert.equal(read.status, 403);
    assert.ok(!read.text.includes('installation_key'));
    const names = (await z.zemu.built.ctx.store.accounts.list()).map((a) => a.name);
    assert.ok(names.includes('Kept') && names.includes('After'), names.join());
    const snapshots = (await z.control('GET', '/snapshots')).body.snapshots.map((s: { id: string }) => s.id);
    assert.ok(snapshots.includes(snap.body.id), 'the snapshot is still there');
    assert.ok(!(await z.control('GET', '/snapshots')).text.includes('"evil"'), 'no snapshot taken');
    await z.control('DELETE', `/snapshots/${snap.body.id}`);
  });

  test('what the page shows when the control API refuses: Zoom-shaped words, never a 500', async () => {
    const unknown = await z.control('POST', '/snapshots/snap_nope/restore');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 1001);
    assert.equal(unknown.body.message, 'Snapshot does not exist: snap_nope.');
    const gone = await z.control('DELETE', '/snapshots/snap_nope');
    assert.equal(gone.status, 404);
    const long = await z.control('POST', '/snapshots', { name: 'n'.repeat(129) });
    assert.equal(long.status, 400);
    assert.equal(long.body.errors[0].field, 'name');
    const accounts = async () => (await z.zemu.built.ctx.store.accounts.list()).length;
    const before = await accounts();
    // What the file field may hold: another JSON document, something that is not JSON, nothing.
    for (const body of ['{"kind":"something else"}', 'PNG\u0000not json at all', '', '[]', 'null']) {
      const res = await z.request('POST', '/_zemu/import', {
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(typeof res.body.code, 'number', res.text);
      assert.ok(typeof res.body.message === 'string' && res.body.message.length > 5, res.text);
      assert.doesNotMatch(res.text, /at .*\.ts:\d+|stack/i);
    }
    assert.equal(await accounts(), before);
  });
});
