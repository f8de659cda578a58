/**
 * Download tokens: what recording.completed carries as `download_token` and GET
 * /meetings/{meetingId}/recordings as `download_access_token`. A JWT (HS256, Zemu's own key) bound to
 * one recording (`mid`, the instance's uuid), its account and host, expiring on the emulated clock
 * (24 hours for the webhook's, as Zoom documents). Nothing is stored: a token is checked by its
 * signature and claims, so the webhook's can be signed when it is sent (webhooks/dispatcher.ts) and
 * is never written to the outbox.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual, createHmacJwtSigner } from '../crypto.js';
import { isObject } from '../http/input.js';

export const DOWNLOAD_TOKEN_TTL_S = 24 * 60 * 60;
const AUDIENCE = 'zemu:recording_download';
const HEADER_FIELDS = { typ: 'JWT' };
/** The encoded header every download token carries: `{"alg":"HS256","typ":"JWT"}`. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', ...HEADER_FIELDS })).toString('base64url');

export interface DownloadClaims {
  accountId: string;
  /** The recording's (instance's) uuid. */
  mid: string;
  userId: string;
  /** Epoch seconds on the emulated clock. */
  exp: number;
}

/** One signer per key (a start's `keys.recordingDownload`): the key object and header are made once. */
const signers = new WeakMap<Buffer, (payload: Record<string, unknown>) => string>();

export function signDownloadToken(key: Buffer, claims: DownloadClaims): string {
  let sign = signers.get(key);
  if (!sign) {
    sign = createHmacJwtSigner(key, 'HS256', HEADER_FIELDS);
    signers.set(key, sign);
  }
  return sign({
    iss: 'zemu',
    aud: AUDIENCE,
    accountId: claims.accountId,
    mid: claims.mid,
    userId: claims.userId,
    exp: claims.exp,
  });
}

export type DownloadCheck =
  | { ok: true; claims: DownloadClaims }
  | { ok: false; reason: 'not_ours' | 'invalid' | 'expired' };

/**
 * What `token` is: not a download token at all (`not_ours`: another kind of JWT, e.g. an OAuth access
 * token), a forged or damaged one, an expired one, or a valid one with its claims.
 */
export function checkDownloadToken(key: Buffer, token: string, nowMs: number): DownloadCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not_ours' };
  const [header, body, signature] = parts as [string, string, string];
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'not_ours' };
  }
  if (!isObject(fields) || fields.aud !== AUDIENCE) return { ok: false, reason: 'not_ours' };
  if (header !== HEADER || !constantTimeEqual(signature, mac(key, `${header}.${body}`)))
    return { ok: false, reason: 'invalid' };
  const { accountId, mid, userId, exp } = fields;
  if (typeof accountId !== 'string' || typeof mid !== 'string' || typeof userId !== 'string')
    return { ok: false, reason: 'invalid' };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'invalid' };
  if (nowMs >= exp * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { accountId, mid, userId, exp } };
}

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}
