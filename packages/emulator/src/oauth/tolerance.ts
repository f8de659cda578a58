/**
 * Server-to-Server token tolerance. By default (current Zoom) every issued token stays valid until it
 * expires. With `settings.legacy_single_token: true` an app behaves as Zoom did in 2022: each new
 * token invalidates the app's older live tokens, unless the request names an `index` within
 * `settings.token_tolerance` (default 1): tokens of different indexes coexist and a new token only
 * invalidates the older token of its own index. This reproduces 401 code 124 on demand.
 */
import type { Ctx } from '../context.js';
import { oauthErrors } from '../errors/oauth.js';
import type { App } from '../store/models.js';
import type { Store } from '../store/store.js';

export interface ToleranceMode {
  legacy: boolean;
  tolerance: number;
  /** The requested index, null when none was given. */
  index: number | null;
}

export function toleranceOf(app: App): number {
  const t = app.settings.token_tolerance;
  return Number.isInteger(t) && (t as number) >= 1 ? (t as number) : 1;
}

/** Reads `index` against the app's settings; throws Zoom's tolerance-range error (D-OERR 4740). */
export function toleranceMode(app: App, rawIndex: string | undefined): ToleranceMode {
  const legacy = app.settings.legacy_single_token === true;
  const tolerance = toleranceOf(app);
  // Without the legacy mode every token lives on: `index` has nothing to select and is ignored.
  if (!legacy || rawIndex === undefined) return { legacy, tolerance, index: null };
  const index = /^\d{1,3}$/.test(rawIndex) ? Number(rawIndex) : Number.NaN;
  if (!(index >= 0 && index < tolerance)) {
    throw oauthErrors.indexOutOfTolerance(
      tolerance,
      `index ${rawIndex.slice(0, 16)} is outside app ${app.clientId}'s token tolerance of ${tolerance}`,
    );
  }
  return { legacy, tolerance, index };
}

/** After a token is issued: in legacy mode, revoke what the new token replaces. */
export async function applyTolerance(
  ctx: Ctx,
  store: Store,
  app: App,
  mode: ToleranceMode,
  tokenId: string,
  issuedAt: number,
): Promise<void> {
  if (!mode.legacy) return;
  await store.tokens.recordToleranceIndex(tokenId, app.clientId, mode.index ?? -1, issuedAt);
  const at = ctx.clock.now();
  const reason =
    mode.index === null
      ? `invalidated by a newer token issued at ${new Date(issuedAt).toISOString()}`
      : `invalidated by a newer token issued at ${new Date(issuedAt).toISOString()} (index ${mode.index})`;
  await store.tokens.revokeOlderAccountTokens(app.clientId, tokenId, mode.index, at, reason);
}
