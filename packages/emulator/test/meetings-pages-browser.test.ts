import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestZemu, type TestZemu } from './helpers.js';
import { browserRequirement } from './requirements.js';

const browserNeed = browserRequirement();

/** The start link (ZAK) and the join link of a meeting, opened as a person would: headless Chromium. */
describe('meeting start and join pages in a real browser', {
  skip: 'skip' in browserNeed && browserNeed.skip,
}, () => {
  let z: TestZemu;
  let browser: Browser;
  let token: string;
  let member: { id: string; email: string };

  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    const m = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
      email: 'member@demo.zemu.test',
      first_name: 'Mem',
      last_name: 'Ber',
    });
    member = { id: m.body.id, email: m.body.email };
    browser = await chromium.launch({
      executablePath: 'executablePath' in browserNeed ? browserNeed.executablePath : '',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    await z.close();
  });

  async function meeting(body: Record<string, unknown> = {}, userId = 'me') {
    const res = await z.api('POST', `/users/${userId}/meetings`, token, {
      topic: 'Design <review>',
      ...body,
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async function open(url: string, fn: (page: Page, status: number) => Promise<void>) {
    const page = await browser.newPage();
    try {
      const response = await page.goto(url);
      assert.ok(response);
      await fn(page, response.status());
    } finally {
      await page.close();
    }
  }

  test('a valid start link starts the meeting as its host; headers forbid framing and referrers', async () => {
    const m = await meeting();
    await open(m.start_url, async (page, status) => {
      assert.equal(status, 200);
      assert.equal(
        await page.locator('h1').innerText(),
        `Meeting ${m.id} started by Demo Owner (${z.demo.email})`,
      );
      // The topic is shown escaped, as text.
      assert.equal(await page.locator('#topic').innerText(), 'Design <review>');
    });
    const got = await z.api('GET', `/meetings/${m.id}`, token);
    assert.equal(got.body.status, 'started');
    const raw = await fetch(m.start_url);
    assert.equal(raw.headers.get('x-frame-options'), 'DENY');
    assert.equal(raw.headers.get('referrer-policy'), 'no-referrer');
    assert.match(
      raw.headers.get('content-security-policy') ?? '',
      /default-src 'none'.*frame-ancestors 'none'/,
    );
    assert.equal(raw.headers.get('cache-control'), 'no-store');
  });

  test('a start link past its two hours shows the expired page (401) and does not start', async () => {
    const m = await meeting();
    await z.control('POST', '/clock', { advance: 7201 });
    token = await z.s2sToken();
    await open(m.start_url, async (page, status) => {
      assert.equal(status, 401);
      assert.equal(await page.locator('h1').innerText(), 'This link has expired');
    });
    const got = await z.api('GET', `/meetings/${m.id}`, token);
    assert.equal(got.body.status, 'waiting');
    // The GET hands out a fresh start link, which works.
    await open(got.body.start_url, async (page, status) => {
      assert.equal(status, 200);
      assert.match(await page.locator('h1').innerText(), /started by/);
    });
  });

  test("another user's ZAK on this meeting's start link: 403 'not the host'", async () => {
    const m = await meeting();
    const theirs = await meeting({ topic: 'member meeting' }, member.id);
    const foreignZak = new URL(theirs.start_url).searchParams.get('zak') as string;
    const url = `${z.url}/s/${m.id}?zak=${encodeURIComponent(foreignZak)}`;
    await open(url, async (page, status) => {
      assert.equal(status, 403);
      assert.equal(await page.locator('h1').innerText(), 'You are not the host of this meeting');
    });
    assert.equal((await z.api('GET', `/meetings/${m.id}`, token)).body.status, 'waiting');
  });

  test("a start link whose ZAK was revoked (the host's ZAKs renewed) is refused", async () => {
    const m = await meeting();
    // What revoking a user's tokens does at Zoom: every ZAK issued before stops working.
    await z.zemu.built.ctx.store.users.bumpZakVersion(z.demo.user_id);
    await open(m.start_url, async (page, status) => {
      assert.equal(status, 401);
      assert.equal(await page.locator('h1').innerText(), 'This link is no longer valid');
    });
    const fresh = (await z.api('GET', `/meetings/${m.id}`, token)).body.start_url;
    await open(fresh, async (_page, status) => assert.equal(status, 200));
  });

  test('missing or garbled ZAK, unknown or deleted meeting: error pages with fitting statuses', async () => {
    const m = await meeting();
    await open(`${z.url}/s/${m.id}`, async (page, status) => {
      assert.equal(status, 401);
      assert.equal(await page.locator('h1').innerText(), 'Sign in to start this meeting');
    });
    await open(`${z.url}/s/${m.id}?zak=not.a.zak`, async (page, status) => {
      assert.equal(status, 400);
      assert.equal(await page.locator('h1').innerText(), 'This meeting link is invalid');
    });
    await open(`${z.url}/s/81234567890?zak=x`, async (page, status) => {
      assert.equal(status, 404);
      assert.match(await page.locator('[role=alert]').innerText(), /is not found or has expired/);
    });
    await open(`${z.url}/s/%3Cscript%3E?zak=x`, async (page, status) => {
      assert.equal(status, 404);
      assert.equal(await page.locator('script').count(), 0);
    });
    assert.equal((await z.api('DELETE', `/meetings/${m.id}`, token)).status, 204);
    await open(m.start_url, async (_page, status) => assert.equal(status, 404));
  });

  test('the join link shows the topic, asks for a name, and lets the person in', async () => {
    const m = await meeting({ topic: 'All hands' });
    await open(m.join_url, async (page, status) => {
      assert.equal(status, 200);
      assert.equal(await page.locator('#topic').innerText(), 'All hands');
      assert.equal(await page.locator('#passcode').count(), 0, 'the link carries the passcode');
      await page.fill('#name', 'Ada <Lovelace>');
      await page.click('button[type=submit]');
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#joined').innerText(), 'Ada <Lovelace> joined All hands');
      assert.match(await page.locator('[role=status]').innerText(), /has not started/);
    });
  });

  test('without the pwd the join page asks for the passcode and refuses a wrong one', async () => {
    const m = await meeting({ topic: 'Locked', password: 'open-5' });
    await open(`${z.url}/j/${m.id}`, async (page) => {
      await page.fill('#passcode', 'wrong');
      await page.fill('#name', 'Eve');
      await page.click('button[type=submit]');
      await page.waitForLoadState('load');
      assert.equal(await page.locator('[role=alert]').innerText(), 'Incorrect meeting passcode.');
      await page.fill('#passcode', 'open-5');
      await page.fill('#name', 'Bob');
      await page.click('button[type=submit]');
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#joined').innerText(), 'Bob joined Locked');
    });
    await open(`${z.url}/j/${m.id}?pwd=forged`, async (page, status) => {
      assert.equal(status, 200);
      assert.match(await page.locator('[role=alert]').innerText(), /passcode in this link is wrong/);
      assert.equal(await page.locator('#passcode').count(), 1);
    });
    await open(`${z.url}/j/81234567890`, async (_page, status) => assert.equal(status, 404));
  });
});
