/**
 * The console (/_zemu/console) driven as a developer would, in headless Chromium: build a world, watch
 * requests live with their refusal reasons, move the clock, inject a fault, redeliver a webhook, and
 * the admin-token prompt when the gate is closed. Every request the page makes is recorded: none may
 * go to another origin. Each page is saved to docs/screenshots/ for the README.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestZemu, type TestZemu } from './helpers.js';
import { browserRequirement, screenshotsDir } from './requirements.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

const SCREENSHOTS = screenshotsDir();
const need = browserRequirement();

describe('the console in a real browser', { skip: 'skip' in need ? need.skip : false }, () => {
  let z: TestZemu;
  let browser: Browser;
  let page: Page;
  /** Every URL any console page asked for, in every test of this file. */
  const requested: string[] = [];
  const origins = new Set<string>();

  async function openPage(url: string): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    p.on('request', (r) => requested.push(r.url()));
    await p.goto(url);
    return p;
  }

  /** Opens a console page by its hash and waits for its heading. */
  async function show(hash: string, heading: string) {
    // The page shown now is marked stale; the same hash again is no hashchange, so one is fired: the
    // view is always loaded afresh, and the wait is for the fresh one.
    await page.evaluate(
      `document.querySelector('main h1')?.setAttribute('data-stale', '');
       location.hash === '#' + ${JSON.stringify(hash)} ? dispatchEvent(new HashChangeEvent('hashchange')) : (location.hash = ${JSON.stringify(hash)})`,
    );
    await page.locator('main h1:not([data-stale])', { hasText: heading }).waitFor();
  }

  const shot = (name: string, p: Page = page) =>
    p.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    z = await startTestZemu();
    origins.add(new URL(z.url).origin);
    browser = await chromium.launch({
      executablePath: (need as { executablePath: string }).executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await openPage(`${z.url}/_zemu/console#world`);
    await page.locator('main h1', { hasText: 'World' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await z?.close();
  });

  test('World: an app created with the form gives credentials that get a token and a ZAK', async () => {
    await show('world', 'World');
    assert.equal(await page.locator('#gate-state').innerText(), 'Open to this loopback caller');
    await page.getByLabel('App name').fill('Console S2S');
    await page.locator('#create-app-type').selectOption('server_to_server');
    await page.locator('#create-app-scopes').fill('user:read:admin user:read:zak:admin');
    await page.getByRole('button', { name: 'Create app' }).click();
    const secret = await page.locator('#created-client-secret').innerText();
    const clientId = await page.locator('#created-client-id').innerText();
    const accountId = await page.locator('#created-account-id').innerText();
    assert.equal(accountId, z.demo.account_id);
    // The new app is listed, after the reload the form triggered.
    await page.locator('article.app h3', { hasText: 'Console S2S' }).waitFor();
    const token = await z.s2sToken({ account_id: accountId, client_id: clientId, client_secret: secret });
    const zak = await z.api('GET', '/users/me/token?type=zak', token);
    assert.equal(zak.status, 200, zak.text);
    assert.match(zak.body.token, /^eyJ/);
    await shot('world');
  });

  test('bad form values show the control API error next to the field, and nothing is written', async () => {
    await show('world', 'World');
    const before = (await z.control('GET', `/accounts/${z.demo.account_id}`)).body.apps.length;
    const usersBefore = await z.zemu.built.ctx.store.users.countByAccount(z.demo.account_id);
    await page.locator('#create-user-email').fill('not-an-email');
    await page.getByRole('button', { name: 'Create user' }).click();
    await assert.doesNotReject(
      page.locator('[data-error-for="email"]', { hasText: 'Invalid field.' }).waitFor(),
    );
    assert.equal(await page.locator('#create-user-email').getAttribute('aria-invalid'), 'true');
    assert.match(
      await page.locator('#create-user [data-error-for="_form"]').innerText(),
      /Validation Failed\. \(code 300\)/,
    );
    assert.equal(await z.zemu.built.ctx.store.users.countByAccount(z.demo.account_id), usersBefore);

    await page.getByRole('button', { name: 'Create app' }).click();
    await page
      .locator('#create-app [data-error-for="name"]', { hasText: 'Required, 1 to 128 characters.' })
      .waitFor();
    assert.equal((await z.control('GET', `/accounts/${z.demo.account_id}`)).body.apps.length, before);

    await show('faults', 'Faults');
    await page.getByLabel('Path pattern').fill('/v2/users/*');
    await page.getByLabel('Status (for error)').fill('soon');
    await page.getByLabel('Probability (0 to 1)').fill('2');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page
      .locator('#create-fault [data-error-for="status"]', { hasText: 'HTTP status from 400 to 599' })
      .waitFor();
    await page.locator('#create-fault [data-error-for="probability"]', { hasText: 'from 0 to 1' }).waitFor();
    assert.equal((await z.control('GET', '/faults')).body.total_records, 0);

    await show('clock', 'Clock');
    const clockBefore = (await z.control('GET', '/clock')).body.offset_seconds;
    await page.getByLabel('ISO 8601 time').fill('next tuesday');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await page
      .locator('#clock-set [data-error-for="set"]', { hasText: 'Must be an ISO 8601 time.' })
      .waitFor();
    assert.equal((await z.control('GET', '/clock')).body.offset_seconds, clockBefore);
  });

  test("Clock: +1 h expires a token; its 401 shows up live in Requests with the reason and the token's lineage", async () => {
    const token = await z.s2sToken();
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    await show('clock', 'Clock');
    const was = await page.locator('#clock-now').innerText();
    await page.getByRole('button', { name: '+1 h' }).click();
    await page.locator('#clock-now').filter({ hasNotText: was }).waitFor();
    // Any amount: 90 minutes more.
    const offset = (await z.control('GET', '/clock')).body.offset_seconds;
    await page.getByLabel('Amount (negative goes back)').fill('90');
    await page.getByLabel('Unit').selectOption('minutes');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await page.locator('#clock-advance .result', { hasText: 'Saved.' }).waitFor();
    assert.equal((await z.control('GET', '/clock')).body.offset_seconds - offset, 5400);
    await shot('clock');

    await show('requests', 'Requests');
    await page.locator('#live-state', { hasText: 'Live' }).waitFor();
    // Made after the page went live: it arrives over the stream.
    const refused = await z.api('GET', '/users/me', token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 124);
    const row = page.locator('#requests-rows tr[data-status="401"]', { hasText: 'expired' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /\/v2\/users\/me/);
    await row.getByRole('button').click();
    await page.locator('#detail-reason', { hasText: 'expired' }).waitFor();
    const lineage = await page.locator('#request-detail table').innerText();
    assert.match(lineage, /expired/);
    assert.match(lineage, /this request/);
    await shot('requests');

    // The filters narrow the live log: only 2xx now.
    await page.locator('#requests-filter-status').selectOption('2xx');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#requests-rows tr[data-status="401"]').first().waitFor({ state: 'detached' });
    // The filtered rows arrive after the old ones are gone (a fetch of their own): wait for one.
    await page.locator('#requests-rows tr[data-status^="2"]').first().waitFor();
    assert.ok((await page.locator('#requests-rows tr').count()) > 0);
    assert.equal(await page.locator('#requests-rows tr:not([data-status^="2"])').count(), 0);
  });

  test('the live log keeps the newest 500 rows however many arrive', async () => {
    await show('requests', 'Requests');
    await page.locator('#live-state', { hasText: 'Live' }).waitFor();
    for (let batch = 0; batch < 14; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => z.request('GET', `/v2/users/cap-${batch}-${i}`)),
      );
    }
    await page.locator('#live-state', { hasText: 'the newest 500 kept' }).waitFor();
    assert.equal(await page.locator('#requests-rows tr').count(), 500);
    await page.locator('#requests-rows tr', { hasText: '/v2/users/cap-13-' }).first().waitFor();
    assert.equal(await page.locator('#requests-rows tr', { hasText: '/v2/users/cap-0-' }).count(), 0);
  });

  test('Faults: a rule added on the page makes the next request fail, and it shows up', async () => {
    await show('faults', 'Faults');
    await page.getByLabel('Path pattern').fill('/v2/users/me');
    await page.getByLabel('Status (for error)').fill('503');
    await page.getByLabel('Count (times it fires)').fill('1');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('#faults-table td', { hasText: '/v2/users/me' }).waitFor();
    assert.match(await page.locator('#faults-table tbody tr').innerText(), /error\s+503\s+1\s/);
    await shot('faults');

    const token = await z.s2sToken();
    const failed = await z.api('GET', '/users/me', token);
    assert.equal(failed.status, 503);
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);

    await show('requests', 'Requests');
    const row = page.locator('#requests-rows tr[data-status="503"]').first();
    await row.waitFor();
    await row.getByRole('button').click();
    await page.locator('#request-detail dt', { hasText: 'Fault rule' }).waitFor();
    // Fired once (count 1): the rule is gone from the page.
    await show('faults', 'Faults');
    await page.locator('#faults-empty').waitFor();
  });

  test('Webhooks: a failed delivery redelivered from the page arrives; the dispatcher pauses and resumes', async () => {
    let receiver: Receiver | undefined;
    try {
      receiver = await startReceiver('console-webhook-secret-0001');
      const sub = await z.control('POST', `/apps/${z.demo.client_id}/webhooks`, {
        endpoint_url: receiver.url,
        events: ['user.created'],
        secret_token: receiver.secret,
      });
      assert.equal(sub.status, 201, sub.text);
      receiver.answerEvents = 500;
      // POST /v2/users records user.created (the control API's world building sends no events).
      const created = await z.api('POST', '/users', await z.s2sToken(), {
        action: 'create',
        user_info: { email: 'hook@demo.zemu.test', type: 1 },
      });
      assert.equal(created.status, 201, created.text);
      await z.control('POST', '/webhooks/deliver');
      // Zoom's retries: 5 min, 20 min and 60 min later; then the delivery has failed.
      for (const minutes of [5, 20, 60]) {
        await z.control('POST', '/clock', { advance: minutes * 60 + 1 });
        await z.control('POST', '/webhooks/deliver');
      }
      const failed = await z.control('GET', '/webhooks/deliveries?event=user.created&status=failed');
      assert.equal(failed.body.total_records, 1, failed.text);
      assert.equal(receiver.events('user.created').length, 4);
      receiver.answerEvents = 200;

      await show('webhooks', 'Webhooks');
      const row = page.locator(`#deliveries-table tr[data-delivery="${failed.body.deliveries[0].id}"]`);
      assert.match(await row.innerText(), /failed/);
      await row.locator('summary').click();
      assert.match(await row.locator('ol').innerText(), /failed 500/);
      await row.getByRole('button', { name: 'Redeliver' }).click();
      // The page reloads with the redelivery listed; then whatever is due is delivered.
      await page.locator('#deliveries-table tbody tr').nth(1).waitFor();
      await z.control('POST', '/webhooks/deliver');
      assert.equal(receiver.events('user.created').length, 5);
      const arrived = receiver.events('user.created')[4];
      assert.ok(arrived?.signatureOk, 'the redelivery is signed');
      const delivered = await z.control('GET', '/webhooks/deliveries?event=user.created&status=delivered');
      assert.equal(delivered.body.total_records, 1);
      await show('webhooks', 'Webhooks');
      await page.locator('#deliveries-table .badge.delivered').first().waitFor();
      await shot('webhooks');

      await page.getByRole('button', { name: 'Pause dispatcher' }).click();
      await page.locator('#dispatcher-state', { hasText: 'paused' }).waitFor();
      assert.equal((await z.control('GET', '/webhooks/dispatcher')).body.paused, true);
      await page.getByRole('button', { name: 'Resume dispatcher' }).click();
      await page.locator('#dispatcher-state', { hasText: 'running' }).waitFor();
      assert.equal((await z.control('GET', '/webhooks/dispatcher')).body.paused, false);
    } finally {
      await receiver?.close();
    }
  });

  test("Tokens and Meetings: a pasted token's introspection, an app's tokens, a user's start and join links", async () => {
    const token = await z.s2sToken();
    await show('tokens', 'Tokens');
    await page.getByLabel('Token (access, refresh token or ZAK)').fill(token);
    await page.getByRole('button', { name: 'Inspect' }).click();
    const result = page.locator('#introspect-result');
    await result.waitFor();
    assert.match(await result.innerText(), /active\s+true/);
    assert.match(await result.innerText(), new RegExp(z.demo.client_id));
    assert.match(await page.locator('#app-tokens-h ~ table').innerText(), /active/);
    await shot('tokens');

    const meeting = await z.api('POST', '/users/me/meetings', token, { topic: 'Console <demo>' });
    assert.equal(meeting.status, 201, meeting.text);
    await show(`meetings?user=${encodeURIComponent(z.demo.email)}`, 'Meetings');
    const tableRow = page.locator('#meetings-table tr', { hasText: 'Console <demo>' });
    await tableRow.waitFor();
    const start = await tableRow.getByRole('link', { name: 'Start' }).getAttribute('href');
    assert.match(start ?? '', new RegExp(`/s/${meeting.body.id}\\?zak=eyJ`));
    assert.equal(
      await tableRow.getByRole('link', { name: 'Join' }).getAttribute('href'),
      meeting.body.join_url,
    );
    await shot('meetings');
    // The start link works in the browser: the host starts the meeting.
    const started = await openPage(start as string);
    try {
      assert.match(await started.locator('h1').innerText(), /started by/);
    } finally {
      await started.close();
    }
  });

  test('keyboard: the pages are reached with Tab and Enter, with a visible focus ring', async () => {
    await show('world', 'World');
    // Tab from the link before: focus moved by the keyboard, as a keyboard user moves it.
    await page.locator('nav a[data-page="faults"]').focus();
    await page.keyboard.press('Shift+Tab');
    // (Expressions as strings: this file is type-checked without the DOM library.)
    assert.equal(await page.evaluate(`document.activeElement?.getAttribute('data-page')`), 'clock');
    const ring = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(ring, 'none');
    await page.keyboard.press('Enter');
    await page.locator('main h1', { hasText: 'Clock' }).waitFor();
    assert.equal(await page.locator('nav a[data-page="clock"]').getAttribute('aria-current'), 'page');
    // Every form control on every page has a label.
    for (const [hash, heading] of [
      ['world', 'World'],
      ['requests', 'Requests'],
      ['tokens', 'Tokens'],
      ['clock', 'Clock'],
      ['faults', 'Faults'],
      ['webhooks', 'Webhooks'],
      ['meetings', 'Meetings'],
    ] as const) {
      await show(hash, heading);
      const unlabelled = await page.evaluate(
        `[...document.querySelectorAll('main input, main select, main textarea')]
          .filter((el) => el.labels?.length === 0).map((el) => el.id || el.getAttribute('name'))`,
      );
      assert.deepEqual(unlabelled, [], `unlabelled controls on ${hash}`);
    }
  });

  test('a closed gate: the page asks for the admin token once, shows no data without it, and never puts it in a URL', async () => {
    const adminToken = 'console-admin-token-0123456789';
    const closed = await startTestZemu({ adminToken });
    origins.add(new URL(closed.url).origin);
    // What the gate sees of a Zemu bound beyond loopback (tests bind 127.0.0.1 only).
    closed.zemu.built.ctx.config.host = '0.0.0.0';
    const p = await openPage(`${closed.url}/_zemu/console#world`);
    try {
      const dialog = p.locator('#admin-token-dialog');
      await dialog.waitFor();
      assert.equal(await p.evaluate(`document.getElementById('admin-token-dialog').open`), true);
      const shown = await p.content();
      for (const secret of [closed.demo.account_id, closed.demo.client_id, closed.demo.client_secret]) {
        assert.ok(!shown.includes(secret), 'no data before the token');
      }
      await shot('admin-token', p);

      await p.getByLabel('Admin token', { exact: true }).fill('wrong-token-wrong-token');
      await p.getByRole('button', { name: 'Unlock the console' }).click();
      await p.locator('#admin-token-error', { hasText: 'That token was refused' }).waitFor();
      assert.ok(!(await p.content()).includes(closed.demo.account_id));

      await p.getByLabel('Admin token', { exact: true }).fill(adminToken);
      await p.getByRole('button', { name: 'Unlock the console' }).click();
      await p.locator('main h1', { hasText: 'World' }).waitFor();
      assert.match(await p.locator('main').innerText(), new RegExp(closed.demo.account_id));
      // The live log works through the gate too (the token goes in a header of the stream's fetch).
      await p.evaluate(`location.hash = 'requests'`);
      await p.locator('#live-state', { hasText: 'Live' }).waitFor();
      await closed.s2sToken();
      await p.locator('#requests-rows tr', { hasText: '/oauth/token' }).first().waitFor();

      // Kept for the browser session: a reload does not ask again.
      await p.reload();
      await p.locator('main h1', { hasText: 'Requests' }).waitFor();
      assert.equal(await p.evaluate(`document.getElementById('admin-token-dialog').open`), false);
      assert.ok(
        requested.every((url) => !url.includes(adminToken)),
        'the admin token never appears in a URL',
      );
    } finally {
      await p.close();
      await closed.close();
    }
  });

  test('no request of the console goes to another origin', () => {
    assert.ok(requested.length > 20, `recorded ${requested.length} requests`);
    const foreign = requested.filter((url) => !origins.has(new URL(url).origin));
    assert.deepEqual(foreign, []);
  });
});
