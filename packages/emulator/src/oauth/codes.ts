/**
 * Authorization codes: issued by an approval (the consent page or the control API), valid five minutes
 * of emulated time and once. Stored by SHA-256 hash; marking a code used is one conditional update, so
 * two concurrent exchanges of one code cannot both succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizationCode } from '../store/models.js';
import type { Store } from '../store/store.js';

export const CODE_TTL_MS = 5 * 60 * 1000;

export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export async function createCode(
  store: Store,
  now: number,
  data: Omit<AuthorizationCode, 'expiresAt' | 'usedAt' | 'grantId'>,
): Promise<string> {
  const code = randomBytes(24).toString('base64url');
  await store.codes.insert({
    ...data,
    codeHash: hashCode(code),
    grantId: randomBytes(16).toString('hex'),
    createdAt: now,
    expiresAt: now + CODE_TTL_MS,
  });
  return code;
}

export function findCode(store: Store, code: string): Promise<AuthorizationCode | undefined> {
  return store.codes.findByHash(hashCode(code));
}

/** True when this call is the one that used the code. */
export function markCodeUsed(store: Store, code: string, now: number): Promise<boolean> {
  return store.codes.markUsed(hashCode(code), now);
}
