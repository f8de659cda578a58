import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { basic, startTestZemu, type TestZemu } from './helpers.js';
import { browserRequirement } from './requirements.js';

const browserNeed = browserRequirement();

/** The consent page as a person uses it: headless Chromium signs in and clicks Approve or Deny. */
describe('consent page in a real browser', { skip: 'skip' in browserNeed && browserNeed.skip }, () => {
  let z: TestZemu;
  let browser: Browser;
  let callback: Server;
  let redirect: string;
  let app: { client_id: string; client_secret: string };

  before(async () => {
    z = await startTestZemu();
    callback = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('callback reached'),
    );
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    redirect = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    app = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Calendar Sync',
        type: 'oauth_user',
        scopes: ['user:read:user', 'user:read:zak'],
        redirect_uris: [redirect],
      })
    ).body;
    browser = await chromium.launch({
      executablePath: 'executablePath' in browserNeed ? browserNeed.executablePath : '',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    callback?.close();
    await z.close();
  });

  const authorizeUrl = (extra: Record<string, string>) =>
    `${z.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.client_id, redirect_uri: redirect, state: 's-123', ...extra })}`;

  async function signInAndClick(url: string, button: 'Approve' | 'Deny', password = z.demo.password) {
    const page = await browser.newPage();
    try {
      await page.goto(url);
      assert.match(await page.locator('h1').innerText(), /Calendar Sync wants to access/);
      assert.ok((await page.locator('ul.scopes').innerText()).includes('user:read:zak'));
      await page.fill('#email', z.demo.email);
      await page.fill('#password', password);
      await page.click(`button:has-text("${button}")`);
      await page.waitForLoadState('load');
      return { url: new URL(page.url()), text: await page.locator('body').innerText() };
    } finally {
      await page.close();
    }
  }

  const exchange = (params: Record<string, string>) =>
    z.request('POST', '/oauth/token', {
      headers: {
        authorization: basic(app.client_id, app.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        redirect_uri: redirect,
        ...params,
      }).toString(),
    });

  test('approve with PKCE S256: redirected with code and state; the code exchanges for tokens', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const { url } = await signInAndClick(
      authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256' }),
      'Approve',
    );
    assert.equal(`${url.origin}${url.pathname}`, redirect);
    assert.equal(url.searchParams.get('state'), 's-123');
    const code = url.searchParams.get('code');
    assert.ok(code);
    const tokens = await exchange({ code, code_verifier: verifier });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal((await z.api('GET', '/users/me', tokens.body.access_token)).body.id, z.demo.user_id);
  });

  test('approve with PKCE plain (the default method)', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const { url } = await signInAndClick(authorizeUrl({ code_challenge: verifier }), 'Approve');
    const tokens = await exchange({ code: url.searchParams.get('code') as string, code_verifier: verifier });
    assert.equal(tokens.status, 200, tokens.text);
  });

  test('deny: redirected with error=access_denied and state, no code', async () => {
    const { url } = await signInAndClick(authorizeUrl({}), 'Deny');
    assert.equal(url.searchParams.get('error'), 'access_denied');
    assert.equal(url.searchParams.get('state'), 's-123');
    assert.equal(url.searchParams.get('code'), null);
  });

  test('a wrong password stays on the page with an error', async () => {
    const { url, text } = await signInAndClick(authorizeUrl({}), 'Approve', 'not-the-password');
    assert.equal(url.pathname, '/oauth/authorize');
    assert.match(text, /Incorrect email or password/);
  });

  test('an unregistered redirect URI shows an error page and never redirects', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(authorizeUrl({ redirect_uri: 'https://evil.example/steal' }));
      assert.equal(response?.status(), 400);
      assert.equal(new URL(page.url()).origin, z.url);
      assert.match(await page.locator('body').innerText(), /Redirect URI mismatch/);
    } finally {
      await page.close();
    }
  });
});

describe('consent form CSRF protection', () => {
  test('the consent page cannot be framed and loads nothing from elsewhere', async () => {
    const z = await startTestZemu();
    try {
      const app = (
        await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
          name: 'y',
          type: 'oauth_user',
          redirect_uris: ['https://app.example/cb'],
        })
      ).body;
      const res = await fetch(
        `${z.url}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent('https://app.example/cb')}`,
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.match(
        res.headers.get('content-security-policy') ?? '',
        /default-src 'none'.*frame-ancestors 'none'/,
      );
      assert.match(res.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
    } finally {
      await z.close();
    }
  });

  test('a POST without the page cookie and its token is refused with 403', async () => {
    const z = await startTestZemu();
    try {
      const app = (
        await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
          name: 'x',
          type: 'oauth_user',
          redirect_uris: ['https://app.example/cb'],
        })
      ).body;
      const form = new URLSearchParams({
        client_id: app.client_id,
        redirect_uri: 'https://app.example/cb',
        email: z.demo.email,
        password: z.demo.password,
        decision: 'approve',
        csrf_token: 'forged',
      });
      const res = await fetch(`${z.url}/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'zemu_csrf=attacker' },
        body: form.toString(),
        redirect: 'manual',
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('location'), null);
    } finally {
      await z.close();
    }
  });
});
