/**
 * Access tokens: HS512 JWTs signed with the installation's key, shaped like Zoom's v7+ tokens, and
 * recorded in the store so that each can later be revoked and explained (why it stopped working).
 */
import { randomUUID } from 'node:crypto';
import { createVerifier, TokenError } from 'fast-jwt';
import type { Clock } from '../clock.js';
import { createHmacJwtSigner } from '../crypto.js';
import type { App, TokenKind, TokenRecord, User } from '../store/models.js';
import { NOT_NOW } from '../store/prepared.js';
import type { TokenContext } from '../store/repos/principals.js';
import type { Store } from '../store/store.js';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Verified tokens remembered by their text (about 1.5 KB each). */
const VERIFIED_TOKENS_KEPT = 4096;

export interface IssueTokenInput {
  kind?: TokenKind;
  accountId: string;
  clientId: string;
  userId: string | null;
  grantType: string;
  /** Tokens of one grant live and die together (revoke, replay). Defaults to the token's own id. */
  grantId?: string;
  scopes: string[];
  ttlSeconds?: number;
  /** Extra claims, e.g. the tolerance index. */
  claims?: Record<string, unknown>;
}

export interface IssuedToken {
  token: string;
  record: TokenRecord;
}

export interface AccessClaims {
  jti: string;
  aid: string;
  cid: string;
  uid: string | null;
  gty: string;
  scope: string;
  exp: number;
  iat: number;
}

/** Why a presented token is not accepted; `expired` maps to Zoom's "Access token is expired." */
export type TokenProblem =
  | { kind: 'malformed'; reason: string }
  | { kind: 'expired'; reason: string; record?: TokenRecord }
  | { kind: 'revoked'; reason: string; record: TokenRecord }
  | { kind: 'unknown'; reason: string };

export type VerifyResult =
  | {
      ok: true;
      claims: AccessClaims;
      record: TokenRecord;
      /** The token's app and user as they are now (undefined when deleted), loaded with the record. */
      app: App | undefined;
      user: User | undefined;
    }
  | { ok: false; problem: TokenProblem };

/**
 * A UUID version 7 (RFC 9562): 48 bits of real-time milliseconds, then 74 random bits (from
 * randomUUID's pooled entropy). Token ids are the tokens table's key and, by default, its grant
 * index: random v4 keys land anywhere in those B-trees, and the insert cost grew with the table
 * (6 us at 50,000 tokens, 20 us at 200,000 in memory); time-ordered keys append at the right edge.
 * Opaque to clients like the v4 ids before (Zoom documents no jti format); the JWT carries iat anyway.
 */
