/**
 * Zoom's webhook signing (contract §7): `x-zm-signature: v0=<hex HMAC-SHA256(secret, "v0:{ts}:{body}")>`
 * over the exact body sent, and the url_validation answer `hex HMAC-SHA256(secret, plainToken)`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../crypto.js';

/** Zoom's Marketplace sends this user agent. */
export const WEBHOOK_USER_AGENT = 'Zoom Marketplace/1.0a';

/** Compact JSON (no spaces), so a verifier that re-serialises the parsed body gets the same bytes. */
export function envelopeBody(
  event: string,
  eventTs: number,
  payload: unknown,
  extra?: Record<string, unknown>,
): string {
  return JSON.stringify({ event, event_ts: eventTs, payload, ...extra });
}

export function signature(secretToken: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secretToken).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function encryptedToken(secretToken: string, plainToken: string): string {
  return createHmac('sha256', secretToken).update(plainToken).digest('hex');
}

export function isExpectedEncryptedToken(secretToken: string, plainToken: string, answered: string): boolean {
  return constantTimeEqual(answered, encryptedToken(secretToken, plainToken));
}

/** A new Secret Token: 22 characters of base64url, shaped like Zoom's. */
export function newSecretToken(): string {
  return randomBytes(16).toString('base64url');
}

export function newPlainToken(): string {
  return randomBytes(16).toString('base64url');
}
