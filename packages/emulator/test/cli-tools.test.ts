/**
 * The terminal tools (`zemu requests|clock|faults|apps|accounts|users|listen|trigger`), spawned as a
 * person runs them, against an in-process Zemu named by ZEMU_URL.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../src/cli/exit-codes.js';
import { ZOOM_EVENTS } from '../src/webhooks/emit.js';
import { recordedEvents, startTestZemu, type TestZemu } from './helpers.js';
import { expectedSignature } from './webhook-receiver.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout (or stderr) matches. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number>;
}

function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(
    process.execPath,
    ['--conditions=zemu-source', '--import', 'tsx', 'packages/emulator/src/cli/main.ts', ...args],
    { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env } },
  );
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  for (const name of ['stdout', 'stderr'] as const) {
    child[name].on('data', (d) => {
      out[name] += d;
      for (const w of [...waiters]) w();
    });
  }
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor(stream, pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out[stream].match(pattern);
          if (m) {
            waiters.splice(waiters.indexOf(check), 1);
            resolve(m);
          }
        };
        waiters.push(check);
        exited.then((code) =>
          setImmediate(() => {
            if (waiters.includes(check))
              reject(new Error(`exited ${code} before ${pattern}: ${out.stdout}\n${out.stderr}`));
          }),
        );
        check();
      });
    },
  };
}

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = start(args, env);
  const code = await r.exited;
  return { code, stdout: r.stdout(), stderr: r.stderr() };
}

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

async function receiver() {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoom/webhook`,
    received,
    next(event: string): Promise<Received> {
      return new Promise((resolve) => {
        const check = () => {
          const hit = received.find((r) => JSON.parse(r.raw).event === event);
          if (hit) resolve(hit);
          else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('zemu terminal tools', () => {
  let z: TestZemu;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    z = await startTestZemu();
    env = { ZEMU_URL: z.url, ZEMU_ADMIN_TOKEN: '' };
  });
  after(() => z.close());

  test('requests --follow shows a request made after it started, with its code and reason', async () => {
    const follow = start(['requests', '--follow', '--limit', '0', '--status', '4xx'], env);
    try {
      await follow.waitFor('stderr', /Following the request log/);
      const res = await z.request('GET', '/v2/users/me', { headers: { authorization: 'Bearer nope' } });
      assert.equal(res.status, 401);
      const [line] = await follow.waitFor('stdout', /.*\/v2\/users\/me.*\n/);
      assert.match(line, /GET +\/v2\/users\/me {2}401 {2}124 {2}\S/);
      // A success does not pass --status 4xx.
      await z.s2sToken();
      assert.doesNotMatch(follow.stdout(), /oauth\/token/);
    } finally {
      follow.child.kill('SIGINT');
    }
    assert.equal(await follow.exited, EXIT.ok);
  });

  test('requests --json writes one JSON object a line, oldest first', async () => {
    await z.control('DELETE', '/requests');
    await z.s2sToken();
    await z.request('GET', '/v2/users/me');
    const r = await run(['requests', '--json'], env);
    assert.equal(r.code, EXIT.ok, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.method, l.path, l.status]),
      [
        ['POST', '/oauth/token', 200],
        ['GET', '/v2/users/me', 401],
      ],
    );
    assert.equal(lines[1].code, 124);
  });

  test('listen forwards a triggered event unchanged, signed so the receiver verifies it with the printed Secret Token', async () => {
    const target = await receiver();
    const listen = start(['listen', '--forward-to', target.url, '--events', 'user.*'], env);
    try {
      const [, secret] = (await listen.waitFor('stdout', /Secret Token: (\S+)\n/)) as [string, string];
      await listen.waitFor('stderr', /Ctrl-C to stop/);
      const trigger = await run(['trigger', 'user.created'], env);
      assert.equal(trigger.code, EXIT.ok, trigger.stderr);
      const [, userId, email] = /created user (\S+) \((\S+)\)/.exec(trigger.stdout) as unknown as [
        string,
        string,
        string,
      ];
      const got = await target.next('user.created');
      const ts = got.headers['x-zm-request-timestamp'] as string;
      assert.equal(got.headers['x-zm-signature'], expectedSignature(secret, ts, got.raw));
      assert.equal(got.headers['user-agent'], 'Zoom Marketplace/1.0a');
      const body = JSON.parse(got.raw);
      assert.equal(body.payload.object.id, userId);
      assert.equal(body.payload.object.email, email);
      // The receiver got the exact bytes Zemu signed: the delivery's record has the same signature.
      await listen.waitFor('stdout', /user\.created +-> \S+ +200/);
      // Only what was asked for: a meeting event is not subscribed.
      const subs = (await z.control('GET', `/apps/${z.demo.client_id}/webhooks`)).body.subscriptions;
      assert.equal(subs.length, 1);
      assert.deepEqual([...subs[0].events].sort(), ZOOM_EVENTS.filter((e) => e.startsWith('user.')).sort());
    } finally {
      listen.child.kill('SIGINT');
    }
    assert.equal(await listen.exited, EXIT.ok, listen.stderr());
    assert.match(listen.stderr(), /Removed subscription/);
    const after = (await z.control('GET', `/apps/${z.demo.client_id}/webhooks`)).body.subscriptions;
    assert.equal(after.length, 0, 'Ctrl-C removed the subscription');
    await target.close();
  });

  test('trigger performs the operation behind every event Zemu sends', async () => {
    const list = await run(['trigger', '--list', '--json'], env);
    assert.equal(list.code, EXIT.ok);
    const listed = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).event);
    assert.deepEqual(listed, [...ZOOM_EVENTS]);
    const app = (
      await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
        name: 'Deauth me',
        type: 'oauth_user',
        scopes: ['user:read:user'],
        redirect_uris: ['http://127.0.0.1:5999/cb'],
      })
    ).body;
    for (const event of ZOOM_EVENTS) {
      const before = (await recordedEvents(z, event)).length;
      const extra =
        event === 'app_deauthorized' ? ['--app', app.client_id, '--client-secret', app.client_secret] : [];
      const r = await run(['trigger', event, ...extra, '--json'], env);
      assert.equal(r.code, EXIT.ok, `${event}: ${r.stderr}`);
      const report = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
      assert.equal(report.event, event);
      assert.ok(report.steps.length >= 1);
      assert.equal((await recordedEvents(z, event)).length, before + 1, `${event} was recorded once`);
    }
  });

  test('trigger in another account acts through a temporary app and removes it', async () => {
    const other = (await z.control('POST', '/accounts', { owner: { email: 'trig-owner@other.test' } })).body;
    const r = await run(['trigger', 'meeting.created', '--account', other.id], env);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stdout, /temporary Server-to-Server app/);
    assert.match(r.stdout, /temporary app removed/);
    const account = (await z.control('GET', `/accounts/${other.id}`)).body;
    assert.equal(account.apps.length, 0);
    const created = await recordedEvents(z, 'meeting.created');
    assert.equal(created.at(-1)?.account_id, other.id);
  });

  test('clock commands move the clock the API judges tokens by', async () => {
    const token = await z.s2sToken();
    assert.equal((await z.api('GET', '/users/me', token)).status, 200);
    const advanced = await run(['clock', 'advance', '2h'], env);
    assert.equal(advanced.code, EXIT.ok, advanced.stderr);
    assert.match(advanced.stdout, /offset +\+2h/);
    // A leading - goes back, as the help says (commander must not read -1h as an option).
    const back = await run(['clock', 'advance', '-1h', '--json'], env);
    assert.equal(back.code, EXIT.ok, back.stderr);
    assert.equal(JSON.parse(back.stdout).offset_seconds, 3600);
    assert.equal((await run(['clock', 'advance', '1h'], env)).code, EXIT.ok);
    const expired = await z.api('GET', '/users/me', token);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.message, 'Access token is expired.');

    assert.equal((await run(['clock', 'freeze'], env)).code, EXIT.ok);
    assert.equal((await z.control('GET', '/clock')).body.frozen, true);
    const set = await run(['clock', 'set', '2031-05-01T12:00:00Z', '--json'], env);
    assert.equal(set.code, EXIT.ok, set.stderr);
    assert.equal(JSON.parse(set.stdout).now, '2031-05-01T12:00:00.000Z');
    assert.equal((await z.control('GET', '/clock')).body.now, '2031-05-01T12:00:00.000Z');
    assert.equal((await run(['clock', 'unfreeze'], env)).code, EXIT.ok);
    assert.equal((await z.control('GET', '/clock')).body.frozen, false);
    const shown = await run(['clock'], env);
    assert.match(shown.stdout, /^emulated +2031-05-01T12:/);
  });

  test('faults commands make the next request fail, list what is left and remove rules', async () => {
    const token = await z.s2sToken();
    const added = await run(
      ['faults', 'add', '--path', '/v2/users/*', '--status', '503', '--count', '1', '--json'],
      env,
    );
    assert.equal(added.code, EXIT.ok, added.stderr);
    const rule = JSON.parse(added.stdout);
    assert.equal(rule.status, 503);
    const listed = await run(['faults', 'list'], env);
    assert.match(listed.stdout, new RegExp(`${rule.id} +\\* /v2/users/\\* +error 503 +1 left`));
    assert.equal((await z.api('GET', '/users/me', token)).status, 503);
    assert.equal((await z.api('GET', '/users/me', token)).status, 200, 'the rule fired once');

    const slow = await run(['faults', 'add', '--path', '/v2/**', '--latency', '1', '--json'], env);
    assert.equal(JSON.parse(slow.stdout).action, 'latency');
    const rm = await run(['faults', 'rm', JSON.parse(slow.stdout).id], env);
    assert.equal(rm.code, EXIT.ok, rm.stderr);
    assert.equal((await z.control('GET', '/faults')).body.total_records, 0);
    await run(['faults', 'add', '--path', '/v2/users/*', '--status', '500'], env);
    assert.equal((await run(['faults', 'rm', '--all'], env)).code, EXIT.ok);
    assert.equal((await z.control('GET', '/faults')).body.total_records, 0);
  });

  test('apps, accounts and users create print what the control API made', async () => {
    const account = await run(
      ['accounts', 'create', '--email', 'cli-owner@cli.test', '--plan', 'business', '--json'],
      env,
    );
    assert.equal(account.code, EXIT.ok, account.stderr);
    const acct = JSON.parse(account.stdout);
    assert.equal(acct.plan, 'business');
    const app = await run(
      ['apps', 'create', '--account', acct.id, '--scopes', 'user:read:user:admin,user:read:token:admin'],
      env,
    );
    assert.equal(app.code, EXIT.ok, app.stderr);
    const clientId = (/client_id +(\S+)/.exec(app.stdout) as RegExpExecArray)[1] as string;
    const clientSecret = (/client_secret +(\S+)/.exec(app.stdout) as RegExpExecArray)[1] as string;
    const token = await z.s2sToken({ account_id: acct.id, client_id: clientId, client_secret: clientSecret });
    const user = await run(
      ['users', 'create', '--account', acct.id, '--email', 'cli-user@cli.test', '--json'],
      env,
    );
    assert.equal(user.code, EXIT.ok, user.stderr);
    const created = JSON.parse(user.stdout);
    const got = await z.api('GET', `/users/${created.id}`, token);
    assert.equal(got.status, 200);
    assert.equal(got.body.email, 'cli-user@cli.test');
  });

  test("bad values get the control API's error and a non-zero exit, and nothing is written", async () => {
    const clockBefore = (await z.control('GET', '/clock')).body;
    const badTime = await run(['clock', 'set', 'next tuesday'], env);
    assert.equal(badTime.code, EXIT.api);
    assert.match(
      badTime.stderr,
      /answered 400 \(code 300\): Validation Failed\.\n {2}set: Must be an ISO 8601 time\./,
    );
    assert.match(badTime.stderr, /hint: /);
    const clockAfter = (await z.control('GET', '/clock')).body;
    assert.equal(clockAfter.offset_seconds, clockBefore.offset_seconds);

    const badDuration = await run(['clock', 'advance', '3 weeks'], env);
    assert.equal(badDuration.code, EXIT.usage);
    assert.match(badDuration.stderr, /not a duration/);
    const optionLike = await run(['clock', 'advance', '--soon'], env);
    assert.equal(optionLike.code, EXIT.usage);
    assert.match(optionLike.stderr, /not a duration: "--soon"/);

    const badFault = await run(
      ['faults', 'add', '--path', '/v2/users/*', '--status', 'often', '--json'],
      env,
    );
    assert.equal(badFault.code, EXIT.api);
    const error = JSON.parse(badFault.stdout).error;
    assert.equal(error.code, 300);
    assert.deepEqual(error.errors, [
      { field: 'status', message: 'Required for action error: an HTTP status from 400 to 599.' },
    ]);
    assert.equal((await z.control('GET', '/faults')).body.total_records, 0);

    const appsBefore = (await z.control('GET', `/accounts/${z.demo.account_id}`)).body.apps.length;
    const badApp = await run(['apps', 'create', '--type', 'webhook_only', '--scopes', 'x'], env);
    assert.equal(badApp.code, EXIT.api);
    assert.match(badApp.stderr, /type/);
    assert.equal((await z.control('GET', `/accounts/${z.demo.account_id}`)).body.apps.length, appsBefore);

    const unknownRule = await run(['faults', 'rm', 'f_nope'], env);
    assert.equal(unknownRule.code, EXIT.notFound);

    const badEvent = await run(['trigger', 'user.exploded'], env);
    assert.equal(badEvent.code, EXIT.usage);
    assert.match(badEvent.stderr, /does not send "user.exploded"/);

    const badPattern = await run(
      ['listen', '--forward-to', 'http://127.0.0.1:1/x', '--events', 'webinar.*'],
      env,
    );
    assert.equal(badPattern.code, EXIT.usage);
    assert.equal((await z.control('GET', `/apps/${z.demo.client_id}/webhooks`)).body.subscriptions.length, 0);

    const unknownFlag = await run(['faults', 'add', '--colour', 'red'], env);
    assert.equal(unknownFlag.code, EXIT.usage);
    assert.doesNotMatch(unknownFlag.stderr, /hint: a value that begins/);
    // An id that begins with '-' (one Zoom id in 64) reads as an option: the hint says what to do.
    const dashId = await run(['users', 'get', '-Gh0stUserId0000000000'], env);
    assert.equal(dashId.code, EXIT.usage);
    assert.match(dashId.stderr, /unknown option '-Gh0stUserId0000000000'/);
    assert.match(
      dashId.stderr,
      /hint: a value that begins with - goes after --, e\.g\. zemu users get -- -Gh0stUserId0000000000/,
    );
  });

  test('an unreachable ZEMU_URL says so, with what to do, and exits with the network code', async () => {
    const r = await run(['clock'], { ZEMU_URL: 'http://127.0.0.1:1' });
    assert.equal(r.code, EXIT.network);
    assert.match(r.stderr, /cannot reach Zemu at http:\/\/127\.0\.0\.1:1/);
    assert.match(r.stderr, /hint: Is it running\?/);
  });
});

describe('zemu requests --follow across a restart', () => {
  test('a stopped Zemu ends the stream (close does not hang), and follow picks up the restarted one', {
    timeout: 90_000,
  }, async () => {
    const first = await startTestZemu();
    const port = Number(new URL(first.url).port);
    const follow = start(['requests', '--follow', '--limit', '0'], { ZEMU_URL: first.url });
    let second: TestZemu | undefined;
    try {
      await follow.waitFor('stderr', /Following the request log/);
      await first.request('GET', '/v2/users/me');
      await follow.waitFor('stdout', /\/v2\/users\/me {2}401/);
      await first.close();
      second = await startTestZemu({ port });
      await follow.waitFor('stderr', /Zemu restarted/);
      await second.request('GET', '/v2/users/nobody');
      await follow.waitFor('stdout', /\/v2\/users\/nobody {2}401/);
    } finally {
      follow.child.kill('SIGINT');
      await second?.close();
    }
    assert.equal(await follow.exited, EXIT.ok);
  });
});

describe('zemu terminal tools and the admin token', () => {
  test('ZEMU_ADMIN_TOKEN is sent as a bearer token; a refused one gets the auth exit code and a hint', async () => {
    // A stand-in for a Zemu reached over the network (tests bind loopback only): it answers as the
    // admin gate does, and records what the CLI sent.
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization === 'Bearer cli-admin-token-1234') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ now: '2030-01-01T00:00:00.000Z', epoch_ms: 0, frozen: false, offset_seconds: 0 }),
        );
      } else {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            code: 124,
            message:
              'The control API needs Authorization: Bearer <ZEMU_ADMIN_TOKEN> when Zemu is reached over the network.',
          }),
        );
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await run(['clock', '--json'], { ZEMU_URL: url, ZEMU_ADMIN_TOKEN: 'cli-admin-token-1234' });
      assert.equal(ok.code, EXIT.ok, ok.stderr);
      assert.equal(JSON.parse(ok.stdout).now, '2030-01-01T00:00:00.000Z');
      const wrong = await run(['clock'], { ZEMU_URL: url, ZEMU_ADMIN_TOKEN: 'wrong-token-000000' });
      assert.equal(wrong.code, EXIT.auth);
      assert.match(wrong.stderr, /answered 401 \(code 124\)/);
      assert.match(wrong.stderr, /ZEMU_ADMIN_TOKEN is not the admin token/);
      const none = await run(['clock'], { ZEMU_URL: url, ZEMU_ADMIN_TOKEN: '' });
      assert.equal(none.code, EXIT.auth);
      assert.match(none.stderr, /set ZEMU_ADMIN_TOKEN/);
      assert.deepEqual(seen, ['Bearer cli-admin-token-1234', 'Bearer wrong-token-000000', undefined]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