export function timeOrderedUuid(nowMs: number = Date.now()): string {
  const time = nowMs.toString(16).padStart(12, '0');
  // randomUUID() is a version-4 UUID: keep its random tail and its RFC variant bits.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

export class TokenService {
  // Signing and verifying are synchronous (node:crypto): this is the hot path of every request.
  private readonly sign: (payload: Record<string, unknown>) => string;
  private readonly verifySignature: (token: string) => AccessClaims & { typ?: string };

  constructor(
    keyBytes: Uint8Array,
    kid: string,
    private readonly clock: Clock,
    private readonly store: Store,
    /** ZEMU_RETENTION: how long a record outlives its token's expiry or revocation (for the reasons). */
    private readonly retentionMs = 24 * 3600 * 1000,
  ) {
    const key = Buffer.from(keyBytes);
    // Header as Zemu has always written it (fast-jwt's order): {"alg":"HS512","typ":"JWT","kid":…,"v":"2.0"}.
    this.sign = createHmacJwtSigner(key, 'HS512', { typ: 'JWT', kid, v: '2.0' });
    // Expiry is checked against the emulated clock (and the stored record), not the real one.
    this.verifySignature = createVerifier({
      key,
      algorithms: ['HS512'],
      allowedAud: 'https://oauth.zoom.us',
      ignoreExpiration: true,
      ignoreNotBefore: true,
    });
  }

  /**
   * Tokens whose signature was verified, by their signature segment, with their full text. Safe to
   * cache: the same text carries the same valid signature, and expiry and revocation are judged on
   * every call from the clock and the record. A hit needs the whole text to be equal, so an altered
   * token is verified (and refused) anew. Cheaper than fast-jwt's cache, which first hashes every
   * presented token with SHA-512; keyed by the short signature, not the ~1 KB text, to keep the
   * Map's string hashing small.
   */
  private readonly verified = new Map<string, { token: string; claims: AccessClaims & { typ?: string } }>();

  /** Forgets every remembered signature (a reset, a restore or an import replaced the world). */
  forgetVerified(): void {
    this.verified.clear();
    // Not needed for exactness (the load moved the write epoch), but the old world's entries go too.
    this.store.principals.forget();
  }

  private claimsOf(token: string): AccessClaims & { typ?: string } {
    const signature = token.slice(token.lastIndexOf('.') + 1);
    const hit = this.verified.get(signature);
    if (hit && hit.token === token) return hit.claims;
    const claims = this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      // Insertion order: the oldest entry goes first.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(signature, { token, claims });
    return claims;
  }

  async issue(input: IssueTokenInput, store: Store = this.store): Promise<IssuedToken> {
    const id = timeOrderedUuid();
    const kind = input.kind ?? 'access';
    const ttl = input.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
    const iat = this.clock.nowSeconds();
    const record: TokenRecord = {
      id,
      kind,
      grantId: input.grantId ?? id,
      accountId: input.accountId,
      clientId: input.clientId,
      userId: input.userId,
      grantType: input.grantType,
      scopes: input.scopes,
      issuedAt: iat * 1000,
      expiresAt: (iat + ttl) * 1000,
      revokedAt: null,
      revokedReason: null,
    };
    const token = this.sign({
      ver: 10,
      typ: kind,
      aid: input.accountId,
      cid: input.clientId,
      uid: input.userId,
      gty: input.grantType,
      scope: input.scopes.join(' '),
      gno: 0,
      ...input.claims,
      iss: `zm:cid:${input.clientId}`,
      aud: 'https://oauth.zoom.us',
      jti: id,
      iat,
      nbf: iat,
      exp: iat + ttl,
    });
    await store.tokens.insert(record);
    return { token, record };
  }

  /** Checks signature, kind, expiry (on the emulated clock) and the stored record (revocation). */
  async verify(token: string, expectedKind: TokenKind = 'access'): Promise<VerifyResult> {
    return this.verifyNow(token, expectedKind);
  }

  /**
   * `verify`, answered synchronously when the store can read synchronously (SQLite with no
   * transaction open on its connection), else a promise: the same checks on the same data either way.
   */
  verifyNow(token: string, expectedKind: TokenKind = 'access'): VerifyResult | Promise<VerifyResult> {
    let claims: AccessClaims & { typ?: string };
    try {
      claims = this.claimsOf(token);
    } catch (error) {
      const reason =
        error instanceof TokenError ? `not a Zemu token: ${error.code}` : 'not a well-formed token';
      return { ok: false, problem: { kind: 'malformed', reason } };
    }
    if (claims.typ !== expectedKind || typeof claims.jti !== 'string') {
      return { ok: false, problem: { kind: 'malformed', reason: `not an ${expectedKind} token` } };
    }
    const context = this.store.principals.loadByTokenIdNow(claims.jti);
    if (context === NOT_NOW) {
      return this.store.principals.loadByTokenId(claims.jti).then((loaded) => this.judge(claims, loaded));
    }
    return this.judge(claims, context);
  }

  /** The record's verdict: known, not revoked, not expired on the emulated clock. */
  private judge(claims: AccessClaims, context: TokenContext | undefined): VerifyResult {
    const record = context?.token;
    if (!context || !record) {
      // The signature is ours, so the record existed: retention pruned it, or the data was reset.
      const kept = `records are kept ${formatDuration(this.retentionMs)} after expiry or revocation (ZEMU_RETENTION)`;
      const expMs = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.NaN;
      if (this.clock.now() >= expMs) {
        return {
          ok: false,
          problem: {
            kind: 'expired',
            reason: `expired at ${new Date(expMs).toISOString()}; its record was pruned (${kept})`,
          },
        };
      }
      return {
        ok: false,
        problem: {
          kind: 'unknown',
          reason: `token is not known to this Zemu: revoked and pruned (${kept}), or the data was reset`,
        },
      };
    }
    if (record.revokedAt !== null) {
      return {
        ok: false,
        problem: {
          kind: 'revoked',
          reason: `revoked at ${new Date(record.revokedAt).toISOString()}: ${record.revokedReason ?? 'revoked'}`,
          record,
        },
      };
    }
    const now = this.clock.now();
    if (now >= record.expiresAt) {
      return {
        ok: false,
        problem: {
          kind: 'expired',
          reason: `expired at ${new Date(record.expiresAt).toISOString()}`,
          record,
        },
      };
    }
    return { ok: true, claims, record, app: context.app, user: context.user };
  }
}

/** 86400000 -> "24h", 5400000 -> "90m", 90000 -> "90s". */
export function formatDuration(ms: number): string {
  if (ms >= 2 * 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
