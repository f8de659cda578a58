/** PKCE (RFC 7636): `plain` is Zoom's default method; `S256` is what clients should use. */
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../crypto.js';
import type { PkceMethod } from '../store/models.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isPkceMethod(value: string): value is PkceMethod {
  return value === 'plain' || value === 'S256';
}

export function isValidChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

export function verifyPkce(method: PkceMethod, challenge: string, verifier: string | undefined): boolean {
  if (!verifier || !VERIFIER.test(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return constantTimeEqual(derived, challenge);
}
