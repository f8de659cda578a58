/**
 * `zemu token inspect` away from a Zemu (no introspection): the claims, then GET /users/me, whose
 * answer says why a token fails. Against a recording fetch that answers as Zoom does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { registerClientCommands } from '../src/cli/client-commands.js';
import { EXIT } from '../src/cli/exit-codes.js';

const jwt = (claims: Record<string, unknown>) =>
  `eyJhbGciOiJIUzUxMiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const live = jwt({ aid: 'acc1', cid: 'cid1', uid: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 });

async function inspect(answer: () => Response | Promise<Response>, token = live) {
  const out = { code: -1, stdout: '', stderr: '', urls: [] as string[] };
  const program = new Command().name('zemu').exitOverride();
  registerClientCommands(program, {
    env: {
      XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'zemu-inspect-')),
      ZOOM_API_URL: 'http://api.test/v2',
    },
    fetch: async (url) => {
      out.urls.push(String(url));
      return answer();
    },
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    setExitCode: (c) => {
      out.code = c;
    },
  });
  await program.parseAsync(['node', 'zemu', 'token', 'inspect', token, '--json']);
  return { ...out, report: out.stdout ? JSON.parse(out.stdout) : undefined };
}

const zoom = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('zemu token inspect without introspection', () => {
  test('a token the API accepts is active, with its claims and the test call', async () => {
    const run = await inspect(() => zoom(200, { id: 'u1' }));
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.deepEqual(run.urls, ['http://api.test/v2/users/me']);
    assert.equal(run.report.active, true);
    assert.equal(run.report.source, 'claims-and-test-call');
    assert.equal(run.report.account_id, 'acc1');
    assert.equal(run.report.test_call, 'GET /users/me -> 200 {"id":"u1"}');
  });

  test('124 says expired or rejected, once (no retry, no renewal)', async () => {
    const expired = await inspect(() => zoom(401, { code: 124, message: 'Access token is expired.' }));
    assert.equal(expired.code, EXIT.auth);
    assert.equal(expired.urls.length, 1);
    assert.match(expired.report.reason, /^expired \(the server says "Access token is expired\."\)/);
    const rejected = await inspect(() => zoom(401, { code: 124, message: 'Invalid access token.' }));
    assert.match(rejected.report.reason, /^rejected .*revoked, superseded/);
    assert.equal(
      rejected.report.test_call,
      'GET /users/me -> 401 {"code":124,"message":"Invalid access token."}',
    );
  });

  test('4711: the token works but lacks scopes (exit 0)', async () => {
    const message = 'Invalid access token, does not contain scopes:[user:read:user].';
    const run = await inspect(() => zoom(400, { code: 4711, message }));
    assert.equal(run.code, EXIT.ok);
    assert.equal(run.report.active, true);
    assert.equal(run.report.reason, `works, but lacks scopes for GET /users/me: ${message}`);
  });

  test('any other answer is reported as is, without a retry', async () => {
    const run = await inspect(() => zoom(500, { code: 500, message: 'boom' }));
    assert.equal(run.code, EXIT.auth);
    assert.equal(run.urls.length, 1);
    assert.equal(run.report.reason, 'the API answered 500: boom');
  });

  test('no answer is a network failure (exit 6)', async () => {
    const run = await inspect(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    });
    assert.equal(run.code, EXIT.network);
    assert.equal(run.report.error.message, 'could not reach http://api.test/v2 to test the token');
  });

  test('an expired or non-JWT token is judged without a call', async () => {
    const old = await inspect(() => zoom(200, {}), jwt({ exp: 1 }));
    assert.match(old.report.reason, /^expired at 1970-01-01T00:00:01\.000Z/);
    const garbage = await inspect(() => zoom(200, {}), 'not-a-token');
    assert.match(garbage.report.reason, /^not a JWT/);
    assert.deepEqual([...old.urls, ...garbage.urls], []);
  });
});
