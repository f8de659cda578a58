/**
 * /_zemu/accounts/{accountId}/limits: the account's rate limits (from its plan) and its switches:
 * limits on or off, `Retry-After` omitted or sent, and per-label overrides of the table.
 */

import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import type { RouteSink } from '../http/dispatch.js';
import { limitSettingsOf, validateLimitSettings } from '../limits/limiter.js';
import { effectiveLimits, LABELS } from '../limits/table.js';
import type { Account } from '../store/models.js';

async function view(ctx: Ctx, account: Account) {
  const settings = limitSettingsOf(account);
  const limits = effectiveLimits(account.plan, settings.overrides);
  // What the account has used in the windows open now, on the emulated clock.
  const now = ctx.clock.now();
  const used: Record<string, { window: number; daily: number | null }> = {};
  for (const label of LABELS) {
    const [short, daily] = ctx.limiter.windows(account.id, label, limits[label], now);
    used[label] = {
      window: await ctx.limiter.counters.peek((short as { key: string }).key),
      daily: daily ? await ctx.limiter.counters.peek(daily.key) : null,
    };
  }
  return {
    account_id: account.id,
    plan: account.plan,
    enabled: ctx.limiter.enabled && settings.enabled !== false,
    globally_enabled: ctx.limiter.enabled,
    omit_retry_after: settings.omit_retry_after === true,
    overrides: settings.overrides ?? {},
    limits: Object.fromEntries(
      LABELS.map((label) => {
        const l = limits[label];
        return [
          label,
          {
            rate: l.rate,
            per: l.windowMs === 1000 ? 'second' : 'minute',
            daily: l.daily,
            daily_bucket: l.dailyBucket,
            used_in_window: used[label]?.window ?? 0,
            used_today: used[label]?.daily ?? null,
          },
        ];
      }),
    ),
  };
}

export function limitsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get<{ Params: { accountId: string } }>('/accounts/:accountId/limits', async (request) => {
      const account = await ctx.store.accounts.findById(request.params.accountId);
      if (!account) throw zoomErrors.controlNotFound('Account', request.params.accountId);
      return await view(ctx, account);
    });
    app.patch<{ Params: { accountId: string }; Body: unknown }>(
      '/accounts/:accountId/limits',
      async (request) => {
        const patch = validateLimitSettings(request.body);
        const account = await ctx.store.accounts.findById(request.params.accountId);
        if (!account) throw zoomErrors.controlNotFound('Account', request.params.accountId);
        const settings = { ...limitSettingsOf(account), ...patch };
        await ctx.store.accounts.updateSettings(account.id, { ...account.settings, rate_limits: settings });
        ctx.limiter.invalidate(account.id);
        ctx.cluster?.publish('limits');
        return await view(ctx, { ...account, settings: { ...account.settings, rate_limits: settings } });
      },
    );
  };
}
