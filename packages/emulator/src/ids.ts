/** Identifier formats shaped like Zoom's. */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** 22 characters of base64url, like Zoom's user, account and client ids ("zJKyaiAyTNC-MWjiWC18KQ"). */
export function zoomId(): string {
  return randomBytes(16).toString('base64url');
}

/** A meeting instance's uuid: 16 random bytes in standard base64 ("aDYlohsHRtCd4ii1uC2+hA=="). */
export function meetingUuid(): string {
  return randomBytes(16).toString('base64');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random alphanumeric string (client secrets are 32 characters at Zoom). */
export function alnum(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[(bytes[i] as number) % ALNUM.length];
  return out;
}

/** A personal meeting id: 10 digits, not starting with 0 or 1. */
export function pmi(): number {
  return randomInt(2_000_000_000, 9_999_999_999);
}

export function accountNumber(): number {
  return randomInt(10_000_000, 99_999_999);
}

/** `x-zm-trackingid` value, shaped like Zoom's `v=2.0;clid=us06;rid=WEB_<hex>`. */
export function trackingId(): string {
  // randomUUID draws from a cached entropy pool: far cheaper per request than randomBytes.
  return `v=2.0;clid=us06;rid=WEB_${randomUUID().replaceAll('-', '')}`;
}
