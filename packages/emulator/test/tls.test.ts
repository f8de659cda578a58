import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestZemu, type TestZemu } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hasCurl = spawnSync('curl', ['--version']).status === 0;
const run = promisify(execFile);

function tempCaDir(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-ca-')), 'ca');
}

function tlsPort(z: TestZemu): string {
  return new URL(z.zemu.tlsUrl!).port;
}

describe('zemu serve --tls', () => {
  let z: TestZemu;
  let caDir: string;

  before(async () => {
    caDir = tempCaDir();
    z = await startTestZemu({ tls: true, tlsPort: 0, caDir });
  });
  after(() => z.close());

  test('curl --connect-to api.zoom.us:443 with --cacert gets 200 with a ZAK', {
    skip: !hasCurl && 'no curl',
  }, async () => {
    const port = tlsPort(z);
    const ca = z.zemu.caCertPath!;
    const d = z.demo;
    const token = await run('curl', [
      '-sS',
      '--connect-to',
      `zoom.us:443:127.0.0.1:${port}`,
      '--cacert',
      ca,
      '-X',
      'POST',
      '-u',
      `${d.client_id}:${d.client_secret}`,
      `https://zoom.us/oauth/token?grant_type=account_credentials&account_id=${d.account_id}`,
    ]);
    const accessToken = JSON.parse(token.stdout).access_token as string;
    // The samples' command, URL unchanged: a ZAK, its ttl over a year clamped to one year (as over HTTP).
    const zak = (ttl: string) =>
      run('curl', [
        '-sS',
        '-w',
        '\n%{http_code}',
        '--connect-to',
        `api.zoom.us:443:127.0.0.1:${port}`,
        '--cacert',
        ca,
        '-G',
        '-d',
        'type=zak',
        '-d',
        `ttl=${ttl}`,
        '-H',
        `Authorization: Bearer ${accessToken}`,
        `https://api.zoom.us/v2/users/${d.user_id}/token`,
      ]).then((r) => r.stdout.split('\n'));
    const [body, status] = await zak('3600');
    assert.equal(status, '200', body);
    assert.match(JSON.parse(body!).token, /^eyJ/);
    const [samples, samplesStatus] = await zak('68423085');
    assert.equal(samplesStatus, '200', samples);
    assert.match(JSON.parse(samples!).token, /^eyJ/);
    // Over TLS the answers point at the HTTPS origin the request came through.
    assert.equal(JSON.parse(token.stdout).api_url, z.zemu.tlsUrl);
  });

  test('the served chain verifies against the CA for zoom.us, api.zoom.us, localhost, 127.0.0.1 and ::1', async () => {
    const caPem = fs.readFileSync(z.zemu.caCertPath!, 'utf8');
    const ca = new X509Certificate(caPem);
    assert.ok(ca.ca, 'the CA certificate is a CA');
    for (const name of ['zoom.us', 'api.zoom.us', 'localhost', '127.0.0.1', '::1']) {
      const ip = name.includes(':') || /^\d/.test(name);
      const socket = tls.connect({
        host: '127.0.0.1',
        port: Number(tlsPort(z)),
        ca: caPem,
        ...(ip ? {} : { servername: name }),
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      assert.equal(socket.authorized, true, `${name}: ${socket.authorizationError}`);
      const leaf = new X509Certificate(socket.getPeerCertificate().raw);
      socket.destroy();
      assert.ok(leaf.verify(ca.publicKey), 'the leaf is signed by the CA');
      assert.ok(ip ? leaf.checkIP(name) : leaf.checkHost(name), `${name} is in the leaf`);
    }
  });

  test('URLs in answers point at the origin the request came through: HTTPS over TLS, HTTP otherwise', async () => {
    const token = await z.s2sToken();
    const caPem = fs.readFileSync(z.zemu.caCertPath!, 'utf8');
    const body = JSON.stringify({
      topic: 'over TLS',
      type: 2,
      start_time: '2030-01-01T10:00:00Z',
      duration: 30,
    });
    const overTls = await new Promise<Record<string, string>>((resolve, reject) => {
      const req = https.request(
        `${z.zemu.tlsUrl}/v2/users/me/meetings`,
        {
          method: 'POST',
          ca: caPem,
          servername: 'api.zoom.us',
          headers: {
            host: 'api.zoom.us',
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.ok(overTls.start_url?.startsWith(`${z.zemu.tlsUrl}/s/`), overTls.start_url);
    assert.ok(overTls.join_url?.startsWith(`${z.zemu.tlsUrl}/j/`), overTls.join_url);
    const overHttp = await z.api('GET', `/meetings/${overTls.id}`, token);
    assert.ok(overHttp.body.join_url.startsWith(`${z.url}/j/`), overHttp.body.join_url);
    assert.equal(overHttp.body.topic, 'over TLS');
  });

  test('the CA key is private to its owner and the CA has a bounded lifetime', () => {
    const mode = fs.statSync(path.join(caDir, 'ca-key.pem')).mode & 0o777;
    assert.equal(mode, 0o600);
    const ca = new X509Certificate(fs.readFileSync(z.zemu.caCertPath!));
    const days = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / 86_400_000;
    assert.ok(days <= 731, `CA lifetime ${days} days`);
    assert.equal(ca.publicKey.asymmetricKeyType, 'ec');
  });
});

describe('the local CA', () => {
  test('a second start reuses the CA and its new leaf verifies against it', async () => {
    const caDir = tempCaDir();
    const first = await startTestZemu({ tls: true, tlsPort: 0, caDir });
    const caPem = fs.readFileSync(first.zemu.caCertPath!, 'utf8');
    const keyPem = fs.readFileSync(path.join(caDir, 'ca-key.pem'), 'utf8');
    await first.close();
    const second = await startTestZemu({ tls: true, tlsPort: 0, caDir });
    try {
      assert.equal(fs.readFileSync(second.zemu.caCertPath!, 'utf8'), caPem);
      assert.equal(fs.readFileSync(path.join(caDir, 'ca-key.pem'), 'utf8'), keyPem);
      const res = await new Promise<number>((resolve, reject) => {
        const req = tls.connect({
          host: '127.0.0.1',
          port: Number(tlsPort(second)),
          ca: caPem,
          servername: 'api.zoom.us',
        });
        req.once('secureConnect', () => {
          resolve(req.authorized ? 1 : 0);
          req.destroy();
        });
        req.once('error', reject);
      });
      assert.equal(res, 1);
    } finally {
      await second.close();
    }
  });

  test('a corrupt CA file is reported with a clear error and is not replaced', async () => {
    const caDir = tempCaDir();
    const first = await startTestZemu({ tls: true, tlsPort: 0, caDir });
    await first.close();
    const certPath = path.join(caDir, 'ca.pem');
    fs.writeFileSync(certPath, '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
    await assert.rejects(
      startTestZemu({ tls: true, tlsPort: 0, caDir }),
      /the local CA in .* cannot be used: ca\.pem is not a PEM certificate\. Zemu does not replace it/,
    );
    assert.match(fs.readFileSync(certPath, 'utf8'), /not a certificate/, 'the file is left as it was');
    // The CLI says the same and what to do, with exit code 1.
    const cli = spawnSync(
      process.execPath,
      [
        '--conditions=zemu-source',
        '--import',
        'tsx',
        'packages/emulator/src/cli/main.ts',
        'ca',
        '--ca-dir',
        caDir,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /^zemu ca: the local CA in .* cannot be used: .*move both away/);
  });

  test('--public-url wins over the TLS origin in answers', async () => {
    const z = await startTestZemu({
      tls: true,
      tlsPort: 0,
      caDir: tempCaDir(),
      publicUrl: 'http://zemu.test:9600',
    });
    try {
      const caPem = fs.readFileSync(z.zemu.caCertPath!, 'utf8');
      const d = z.demo;
      const answer = await new Promise<Record<string, string>>((resolve, reject) => {
        const req = https.request(
          `${z.zemu.tlsUrl}/oauth/token?grant_type=account_credentials&account_id=${d.account_id}`,
          { method: 'POST', ca: caPem, servername: 'zoom.us', auth: `${d.client_id}:${d.client_secret}` },
          (res) => {
            let text = '';
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => resolve(JSON.parse(text)));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(answer.api_url, 'http://zemu.test:9600');
    } finally {
      await z.close();
    }
  });

  test('zemu ca prints the CA path, creating the CA once; zemu ca --pem prints the certificate', () => {
    const caDir = tempCaDir();
    const zemu = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--conditions=zemu-source', '--import', 'tsx', 'packages/emulator/src/cli/main.ts', 'ca', ...args],
        { cwd: root, encoding: 'utf8' },
      );
    const first = zemu('--ca-dir', caDir);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, `${path.join(caDir, 'ca.pem')}\n`);
    const pem = zemu('--ca-dir', caDir, '--pem');
    assert.equal(pem.status, 0, pem.stderr);
    assert.equal(pem.stdout, fs.readFileSync(path.join(caDir, 'ca.pem'), 'utf8'));
    assert.match(pem.stdout, /^-----BEGIN CERTIFICATE-----\n/);
  });
});
