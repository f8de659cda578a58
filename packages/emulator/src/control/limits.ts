/**
 * /_zemu/accounts/{accountId}/limits: the account's rate limits (from its plan) and its switches:
 * limits on or off, `Retry-After` omitted or sent, and per-label overrides of the table.
 */
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import { limitSettingsOf, validateLimitSettings } from '../limits/limiter.js';
import { effectiveLimits, LABELS } from '../limits/table.js';
import type { Account } from '../store/models.js';

function view(ctx: Ctx, account: Account) {
  const settings = limitSettingsOf(account);
  const limits = effectiveLimits(account.plan, settings.overrides);
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
          },
        ];
      }),
    ),
  };
}

export function limitsRoutes(ctx: Ctx) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { accountId: string } }>('/accounts/:accountId/limits', async (request) => {
      const account = await ctx.store.accounts.findById(request.params.accountId);
      if (!account) throw zoomErrors.controlNotFound('Account', request.params.accountId);
      return view(ctx, account);
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
        return view(ctx, { ...account, settings: { ...account.settings, rate_limits: settings } });
      },
    );
  };
}
