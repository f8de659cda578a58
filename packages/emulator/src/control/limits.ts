/**
 * /_zemu/accounts/{accountId}/limits: the account's rate limits (from its plan) and its switches:
 * limits on or off, `Retry-After` omitted or sent, and per-label overrides of the table.
 */
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import type { RateLimitLabel } from '../http/types.js';
import { type AccountLimitSettings, limitSettingsOf } from '../limits/limiter.js';
import { effectiveLimits, LABELS, type LimitOverrides } from '../limits/table.js';
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

function validate(body: unknown): AccountLimitSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw zoomErrors.validation([{ field: 'body', message: 'Must be an object.' }]);
  }
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (b.enabled !== undefined && typeof b.enabled !== 'boolean')
    errors.push({ field: 'enabled', message: 'Must be a boolean.' });
  if (b.omit_retry_after !== undefined && typeof b.omit_retry_after !== 'boolean')
    errors.push({ field: 'omit_retry_after', message: 'Must be a boolean.' });
  if (b.overrides !== undefined) {
    if (typeof b.overrides !== 'object' || b.overrides === null || Array.isArray(b.overrides)) {
      errors.push({ field: 'overrides', message: 'Must be an object keyed by label.' });
    } else {
      for (const [label, value] of Object.entries(b.overrides)) {
        if (!LABELS.includes(label as RateLimitLabel)) {
          errors.push({
            field: `overrides.${label}`,
            message: `Unknown label; one of ${LABELS.join(', ')}.`,
          });
          continue;
        }
        const v = value as Record<string, unknown>;
        if (typeof v !== 'object' || v === null) {
          errors.push({ field: `overrides.${label}`, message: 'Must be an object {rate?, daily?}.' });
          continue;
        }
        if (v.rate !== undefined && (!Number.isInteger(v.rate) || (v.rate as number) < 0))
          errors.push({ field: `overrides.${label}.rate`, message: 'Must be a non-negative integer.' });
        if (
          v.daily !== undefined &&
          v.daily !== null &&
          (!Number.isInteger(v.daily) || (v.daily as number) < 0)
        )
          errors.push({
            field: `overrides.${label}.daily`,
            message: 'Must be a non-negative integer or null.',
          });
      }
    }
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  const out: AccountLimitSettings = {};
  if (b.enabled !== undefined) out.enabled = b.enabled as boolean;
  if (b.omit_retry_after !== undefined) out.omit_retry_after = b.omit_retry_after as boolean;
  if (b.overrides !== undefined) out.overrides = b.overrides as LimitOverrides;
  return out;
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
        const patch = validate(request.body);
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
