/** `--capture-bodies`: request and response bodies in the request log, with every secret redacted. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CAPTURE_LIMIT } from '../src/requestlog/capture.js';
import { basic, startTestZemu, type TestZemu } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:5999/callback';

/** Every request-log entry, as GET /_zemu/requests serves them, oldest first. */
async function entries(z: TestZemu) {
  const res = await z.control('GET', '/requests?page_size=1000');
  assert.equal(res.status, 200, res.text);
  // biome-ignore lint/suspicious/noExplicitAny: entries are read as JSON
  return { text: res.text, list: (res.body.requests as any[]).reverse() };
}

function assertAbsent(text: string, secrets: Record<string, string>) {
  for (const [name, value] of Object.entries(secrets)) {
    assert.ok(value.length >= 6, `${name} is long enough to search for`);
    assert.ok(!text.includes(value), `${name} leaked into the request log`);
  }
}

describe('request body capture', () => {
  let z: TestZemu;
  before(async () => {
    z = await startTestZemu({ captureBodies: true });
  });
  after(() => z.close());

  test('token grant: Basic credentials and the issued access token are redacted, the grant parameters kept', async () => {
    await z.control('DELETE', '/requests');
    const res = await z.request(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
      { headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) } },
    );
    assert.equal(res.status, 200);
    const { text, list } = await entries(z);
    const entry = list.find((e) => e.path === '/oauth/token');
    assert.ok(entry?.bodies, 'the entry carries its bodies');
    assert.equal(entry.bodies.request.authorization, 'Basic [redacted]');
    assert.equal(
      entry.bodies.request.query,
      `grant_type=account_credentials&account_id=${z.demo.account_id}`,
    );
    const answer = JSON.parse(entry.bodies.response.body);
    assert.equal(answer.access_token, '[redacted]');
    assert.equal(answer.token_type, 'bearer');
    assert.equal(answer.expires_in, res.body.expires_in);
    assertAbsent(text, {
      secret: z.demo.client_secret,
      basic: basic(z.demo.client_id, z.demo.client_secret).slice(6),
      token: res.body.access_token,
      tokenSignature: (res.body.access_token as string).split('.')[2] as string,
    });
  });

  test('form bodies: client_secret, code, code_verifier and refresh tokens (sent and issued) are redacted', async () => {
    await z.control('DELETE', '/requests');
    const app = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Capture user app',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: [REDIRECT],
      })
    ).body;
    const verifier = randomBytes(32).toString('base64url');
    const approved = await z.control('POST', '/oauth/approve', {
      client_id: app.client_id,
      user: z.demo.email,
      redirect_uri: REDIRECT,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const code = new URL(approved.body.redirect_to).searchParams.get('code') as string;
    const form = (params: Record<string, string>) =>
      z.request('POST', '/oauth/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: app.client_id,
          client_secret: app.client_secret,
          ...params,
        }).toString(),
      });
    const first = await form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    assert.equal(first.status, 200, first.text);
    const second = await form({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    assert.equal(second.status, 200, second.text);
    // A refused refresh (the rotated token reused) is captured too.
    const reused = await form({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    assert.equal(reused.status, 400);

    const { text, list } = await entries(z);
    const tokenCalls = list.filter((e) => e.path === '/oauth/token');
    assert.equal(tokenCalls.length, 3);
    const sent = new URLSearchParams(tokenCalls[0].bodies.request.body);
    assert.equal(sent.get('grant_type'), 'authorization_code');
    assert.equal(sent.get('redirect_uri'), REDIRECT);
    assert.equal(sent.get('client_id'), app.client_id);
    for (const field of ['client_secret', 'code', 'code_verifier'])
      assert.equal(sent.get(field), '[redacted]', field);
    assert.equal(new URLSearchParams(tokenCalls[1].bodies.request.body).get('refresh_token'), '[redacted]');
    const issued = JSON.parse(tokenCalls[1].bodies.response.body);
    assert.equal(issued.refresh_token, '[redacted]');
    assert.equal(issued.access_token, '[redacted]');
    assert.deepEqual(JSON.parse(tokenCalls[2].bodies.response.body), {
      reason: 'Invalid Token!',
      error: 'invalid_grant',
    });
    assertAbsent(text, {
      secret: app.client_secret,
      code,
      verifier,
      refresh1: first.body.refresh_token,
      refresh2: second.body.refresh_token,
      access1: first.body.access_token,
      access2: second.body.access_token,
    });
  });

  test('JSON bodies and ZAK answers: passwords, the bearer token, ZAKs and start_url keys are redacted', async () => {
    const token = await z.s2sToken();
    await z.control('DELETE', '/requests');
    const password = 'Capture-Pass-1234';
    const created = await z.api('POST', '/users', token, {
      action: 'autoCreate',
      user_info: { email: 'captured@demo.zemu.test', type: 1, first_name: 'Cap', password },
    });
    assert.equal(created.status, 201, created.text);
    const zak = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=600`, token);
    assert.equal(zak.status, 200);
    const meeting = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, {
      topic: 'Captured',
      type: 2,
      start_time: '2030-01-01T10:00:00Z',
      password: 'pc1234',
    });
    assert.equal(meeting.status, 201, meeting.text);

    const { text, list } = await entries(z);
    const create = list.find((e) => e.path === '/v2/users' && e.method === 'POST');
    assert.equal(create.bodies.request.authorization, 'Bearer [redacted]');
    const body = JSON.parse(create.bodies.request.body);
    assert.equal(body.user_info.email, 'captured@demo.zemu.test');
    assert.equal(body.user_info.password, '[redacted]');
    const zakEntry = list.find((e) => e.path.endsWith('/token'));
    assert.equal(zakEntry.bodies.request.query, 'type=zak&ttl=600');
    assert.deepEqual(JSON.parse(zakEntry.bodies.response.body), { token: '[redacted]' });
    const meetingEntry = list.find((e) => e.path.endsWith('/meetings'));
    const answer = JSON.parse(meetingEntry.bodies.response.body);
    assert.equal(answer.topic, 'Captured');
    assert.match(answer.start_url, /zak=\[redacted\]/);
    assert.equal(answer.password, '[redacted]');
    assertAbsent(text, {
      password,
      bearer: token,
      zak: zak.body.token,
      startUrlZak: new URL(meeting.body.start_url).searchParams.get('zak') as string,
      encrypted: meeting.body.encrypted_password,
    });
  });

  test('registrants: the tk of every registrant join link is redacted in the captured answers', async () => {
    const token = await z.s2sToken();
    await z.control('DELETE', '/requests');
    const meeting = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, {
      topic: 'Registration',
      type: 2,
      start_time: '2030-01-01T10:00:00Z',
      settings: { approval_type: 0 },
    });
    assert.equal(meeting.status, 201, meeting.text);
    const reg = `/meetings/${meeting.body.id}/registrants`;
    const created = await z.api('POST', reg, token, { email: 'cap@example.test', first_name: 'Cap' });
    assert.equal(created.status, 201, created.text);
    const one = await z.api('GET', `${reg}/${created.body.registrant_id}`, token);
    const listed = await z.api('GET', reg, token);
    assert.equal(listed.body.registrants.length, 1);

    const { text, list } = await entries(z);
    const answers = list
      .filter((e) => e.path.includes('/registrants'))
      .map((e) => JSON.parse(e.bodies.response.body));
    assert.equal(answers.length, 3);
    assert.match(answers[0].join_url, /\?tk=\[redacted\]&pwd=\[redacted\]$/);
    assert.match(answers[1].join_url, /\?tk=\[redacted\]/);
    assert.match(answers[2].registrants[0].join_url, /\?tk=\[redacted\]/);
    assert.equal(answers[1].email, 'cap@example.test');
    assertAbsent(text, { tk: new URL(one.body.join_url).searchParams.get('tk') as string });
  });

  test('the live stream carries the same redacted bodies', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${z.url}/_zemu/requests/stream?path=/oauth/token`, {
      signal: controller.signal,
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const res = await z.request(
      'POST',
      `/oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id}`,
      { headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) } },
    );
    let text = '';
    while (!text.includes('event: request')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    const data = JSON.parse((/data: (.*)\n/.exec(text) as RegExpExecArray)[1] as string);
    assert.equal(JSON.parse(data.bodies.response.body).access_token, '[redacted]');
    assertAbsent(text, { secret: z.demo.client_secret, token: res.body.access_token });
  });

  test('a body larger than the bound is cut and marked truncated', async () => {
    const token = await z.s2sToken();
    await z.control('DELETE', '/requests');
    const res = await z.api('PATCH', `/users/${z.demo.user_id}`, token, {
      job_title: 'x'.repeat(CAPTURE_LIMIT * 2),
    });
    assert.ok(res.status >= 200);
    const { list } = await entries(z);
    const entry = list.find((e) => e.method === 'PATCH');
    assert.equal(entry.bodies.request.body.length, CAPTURE_LIMIT);
    assert.equal(entry.bodies.request.truncated, true);
  });
});

describe('request body capture is off by default', () => {
  test('entries carry no bodies unless --capture-bodies is given', async () => {
    const z = await startTestZemu();
    try {
      await z.s2sToken();
      const { list } = await entries(z);
      assert.ok(list.length > 0);
      for (const entry of list) assert.equal(entry.bodies, undefined);
    } finally {
      await z.close();
    }
  });
});
