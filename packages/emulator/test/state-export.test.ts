/** GET /_zemu/export, POST /_zemu/import, zemu serve --import / --export-on-exit, and refused documents. */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestZemu } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = ['--conditions=zemu-source', '--import', 'tsx', 'packages/emulator/src/cli/main.ts'];

describe('export and import', () => {
  test('an export imported into another installation keeps its tokens, ZAKs and hashed secrets', async () => {
    const a = await startTestZemu();
    const b = await startTestZemu();
    try {
      const token = await a.s2sToken();
      const zak = (await a.api('GET', `/users/${a.demo.user_id}/token?type=zak&ttl=3600`, token)).body.token;
      const app = await a.control('POST', `/accounts/${a.demo.account_id}/apps`, {
        name: 'Exported',
        type: 'server_to_server',
        scopes: ['user:read:list_users:admin'],
      });
      const exported = await a.control('GET', '/export');
      assert.equal(exported.status, 200);
      assert.equal(exported.body.kind, 'zemu-state');
      assert.equal(exported.body.format, 1);
      assert.ok(!exported.text.includes(app.body.client_secret), 'no client secret in clear');
      assert.ok(!exported.text.includes(a.demo.client_secret), 'no demo secret in clear');
      assert.ok(!exported.text.includes('zemu-demo-password'), 'no password in clear');

      assert.equal((await b.api('GET', '/users/me', token)).status, 401, 'another installation');
      const imported = await b.control('POST', '/import', exported.body);
      assert.equal(imported.status, 204, imported.text);
      assert.equal(
        (await b.api('GET', '/users/me', token)).status,
        200,
        'the token verifies after the import',
      );
      assert.deepEqual(
        b.zemu.demo,
        a.demo,
        'the demo of the imported state, its secret from the imported key',
      );
      const { ctx } = b.zemu.built;
      const host = await ctx.store.users.findById(a.demo.user_id);
      assert.ok(host);
      assert.equal((await ctx.zaks.check(zak, host)).ok, true);
      assert.equal(
        typeof (await b.s2sToken({
          ...a.demo,
          client_id: app.body.client_id,
          client_secret: app.body.client_secret,
        })),
        'string',
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a document of an older schema is migrated on import', async () => {
    const z = await startTestZemu();
    try {
      const token = await z.s2sToken();
      await z.control('POST', `/accounts/${z.demo.account_id}/users`, { email: 'old-format@export.test' });
      const doc = (await z.control('GET', '/export')).body;
      // As a Zemu before migration 0012 wrote it: no user_counts table yet (nor 0018's meeting tables, nor 0019's registrants).
      doc.state.schema = '0011_webhook_delivery';
      delete doc.state.tables.user_counts;
      delete doc.state.tables.meeting_instances;
      delete doc.state.tables.meeting_participants;
      delete doc.state.sequences['meeting_instances.seq'];
      delete doc.state.sequences['meeting_participants.seq'];
      delete doc.state.tables.meeting_registrants;
      delete doc.state.tables.meeting_registration_questions;
      delete doc.state.sequences['meeting_registrants.seq'];
      delete doc.state.tables.recordings;
      delete doc.state.tables.recording_files;
      delete doc.state.sequences['recordings.seq'];
      delete doc.state.sequences['recording_files.seq'];
      await z.control('POST', '/reset');
      assert.equal((await z.control('POST', '/import', doc)).status, 204);
      const list = await z.api('GET', '/users', token);
      assert.equal(list.status, 200);
      assert.equal(list.body.total_records, 2, 'user_counts rebuilt by the migration');
    } finally {
      await z.close();
    }
  });

  test('malformed, foreign and newer documents are refused with 400 code 300 and nothing written', async () => {
    const z = await startTestZemu();
    try {
      const token = await z.s2sToken();
      const good = (await z.control('GET', '/export')).body;
      const cases: [string, unknown, RegExp][] = [
        ['foreign', { hello: 'world' }, /not a Zemu state document/],
        ['array', [1, 2], /not a Zemu state document/],
        ['newer format', { ...good, format: 99 }, /newer Zemu.*upgrade Zemu/],
        [
          'newer schema',
          { ...good, state: { ...good.state, schema: '9999_future' } },
          /newer than this Zemu's/,
        ],
        ['bad key', { ...good, installation_key: 'short' }, /installation_key/],
        [
          'unknown table',
          {
            ...good,
            state: { ...good.state, tables: { ...good.state.tables, nope: { columns: [], rows: [] } } },
          },
          /unknown table "nope"/,
        ],
        [
          'bad row',
          {
            ...good,
            state: {
              ...good.state,
              tables: { ...good.state.tables, users: { columns: ['id'], rows: [[{}]] } },
            },
          },
          /not a string, a number or null/,
        ],
        [
          'duplicate key',
          {
            ...good,
            state: {
              ...good.state,
              tables: {
                ...good.state.tables,
                accounts: {
                  ...good.state.tables.accounts,
                  rows: [...good.state.tables.accounts.rows, ...good.state.tables.accounts.rows],
                },
              },
            },
          },
          /does not fit the tables/,
        ],
        [
          'dangling reference',
          {
            ...good,
            state: {
              ...good.state,
              tables: {
                ...good.state.tables,
                apps: {
                  ...good.state.tables.apps,
                  rows: good.state.tables.apps.rows.map((row: unknown[]) =>
                    row.map((value, i) =>
                      good.state.tables.apps.columns[i] === 'account_id' ? 'no-such-account' : value,
                    ),
                  ),
                },
              },
            },
          },
          /does not fit the tables: a row of "apps" refers to a missing row of "accounts"/,
        ],
        ['bad faults', { ...good, faults: [{ id: 1 }] }, /fault rule 0/],
      ];
      for (const [name, doc, message] of cases) {
        const res = await z.control('POST', '/import', doc);
        assert.equal(res.status, 400, `${name}: ${res.text}`);
        assert.equal(res.body.code, 300, name);
        assert.match(res.body.message, message, name);
        assert.equal((await z.api('GET', '/users/me', token)).status, 200, `${name}: the state is intact`);
      }
      const notJson = await z.request('POST', '/_zemu/import', {
        headers: { 'content-type': 'application/json' },
        body: '{',
      });
      assert.equal(notJson.status, 400);
    } finally {
      await z.close();
    }
  });

  test('zemu serve --import starts from a file and --export-on-exit writes one on SIGTERM', {
    timeout: 90_000,
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-export-'));
    const z = await startTestZemu();
    try {
      const token = await z.s2sToken();
      const input = path.join(dir, 'in.json');
      const output = path.join(dir, 'out.json');
      fs.writeFileSync(input, JSON.stringify((await z.control('GET', '/export')).body));
      const child = spawn(
        process.execPath,
        [
          ...cli,
          'serve',
          '--memory',
          '--port',
          '0',
          '--log-level',
          'warn',
          '--import',
          input,
          '--export-on-exit',
          output,
        ],
        { cwd: root, env: { ...process.env, ZEMU_PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      while (!out.includes('Ctrl-C')) {
        const [exited] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
        if (typeof exited === 'number') assert.fail(`zemu exited early: ${out}`);
      }
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      assert.ok(url, out);
      const me = await fetch(`${url}/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200, 'the imported token works');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      const written = JSON.parse(fs.readFileSync(output, 'utf8'));
      assert.equal(written.kind, 'zemu-state');
      assert.equal(written.installation_key, JSON.parse(fs.readFileSync(input, 'utf8')).installation_key);
      assert.equal((fs.statSync(output).mode & 0o777).toString(8), '600', 'readable by its owner only');

      fs.writeFileSync(path.join(dir, 'bad.json'), '{"kind":"zemu-state","format":7}');
      const refused = await promisify(execFile)(
        process.execPath,
        [...cli, 'serve', '--memory', '--port', '0', '--import', path.join(dir, 'bad.json')],
        { cwd: root, encoding: 'utf8' },
      ).catch((error: { code: number; stderr: string }) => error);
      assert.equal((refused as { code: number }).code, 1);
      assert.match(
        (refused as { stderr: string }).stderr,
        /format 7, made by a newer Zemu.*Nothing was imported/,
      );
    } finally {
      await z.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
