/**
 * Zoom's published samples (test/fixtures/samples, see SOURCE.md there) run as written against a live
 * Zemu: the real curl binary, the Postman item through newman, and the Server-to-Server folder's flow.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import newman from 'newman';
import { basic, startTestZemu, type TestZemu, userToken } from './helpers.js';

const SAMPLES = new URL('./fixtures/samples/', import.meta.url);
const sample = (name: string) => fs.readFileSync(new URL(name, SAMPLES), 'utf8');
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'));

/** The words of a shell command: whitespace and newlines separate, double or single quotes group. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? (m[3] as string));
}

describe("Zoom's published samples, as written, against a live Zemu", () => {
  let z: TestZemu;
  let token: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-samples-'));
  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
  });
  after(async () => {
    await z.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the curl command, run by curl with only the host changed and a real token: 200 {"token"}', async (t) => {
    const args = words(sample('get-a-user-token.curl.txt'));
    assert.equal(args.shift(), 'curl');
    assert.deepEqual(args, [
      '-G',
      '-d',
      'type=zak',
      '-d',
      'ttl=68423085',
      '-H',
      'Authorization: Bearer <access_token>',
      'https://api.zoom.us/v2/users/:userId/token',
    ]);
    const filled = args.map((a) =>
      a
        .replace('https://api.zoom.us', z.url)
        .replace('<access_token>', token)
        .replace(':userId', z.demo.user_id),
    );
    let out: { stdout: string };
    try {
      // -s and -w only make curl quiet and print the status after the body.
      out = await promisify(execFile)('curl', [...filled, '-s', '-w', '\n%{http_code}']);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        t.skip('curl is not installed: install curl (Debian: apt-get install curl) to run this test');
        return;
      }
      throw error;
    }
    const lines = out.stdout.split('\n');
    const status = lines.pop();
    const body = JSON.parse(lines.join('\n'));
    assert.equal(status, '200', out.stdout);
    assert.deepEqual(Object.keys(body), ['token']);
    const c = claims(body.token);
    assert.equal(c.uid, z.demo.user_id);
    assert.equal(c.exp - c.iat, 31_536_000, 'ttl=68423085 is clamped to one year');
  });

  /**
   * A collection around the Postman item, the item's bytes spliced in unchanged. Its `auth: oauth2`
   * has no parameters and sends nothing, so a collection-level pre-request script adds the bearer
   * token, and fills the `:userId` path variable when the collection says which user (as a Postman
   * user would in the Params tab).
   */
  async function runItem(variables: Record<string, string>) {
    const item = sample('get-a-user-token.postman-item.json');
    const script = [
      "pm.request.headers.upsert({ key: 'Authorization', value: 'Bearer ' + pm.collectionVariables.get('accessToken') });",
      "if (pm.collectionVariables.get('userId')) pm.request.url.variables.upsert({ key: 'userId', value: pm.collectionVariables.get('userId') });",
    ];
    const collection =
      '{"info":{"name":"Zemu samples","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},' +
      `"event":[{"listen":"prerequest","script":{"type":"text/javascript","exec":${JSON.stringify(script)}}}],` +
      `"variable":${JSON.stringify(Object.entries(variables).map(([key, value]) => ({ key, value })))},` +
      `"item":[${item}]}`;
    const file = path.join(dir, `collection-${Object.keys(variables).length}.json`);
    fs.writeFileSync(file, collection);
    assert.ok(fs.readFileSync(file, 'utf8').includes(item), 'the item is in the collection byte for byte');
    const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) => {
      newman.run({ collection: file, reporters: [] }, (error, result) =>
        error ? reject(error) : resolve(result),
      );
    });
    assert.equal(summary.run.failures.length, 0, JSON.stringify(summary.run.failures));
    const [execution] = summary.run.executions;
    assert.ok(execution?.response, 'newman sent the request');
    const request = execution.request;
    return {
      url: request.url.toString(),
      authorization: request.headers.get('Authorization'),
      status: execution.response.code,
      body: JSON.parse(execution.response.stream?.toString('utf8') ?? 'null'),
    };
  }

  test('the Postman item, byte for byte, run by newman with baseUrl and a collection-level bearer token: 200 {"token"}', async () => {
    const res = await runItem({ baseUrl: `${z.url}/v2`, accessToken: token, userId: z.demo.user_id });
    assert.equal(res.url, `${z.url}/v2/users/${z.demo.user_id}/token?type=zak&ttl=68423085`);
    assert.equal(res.authorization, `Bearer ${token}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), ['token']);
    assert.equal(typeof res.body.token, 'string');
    assert.equal(claims(res.body.token).exp - claims(res.body.token).iat, 31_536_000);
  });

  test("the Postman item with its own placeholder user is the item's documented 404 code 1001", async () => {
    const res = await runItem({ baseUrl: `${z.url}/v2`, accessToken: token });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      code: 1001,
      message: 'User does not exist: quis officia in reprehenderit.',
    });
  });

  test("the Server-to-Server folder: Get a user with another app type's token gives account_id, then POST /oauth/token?grant_type=account_credentials&account_id=…", async () => {
    const doc = sample('server-to-server-oauth.postman-doc.txt');
    assert.match(doc, /GET \{\{baseUrl\}\}\/users\/\{userId\}/);
    const tokenUrl =
      /POST (https:\/\/zoom\.us\/oauth\/token\?grant_type=account_credentials&account_id=)\[account_id\]/.exec(
        doc,
      )?.[1];
    assert.ok(tokenUrl, 'the folder names the token request');

    // "another pre-created OAuth app type's access_token": a user-managed OAuth app, authorized by a user.
    const userAccess = await userToken(z, { email: z.demo.email, scopes: ['user:read:user'] });

    // 1. Get a user
    const user = await z.api('GET', '/users/me', userAccess);
    assert.equal(user.status, 200, user.text);
    assert.equal(user.body.account_id, z.demo.account_id);

    // 2. Get access token, with the Server-to-Server app's client id and secret as Basic auth.
    const url = `${tokenUrl.replace('https://zoom.us', z.url)}${user.body.account_id}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: basic(z.demo.client_id, z.demo.client_secret) },
    });
    const body = (await res.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
      refresh_token?: string;
    };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.scope, 'string');
    assert.equal(body.refresh_token, undefined, 'no refresh tokens for Server-to-Server OAuth');
    const zak = await z.api('GET', `/users/${z.demo.user_id}/token?type=zak&ttl=68423085`, body.access_token);
    assert.equal(zak.status, 200, zak.text);
  });
});
