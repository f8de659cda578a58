/**
 * The console's State page in headless Chromium: a snapshot taken on the page, the world changed, the
 * snapshot restored from the page and the old world seen again; the state document downloaded, the
 * world changed, the document uploaded and its world back; a reset. Destructive writes ask first
 * (Cancel changes nothing, by mouse or keyboard), refusals are shown in words, the closed gate's token
 * goes in a header of the download, and no request goes to another origin. Saves docs/screenshots/state.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestZemu, type TestZemu } from './helpers.js';
import { browserRequirement, screenshotsDir } from './requirements.js';

const SCREENSHOTS = screenshotsDir();
const need = browserRequirement();

describe('the console State page in a real browser', { skip: 'skip' in need ? need.skip : false }, () => {
  let z: TestZemu;
  let browser: Browser;
  let page: Page;
  let scratch: string;
  const requested: string[] = [];
  const origins = new Set<string>();

  async function openPage(url: string): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    p.on('request', (r) => requested.push(r.url()));
    await p.goto(url);
    return p;
  }

  /** Opens a console page by its hash and waits for its fresh heading (as console-browser.test.ts). */
  async function show(hash: string, heading: string, p: Page = page) {
    await p.evaluate(
      `document.querySelector('main h1')?.setAttribute('data-stale', '');
       location.hash === '#' + ${JSON.stringify(hash)} ? dispatchEvent(new HashChangeEvent('hashchange')) : (location.hash = ${JSON.stringify(hash)})`,
    );
    await p.locator('main h1:not([data-stale])', { hasText: heading }).waitFor();
  }

  const accountNames = async () => (await z.zemu.built.ctx.store.accounts.list()).map((a) => a.name);
  const addAccount = async (name: string) => {
    const made = await z.control('POST', '/accounts', {
      name,
      owner: { email: `${name.toLowerCase().replace(/\W+/g, '-')}@state.test` },
    });
    assert.equal(made.status, 201, made.text);
  };
  const dialogOpen = (p: Page = page) => p.evaluate(`document.getElementById('confirm-dialog').open`);
  const confirmDialog = async (label: string, p: Page = page) => {
    await p.locator('#confirm-dialog[open]').waitFor();
    await p.locator('#confirm-ok', { hasText: label }).click();
    await p.locator('#confirm-dialog').waitFor({ state: 'hidden' });
  };

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    scratch = mkdtempSync(path.join(tmpdir(), 'zemu-console-state-'));
    z = await startTestZemu();
    origins.add(new URL(z.url).origin);
    browser = await chromium.launch({
      executablePath: (need as { executablePath: string }).executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await openPage(`${z.url}/_zemu/console#state`);
    await page.locator('main h1', { hasText: 'State' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await z?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('a snapshot taken on the page, the world changed, restored from the page: the old world is back', async () => {
    await show('state', 'State');
    const accountsBefore = await page.locator('#state-accounts').innerText();
    const clockBefore = (await z.control('GET', '/clock')).body.offset_seconds;
    await page.getByLabel('Snapshot name (optional)').fill('before the change');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.locator('#state-status', { hasText: /Took snapshot snap_/ }).waitFor();
    const row = page.locator('#snapshots-table tbody tr', { hasText: 'before the change' });
    await row.waitFor();
    const listed = (await z.control('GET', '/snapshots')).body.snapshots;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].name, 'before the change');

    // The world changes: an account, a day on the clock, a fault rule.
    await addAccount('Made after the snapshot');
    await z.control('POST', '/clock', { advance: 86400 });
    assert.equal((await z.control('POST', '/faults', { path: '/v2/nothing', action: 'reset' })).status, 201);
    await show('world', 'World');
    await page.locator('main table td', { hasText: 'Made after the snapshot' }).waitFor();
    await show('state', 'State');
    assert.notEqual(await page.locator('#state-accounts').innerText(), accountsBefore);
    assert.equal(await page.locator('#state-faults').innerText(), '1');

    // Restore asks first; Cancel changes nothing.
    const restore = page.getByRole('button', { name: 'Restore snapshot before the change' });
    await restore.click();
    await page.locator('#confirm-dialog[open]').waitFor();
    assert.match(await page.locator('#confirm-title').innerText(), /Restore snapshot before the change\?/);
    assert.match(await page.locator('#confirm-message').innerText(), /What changed since is lost/);
    await page.locator('#confirm-cancel').click();
    assert.equal(await dialogOpen(), false);
    assert.ok((await accountNames()).includes('Made after the snapshot'), 'Cancel restored nothing');

    await restore.click();
    await confirmDialog('Restore');
    await page.locator('#state-status', { hasText: 'Restored snapshot before the change' }).waitFor();
    assert.equal(await page.locator('#state-accounts').innerText(), accountsBefore);
    assert.equal(await page.locator('#state-faults').innerText(), '0');
    assert.ok(!(await accountNames()).includes('Made after the snapshot'));
    assert.equal((await z.control('GET', '/clock')).body.offset_seconds, clockBefore);
    await page.screenshot({ path: `${SCREENSHOTS}state.png`, fullPage: true });
    await show('world', 'World');
    assert.doesNotMatch(await page.locator('main').innerText(), /Made after the snapshot/);
  });

  test('the state document downloads; a refused one changes nothing, in words; importing the download brings its world back', async () => {
    await show('state', 'State');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the state document' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'zemu-state.json');
    const saved = path.join(scratch, 'exported.json');
    await download.saveAs(saved);
    const document = JSON.parse(readFileSync(saved, 'utf8'));
    assert.equal(document.kind, 'zemu-state');
    await page.locator('#state-status', { hasText: 'Downloaded zemu-state.json' }).waitFor();

    await addAccount('Made after the export');
    await show('state', 'State');

    // No file chosen: said next to the field, no dialog, nothing sent.
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .locator('#state-import [data-error-for="document"]', { hasText: 'Choose a file first.' })
      .waitFor();
    assert.equal(await dialogOpen(), false);
    assert.equal(await page.locator('#state-import-file').getAttribute('aria-invalid'), 'true');

    // A JSON file that is not a state document: the control API's refusal, in words, and nothing changed.
    const foreign = path.join(scratch, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ kind: 'firebase-export', users: [] }));
    await page.locator('#state-import-file').setInputFiles(foreign);
    await page.locator('#state-import [data-error-for="document"]').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#state-import-file').getAttribute('aria-invalid'), null);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await confirmDialog('Import');
    const refusal = page.locator('#state-import [data-error-for="_form"]');
    await refusal.waitFor({ state: 'visible' });
    assert.match(await refusal.innerText(), /\(code 300\)/);
    assert.match(await refusal.innerText(), /zemu-state|Zemu/);
    assert.ok((await accountNames()).includes('Made after the export'), 'a refused import wrote nothing');

    // The downloaded document: its world is back.
    await page.locator('#state-import-file').setInputFiles(saved);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await confirmDialog('Import');
    await page.locator('#state-status', { hasText: 'Imported' }).waitFor();
    assert.ok(!(await accountNames()).includes('Made after the export'));
    // The snapshot of the first test is still listed (an import keeps snapshots).
    await page.locator('#snapshots-table tbody tr', { hasText: 'before the change' }).waitFor();
  });

  test('reset asks first (Escape cancels); a restore of a snapshot deleted elsewhere says so in words; delete from the page', async () => {
    await addAccount('Made before the reset');
    await show('state', 'State');
    const reset = page.getByRole('button', { name: 'Reset the world' });
    await reset.click();
    await page.locator('#confirm-dialog[open]').waitFor();
    // The safe choice has the focus.
    assert.equal(await page.evaluate('document.activeElement?.id'), 'confirm-cancel');
    await page.keyboard.press('Escape');
    await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
    assert.ok((await accountNames()).includes('Made before the reset'), 'Escape reset nothing');

    await reset.click();
    await confirmDialog('Reset');
    await page
      .locator('#state-status', { hasText: 'Reset: the world is back to its start state.' })
      .waitFor();
    assert.deepEqual(await accountNames(), [
      (await z.zemu.built.ctx.store.accounts.findById(z.demo.account_id))?.name,
    ]);

    // Deleted behind the page's back: the page's Restore gets the control API's 404, shown in words.
    const stale = (await z.control('POST', '/snapshots', { name: 'deleted elsewhere' })).body;
    await show('state', 'State');
    assert.equal((await z.control('DELETE', `/snapshots/${stale.id}`)).status, 204);
    await page.getByRole('button', { name: 'Restore snapshot deleted elsewhere' }).click();
    await confirmDialog('Restore');
    const error = page.locator(`tr[data-snapshot="${stale.id}"] .action-error`);
    await error.waitFor();
    assert.equal(await error.innerText(), `Snapshot does not exist: ${stale.id}. (code 1001)`);
    assert.equal(await error.getAttribute('role'), 'alert');

    // Delete from the page, after its confirmation; the name is said as it is, braces and markup too.
    const doomed = (await z.control('POST', '/snapshots', { name: 'to delete {id} <i>' })).body;
    await show('state', 'State');
    await page.getByRole('button', { name: 'Delete snapshot to delete {id} <i>' }).click();
    await confirmDialog('Delete snapshot');
    await page.locator('#state-status', { hasText: 'Deleted snapshot to delete {id} <i>.' }).waitFor();
    assert.equal((await z.control('POST', `/snapshots/${doomed.id}/restore`)).status, 404);
    assert.equal(await page.locator(`tr[data-snapshot="${doomed.id}"]`).count(), 0);
  });

  test('keyboard: every control labelled, the dialog opened with Enter and cancelled with Enter on Cancel, focus outlined and given back', async () => {
    await addAccount('Kept from the keyboard');
    await show('state', 'State');
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('main input, main select, main textarea')]
        .filter((el) => el.labels?.length === 0).map((el) => el.id || el.getAttribute('name'))`,
    );
    assert.deepEqual(unlabelled, []);
    // Reach the Reset button by Tab from the import form's submit button (the controls between are the page's).
    await page.getByRole('button', { name: 'Import', exact: true }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Reset the world');
    assert.notEqual(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'), 'none');
    await page.keyboard.press('Enter');
    await page.locator('#confirm-dialog[open]').waitFor();
    assert.equal(await page.evaluate('document.activeElement?.id'), 'confirm-cancel');
    assert.notEqual(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'), 'none');
    await page.keyboard.press('Enter');
    await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
    assert.ok((await accountNames()).includes('Kept from the keyboard'));
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Reset the world');
  });

  test('a closed gate: the download and the import carry the admin token in a header, never in a URL', async () => {
    const adminToken = 'console-state-admin-token-012345';
    const closed = await startTestZemu({ adminToken });
    origins.add(new URL(closed.url).origin);
    closed.zemu.built.ctx.config.host = '0.0.0.0';
    const p = await openPage(`${closed.url}/_zemu/console#state`);
    try {
      await p.locator('#admin-token-dialog[open]').waitFor();
      await p.getByLabel('Admin token', { exact: true }).fill(adminToken);
      await p.getByRole('button', { name: 'Unlock the console' }).click();
      await p.locator('main h1', { hasText: 'State' }).waitFor();
      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByRole('button', { name: 'Download the state document' }).click(),
      ]);
      const saved = path.join(scratch, 'closed.json');
      await download.saveAs(saved);
      assert.equal(JSON.parse(readFileSync(saved, 'utf8')).kind, 'zemu-state');
      const made = await closed.request('POST', '/_zemu/accounts', {
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Behind the gate', owner: { email: 'gate@gate.test' } }),
      });
      assert.equal(made.status, 201, made.text);
      await p.locator('#state-import-file').setInputFiles(saved);
      await p.getByRole('button', { name: 'Import', exact: true }).click();
      await confirmDialog('Import', p);
      await p.locator('#state-status', { hasText: 'Imported' }).waitFor();
      const names = (await closed.zemu.built.ctx.store.accounts.list()).map((a) => a.name);
      assert.ok(!names.includes('Behind the gate'));
      assert.ok(
        requested.every((url) => !url.includes(adminToken)),
        'the admin token never in a URL',
      );
    } finally {
      await p.close();
      await closed.close();
    }
  });

  test('no request of the State page goes to another origin', () => {
    assert.ok(requested.length > 10, `recorded ${requested.length} requests`);
    const foreign = requested.filter((url) => !origins.has(new URL(url).origin));
    assert.deepEqual(foreign, []);
  });
});
