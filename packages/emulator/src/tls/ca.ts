/**
 * Zemu's local certificate authority: created once in `<data>/ca/` (ca.pem, ca-key.pem), reused at
 * every start, never replaced behind the user's back (clients may trust it). Each start issues a
 * fresh leaf in memory for zoom.us, api.zoom.us, localhost, 127.0.0.1 and ::1, signed by the CA.
 * X.509 is built by @peculiar/x509 on Node's WebCrypto (see docs/architecture.md for the choice).
 */
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { CaError } from './errors.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 with SHA-256: strong, fast to generate, accepted by every TLS stack in use. */
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
/** The CA lives two years: long enough to trust once per project, short enough to age out. */
export const CA_LIFETIME_DAYS = 730;
/** Leaves are re-issued at every start and live 90 days at most (never beyond the CA). */
export const LEAF_LIFETIME_DAYS = 90;
export const LEAF_NAMES = { dns: ['zoom.us', 'api.zoom.us', 'localhost'], ip: ['127.0.0.1', '::1'] };

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';

export { CaError };

export interface LocalCa {
  dir: string;
  certPath: string;
  certPem: string;
  /** True when this call created the CA. */
  created: boolean;
  cert: x509.X509Certificate;
  key: webcrypto.CryptoKey;
}

export interface ServerCertificate {
  /** Leaf then CA, PEM. */
  certPem: string;
  keyPem: string;
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return bytes.toString('hex');
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** Writes a file only if no file has that name yet (link of a private temp file: atomic, no clobber). */
function writeNew(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, text, { mode, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function unusable(dir: string, why: string): CaError {
  return new CaError(
    `the local CA in ${dir} cannot be used: ${why}. Zemu does not replace it by itself, because ` +
      `clients may already trust it. Restore ${CA_CERT_FILE} and ${CA_KEY_FILE}, or move both away ` +
      'to have a new CA created at the next start (and trust the new one).',
  );
}

async function create(dir: string, now: Date): Promise<void> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Zemu local CA (${path.basename(path.dirname(dir))}) ${now.toISOString().slice(0, 10)}, O=Zemu`,
    notBefore: new Date(now.getTime() - 3_600_000),
    notAfter: new Date(now.getTime() + CA_LIFETIME_DAYS * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  // The key first: a cert without its key is reported as broken, never half-created silently.
  writeNew(path.join(dir, CA_KEY_FILE), keyPem, 0o600);
  writeNew(path.join(dir, CA_CERT_FILE), `${cert.toString('pem').trimEnd()}\n`, 0o644);
}

/** Loads the CA from `dir`, creating it there first if neither of its files exists. */
export async function ensureCa(dir: string, now = new Date()): Promise<LocalCa> {
  const certPath = path.join(dir, CA_CERT_FILE);
  const keyPath = path.join(dir, CA_KEY_FILE);
  let created = false;
  if (!fs.existsSync(certPath) && !fs.existsSync(keyPath)) {
    try {
      await create(dir, now);
      created = true;
    } catch (error) {
      // Another Zemu created it at the same moment: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CaError(`cannot create the local CA in ${dir}: ${(error as Error).message}`);
      }
    }
  }
  for (const file of [certPath, keyPath]) {
    if (!fs.existsSync(file)) throw unusable(dir, `${path.basename(file)} is missing`);
  }
  const certPem = fs.readFileSync(certPath, 'utf8');
  const keyPem = fs.readFileSync(keyPath, 'utf8');
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(certPem);
  } catch {
    throw unusable(dir, `${CA_CERT_FILE} is not a PEM certificate`);
  }
  let keyDer: Buffer;
  try {
    const privateKey = createPrivateKey(keyPem);
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    if (!spki.equals(Buffer.from(cert.publicKey.rawData))) {
      throw unusable(dir, `${CA_KEY_FILE} is not the key of ${CA_CERT_FILE}`);
    }
    keyDer = privateKey.export({ type: 'pkcs8', format: 'der' });
  } catch (error) {
    if (error instanceof CaError) throw error;
    throw unusable(dir, `${CA_KEY_FILE} is not a PEM private key`);
  }
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) throw unusable(dir, `${CA_CERT_FILE} is not a CA certificate`);
  if (cert.notAfter.getTime() <= now.getTime() + DAY) {
    throw unusable(dir, `the CA expired (or expires within a day) on ${cert.notAfter.toISOString()}`);
  }
  let key: webcrypto.CryptoKey;
  try {
    key = await webcrypto.subtle.importKey('pkcs8', keyDer, ALG, false, ['sign']);
  } catch {
    throw unusable(dir, `${CA_KEY_FILE} is not an ECDSA P-256 key`);
  }
  return { dir, certPath, certPem, created, cert, key };
}

/** A fresh leaf for Zoom's hosts and loopback, signed by the CA, valid from an hour ago. */
export async function issueServerCertificate(ca: LocalCa, now = new Date()): Promise<ServerCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notAfter = Math.min(now.getTime() + LEAF_LIFETIME_DAYS * DAY, ca.cert.notAfter.getTime());
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=zoom.us, O=Zemu',
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - 3_600_000),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        ...LEAF_NAMES.dns.map((value) => ({ type: 'dns' as const, value })),
        ...LEAF_NAMES.ip.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
    ],
  });
  return {
    certPem: `${leaf.toString('pem').trimEnd()}\n${ca.certPem}`,
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}
