import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../src/config.js';
import { startTestZemu, type TestZemu } from './helpers.js';

/** Sends raw HTTP/1.1 bytes, exactly as a given client would, and parses the answer. */
async function raw(url: string, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.write(request);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) {
    chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const end = text.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(text)?.[1];
    if (end >= 0 && length !== undefined && text.length >= end + 4 + Number(length)) break;
  }
  socket.destroy();
  const text = Buffer.concat(chunks).toString();
  const end = text.indexOf('\r\n\r\n');
  return { status: Number(text.slice(9, 12)), headers: text.slice(0, end), body: text.slice(end + 4) };
}

describe('the sample flow, as the curl and Chilkat samples send it', () => {
  let z: TestZemu;
  let basicAuth: string;
  before(async () => {
    z = await startTestZemu();
    basicAuth = Buffer.from(`${z.demo.client_id}:${z.demo.client_secret}`).toString('base64');
  });
  after(() => z.close());

  test('curl: POST with the parameters in the query and no body, then GET the ZAK (Host: zoom.us / api.zoom.us)', async () => {
    const token = await raw(
      z.url,
      `POST /oauth/token?grant_type=account_credentials&account_id=${z.demo.account_id} HTTP/1.1\r\n` +
        'Host: zoom.us\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n' +
        `Authorization: Basic ${basicAuth}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(token.status, 200, token.body);
    const { access_token } = JSON.parse(token.body);
    const zak = await raw(
      z.url,
      `GET /v2/users/${z.demo.user_id}/token?type=zak&ttl=3600 HTTP/1.1\r\n` +
        'Host: api.zoom.us\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n' +
        `Authorization: Bearer ${access_token}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(zak.status, 200, zak.body);
    assert.deepEqual(Object.keys(JSON.parse(zak.body)), ['token']);
    assert.match(zak.headers, /x-zm-trackingid: v=2\.0;/i);
  });

  test('Chilkat: form-encoded POST body with Basic auth, then GET with ttl=68423085 (the sample value, clamped to one year)', async () => {
    const form = `grant_type=account_credentials&account_id=${z.demo.account_id}`;
    const token = await raw(
      z.url,
      'POST /oauth/token HTTP/1.1\r\nHost: zoom.us\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n' +
        `Authorization: Basic ${basicAuth}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`,
    );
    assert.equal(token.status, 200, token.body);
    const { access_token } = JSON.parse(token.body);
    const zak = await raw(
      z.url,
      `GET /v2/users/${z.demo.email}/token?type=zak&ttl=68423085 HTTP/1.1\r\n` +
        'Host: api.zoom.us\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n' +
        `Authorization: Bearer ${access_token}\r\nConnection: close\r\n\r\n`,
    );
    // 68,423,085 s is over the one-year maximum: clamped to one year (docs/compatibility.md).
    assert.equal(zak.status, 200, zak.body);
    const { token: zakToken } = JSON.parse(zak.body);
    const claims = JSON.parse(Buffer.from(zakToken.split('.')[1], 'base64url').toString());
    assert.equal(claims.exp - claims.iat, 31_536_000);
    const ok = await raw(
      z.url,
      `GET /v2/users/${z.demo.email}/token?type=zak&ttl=3600 HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${access_token}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(ok.status, 200);
  });

  test('an unknown user in the sample flow is 404 code 1001', async () => {
    const token = await z.s2sToken();
    const res = await raw(
      z.url,
      `GET /v2/users/unknown.person@example.com/token?type=zak&ttl=3600 HTTP/1.1\r\nHost: api.zoom.us\r\n` +
        `Authorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.body), {
      code: 1001,
      message: 'User does not exist: unknown.person@example.com.',
    });
  });
});

describe('configuration', () => {
  test('flags win over ZEMU_* environment variables, which win over defaults', () => {
    const env = { ZEMU_PORT: '9700', ZEMU_HOST: '127.0.0.2', ZEMU_DATA: '/tmp/zemu-env' };
    assert.equal(resolveConfig({}, {}).port, 9600);
    assert.equal(resolveConfig({}, {}).host, '127.0.0.1');
    assert.equal(resolveConfig({}, env).port, 9700);
    assert.equal(resolveConfig({}, env).host, '127.0.0.2');
    assert.equal(resolveConfig({}, env).dataDir, '/tmp/zemu-env');
    assert.equal(resolveConfig({ port: '9800', host: '::1' }, env).port, 9800);
    assert.equal(resolveConfig({ port: '9800', host: '::1' }, env).host, '::1');
    assert.throws(() => resolveConfig({ port: 'abc' }, {}), /port must be an integer/);
  });
});
