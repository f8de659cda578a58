/**
 * ZAKs (Zoom Access Keys) and the deprecated `type=token` user token. Signed so that Zemu can verify
 * them later (a ZAK starts a meeting); revoked in bulk by bumping the user's `zak_version`.
 */
import { randomUUID } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import type { Clock } from '../clock.js';
import { createHmacJwtSigner } from '../crypto.js';
import type { User } from '../store/models.js';

export const ZAK_DEFAULT_TTL = 7200;
export const ZAK_API_USER_TTL = 7_776_000; // 90 days, for custCreate ("API") users
export const ZAK_MAX_TTL = 31_536_000; // one year
export const ME_ZAK_TTL = 300; // GET /users/me/zak: five minutes
export const USER_TOKEN_TTL = 14 * 24 * 3600; // type=token: 14 days

export type UserTokenType = 'zak' | 'token';

export interface ZakClaims {
  uid: string;
  aid: string;
  zv: number;
  iat: number;
  exp: number;
  ztyp: UserTokenType;
}

export type ZakCheck =
  | { ok: true; claims: ZakClaims }
  | {
      ok: false;
      reason: 'malformed' | 'expired' | 'revoked' | 'wrong_user';
      detail: string;
      claims?: ZakClaims;
    };

export function defaultZakTtl(user: User): number {
  return user.creationAction === 'custCreate' ? ZAK_API_USER_TTL : ZAK_DEFAULT_TTL;
}

export class ZakService {
  private readonly sign: (payload: Record<string, unknown>) => string;
  private readonly verify: (token: string) => ZakClaims;

  constructor(
    keyBytes: Uint8Array,
    private readonly clock: Clock,
  ) {
    const key = Buffer.from(keyBytes);
    // Zoom's ZAK header: {"alg":"HS256","typ":"JWT","sv":"000001","zm_skm":"zm_o2m"}.
    this.sign = createHmacJwtSigner(key, 'HS256', { typ: 'JWT', sv: '000001', zm_skm: 'zm_o2m' });
    // Expiry is judged on the emulated clock below, with a reason.
    this.verify = createVerifier({
      key,
      algorithms: ['HS256'],
      ignoreExpiration: true,
      ignoreNotBefore: true,
    });
  }

  async issue(user: User, ttlSeconds: number, type: UserTokenType = 'zak'): Promise<string> {
    const iat = this.clock.nowSeconds();
    return this.sign({
      aud: type === 'zak' ? 'clientsm' : 'client',
      uid: user.id,
      iss: 'web',
      sk: randomUUID().slice(24),
      sty: user.creationAction === 'custCreate' ? 99 : 100,
      wcd: 'us06',
      clt: 0,
      aid: user.accountId,
      zv: user.zakVersion,
      ztyp: type,
      iat,
      exp: iat + ttlSeconds,
    });
  }

  /** Verifies a ZAK for `host` (the meeting's host) on the emulated clock. */
  async check(zak: string, host: User): Promise<ZakCheck> {
    let claims: ZakClaims;
    try {
      claims = this.verify(zak);
    } catch {
      return { ok: false, reason: 'malformed', detail: 'the ZAK is not one Zemu issued' };
    }
    if (claims.ztyp !== 'zak') return { ok: false, reason: 'malformed', detail: 'not a ZAK', claims };
    if (claims.uid !== host.id) {
      return {
        ok: false,
        reason: 'wrong_user',
        detail: `the ZAK belongs to user ${claims.uid}, not the host`,
        claims,
      };
    }
    if (this.clock.nowSeconds() >= claims.exp) {
      return {
        ok: false,
        reason: 'expired',
        detail: `expired at ${new Date(claims.exp * 1000).toISOString()}`,
        claims,
      };
    }
    if (claims.zv !== host.zakVersion) {
      return {
        ok: false,
        reason: 'revoked',
        detail: "the user's ZAKs were revoked after this one was issued",
        claims,
      };
    }
    return { ok: true, claims };
  }
}
