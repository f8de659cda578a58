/** Secret handling: keyed hashes for long random secrets, scrypt for passwords, constant-time compares. */
import { createHmac, createSecretKey, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** Keys derived from the installation's master key, one per purpose. */
export class Keys {
  readonly accessToken: Uint8Array;
  readonly zak: Uint8Array;
  /** Signs list cursors (`next_page_token`) so that clients cannot forge or alter them. */
  readonly pageToken: Buffer;
  /** Signs a registrant's own join link (`tk`), so that it cannot be forged for another registrant. */
  readonly registrantLink: Buffer;
  /** Signs cloud recordings' download tokens (recording.completed's `download_token`). */
  readonly recordingDownload: Buffer;
  private readonly secretPepper: Buffer;
  private readonly demo: Buffer;
  private readonly hostKeys: Buffer;

  constructor(master: Buffer) {
    this.accessToken = derive(master, 'access-token');
    this.zak = derive(master, 'zak');
    this.pageToken = derive(master, 'page-token');
    this.registrantLink = derive(master, 'registrant-link');
    this.recordingDownload = derive(master, 'recording-download');
    this.secretPepper = derive(master, 'client-secret-hash');
    this.demo = derive(master, 'demo-credentials');
    this.hostKeys = derive(master, 'host-key');
  }

  /**
   * A user's host key until one is set (PATCH `host_key`, or the control API): six digits derived from
   * the user id, so it is stable for the user and never stored.
   */
  defaultHostKey(userId: string): string {
    const n = createHmac('sha256', this.hostKeys).update(userId).digest().readUInt32BE(0) % 1_000_000;
    return String(n).padStart(6, '0');
  }

  /** Client secrets are random and long, so a keyed fast hash is enough (no salt, no work factor). */
  hashSecret(secret: string): string {
    return createHmac('sha256', this.secretPepper).update(secret).digest('hex');
  }

  verifySecret(secret: string, storedHash: string): boolean {
    return constantTimeEqual(this.hashSecret(secret), storedHash);
  }

  /** The demo app's secret is derived, not stored, so the banner can print it at every start. */
  demoSecret(label: string): string {
    const digest = createHmac('sha256', this.demo).update(label).digest('base64url');
    return digest.replace(/[-_]/g, '').slice(0, 32);
  }
}

function derive(master: Buffer, purpose: string): Buffer {
  return createHmac('sha256', master).update(`zemu:${purpose}`).digest();
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare equal-length buffers so that the time does not tell the length of the expected value.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const SCRYPT_KEYLEN = 32;

/**
 * Hashes of public passwords (the demo owner's, printed by every start and in the README), made once
 * per process and shared by every start in it: a second in-process start does not wait for scrypt.
 * Sharing a salt leaks nothing here, since the password itself is public.
 */
const publicHashes = new Map<string, Promise<string>>();

/**
 * Declares `password` public and starts hashing it now, on libuv's thread pool: the first start
 * hashes the demo owner's password while it opens the database and registers the routes, and every
 * later `hashPassword(password)` in the process takes that hash instead of waiting for scrypt (tens
 * of milliseconds) on the way to its first answer.
 */
export function hashPasswordAhead(password: string, prebuilt?: string): void {
  if (publicHashes.has(password)) return;
  // The build's hash of it (store/prebuilt.ts), when there is one: no start waits for scrypt then.
  const hash = prebuilt ? Promise.resolve(prebuilt) : scryptHash(password);
  // A failed hash is not kept (the next start tries again), and never an unhandled rejection.
  hash.catch(() => publicHashes.delete(password));
  publicHashes.set(password, hash);
}

/** `scrypt$<salt b64>$<hash b64>`: user passwords need a slow hash. */
export async function hashPassword(password: string): Promise<string> {
  return publicHashes.get(password) ?? scryptHash(password);
}

async function scryptHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT_KEYLEN);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * An HMAC JWT signer (HS256, HS512): the header is encoded once, each call encodes the payload and
 * signs with node:crypto. The same bytes fast-jwt's signer produces for the same header and payload,
 * at half its cost (it rebuilds and re-encodes the header and the claims on every call).
 */
export function createHmacJwtSigner(
  key: Uint8Array,
  algorithm: 'HS256' | 'HS512',
  header: Record<string, unknown>,
): (payload: Record<string, unknown>) => string {
  const secret = createSecretKey(Buffer.from(key));
  const hash = algorithm === 'HS256' ? 'sha256' : 'sha512';
  const prefix = `${Buffer.from(JSON.stringify({ alg: algorithm, ...header })).toString('base64url')}.`;
  return (payload) => {
    const input = prefix + Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
  };
}
