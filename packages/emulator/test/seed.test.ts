import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { basic, startTestZemu } from './helpers.js';

const yaml = `
accounts:
  - id: acct_fixed_1
    name: Acme
    plan: business
    owner: { id: owner_fixed_1, email: boss@acme.test, first_name: Ada, last_name: Boss, password: correct-horse }
    users:
      - { id: user_basic_1, email: basic@acme.test, type: 1 }
      - { id: user_cust_1, email: api@acme.test, action: custCreate }
      - { id: user_off_1, email: off@acme.test, status: inactive }
      - { id: user_google_1, email: g@acme.test, login_type: 1 }
    apps:
      - name: Acme S2S
        type: server_to_server
        client_id: acmeClientId0001
        client_secret: acmeClientSecret0000000000000001
        scopes: [user:read:user:admin, user:read:token:admin]
`;

describe('--seed loads a known world', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-seed-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('YAML: accounts, users with type/login_type/status/action, apps with fixed credentials', async () => {
    const file = path.join(dir, 'world.yaml');
    fs.writeFileSync(file, yaml);
    const z = await startTestZemu({ seedFile: file });
    try {
      const res = await z.request(
        'POST',
        '/oauth/token?grant_type=account_credentials&account_id=acct_fixed_1',
        {
          headers: { authorization: basic('acmeClientId0001', 'acmeClientSecret0000000000000001') },
        },
      );
      assert.equal(res.status, 200, res.text);
      const token = res.body.access_token;
      const me = await z.api('GET', '/users/me', token);
      assert.equal(me.body.id, 'owner_fixed_1');
      assert.equal(me.body.role_name, 'Owner');
      const off = await z.api('GET', '/users/user_off_1', token);
      assert.equal(off.body.status, 'inactive');
      const cust = await z.api('GET', '/users/api@acme.test/token?type=zak', token);
      const c = JSON.parse(Buffer.from(cust.body.token.split('.')[1], 'base64url').toString());
      assert.equal(c.exp - c.iat, 7_776_000);
      assert.deepEqual((await z.api('GET', '/users/user_google_1/token', token)).body, { token: null });
      const acct = await z.control('GET', '/accounts/acct_fixed_1');
      assert.equal(acct.body.plan, 'business');
    } finally {
      await z.close();
    }
  });

  test('an app seeded with settings.strict_ttl refuses ttl above one year; one without clamps it', async () => {
    const file = path.join(dir, 'strict.json');
    const app = (client_id: string, settings: Record<string, unknown>) => ({
      name: client_id,
      type: 'server_to_server',
      client_id,
      client_secret: `${client_id}-secret-0123456789`,
      scopes: ['user:read:token:admin'],
      settings,
    });
    fs.writeFileSync(
      file,
      JSON.stringify({
        accounts: [
          {
            id: 'acct_ttl_1',
            owner: { id: 'owner_ttl_1', email: 'owner@ttl.test' },
            apps: [app('strictTtlApp0001', { strict_ttl: true }), app('lenientTtlApp001', {})],
          },
        ],
      }),
    );
    const z = await startTestZemu({ seedFile: file });
    try {
      const zak = async (clientId: string) => {
        const token = await z.s2sToken({
          account_id: 'acct_ttl_1',
          client_id: clientId,
          client_secret: `${clientId}-secret-0123456789`,
        });
        return z.api('GET', '/users/owner_ttl_1/token?type=zak&ttl=68423085', token);
      };
      const strict = await zak('strictTtlApp0001');
      assert.equal(strict.status, 400, strict.text);
      assert.equal(strict.body.code, 300);
      assert.equal(strict.body.errors[0].field, 'ttl');
      const lenient = await zak('lenientTtlApp001');
      assert.equal(lenient.status, 200, lenient.text);
    } finally {
      await z.close();
    }
  });

  test('JSON works too, and loading the same seed twice is idempotent', async () => {
    const file = path.join(dir, 'world.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        accounts: [{ name: 'J', owner: { email: 'j@json.test' }, users: [{ email: 'k@json.test' }] }],
      }),
    );
    const data = path.join(dir, 'data');
    const a = await startTestZemu({ seedFile: file, memory: false, dataDir: data });
    assert.deepEqual(a.zemu.built.seeded, { accounts: 1, users: 1, apps: 0 });
    await a.close();
    const b = await startTestZemu({ seedFile: file, memory: false, dataDir: data });
    assert.deepEqual(b.zemu.built.seeded, { accounts: 0, users: 0, apps: 0 });
    await b.close();
  });

  test('a bad seed file fails start-up with a message naming the entry', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'accounts:\n  - owner: { email: nope }\n');
    await assert.rejects(startTestZemu({ seedFile: file }), /accounts\[0\]: owner\.email: Invalid field\./);
    fs.writeFileSync(file, 'accounts: [\n');
    await assert.rejects(startTestZemu({ seedFile: file }), /not valid YAML/);
  });
});
