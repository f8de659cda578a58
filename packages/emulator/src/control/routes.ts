/** /_zemu: the control API that tests, the seed file and the console use to shape the world. */

import type { FastifyInstance } from 'fastify';
import { presentUser } from '../api/users/present.js';
import { CLOCK_MAX_MS, CLOCK_MIN_MS, isSensibleTime } from '../clock.js';
import { consoleFragmentRoutes } from '../console/fragments.js';
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import { dispatchGroup, type RouteSink } from '../http/dispatch.js';
import { requireObjectField } from '../http/input.js';
import { PLANS, type Plan } from '../store/models.js';
import { ZEMU_VERSION } from '../version.js';
import type { AccountInput, AppInput, UserInput } from '../world/world.js';
import { adminGate } from './admin-gate.js';
import { appsControlRoutes } from './apps.js';
import { faultsRoutes } from './faults.js';
import { findApp } from './find.js';
import { introspectRoutes } from './introspect.js';
import { limitsRoutes } from './limits.js';
import { meetingsControlRoutes } from './meetings.js';
import { oauthControlRoutes } from './oauth.js';
import { operationsRoutes } from './operations.js';
import { presentApp, presentToken } from './present.js';
import { requestsRoutes } from './requests.js';
import { stateRoutes } from './state.js';
import { usersControlRoutes } from './users.js';
import { webhooksControlRoutes } from './webhooks.js';

export { ZEMU_VERSION } from '../version.js';

const CLOCK_RANGE_TEXT = `from ${new Date(CLOCK_MIN_MS).toISOString()} to ${new Date(CLOCK_MAX_MS).toISOString()}`;

function clockView(ctx: Ctx) {
  return {
    now: new Date(ctx.clock.now()).toISOString(),
    epoch_ms: ctx.clock.now(),
    frozen: ctx.clock.frozen,
    offset_seconds: Math.round(ctx.clock.state().offsetMs / 1000),
  };
}

export function controlRoutes(ctx: Ctx) {
  return async (scope: FastifyInstance) => {
    scope.addHook('onRequest', adminGate(ctx));
    // One dispatch route for the whole API (http/dispatch.ts). The modules are called, not registered:
    // none adds a hook or a decorator of its own, and each encapsulated plugin costs about a
    // millisecond of every start (docs/architecture.md, "Start-up").
    await dispatchGroup(scope, (app) => defineControlRoutes(ctx, app));
  };
}

async function defineControlRoutes(ctx: Ctx, app: RouteSink): Promise<void> {
  const modules = [
    faultsRoutes,
    requestsRoutes,
    introspectRoutes,
    limitsRoutes,
    appsControlRoutes,
    oauthControlRoutes,
    usersControlRoutes,
    meetingsControlRoutes,
    webhooksControlRoutes,
    stateRoutes,
    operationsRoutes,
    consoleFragmentRoutes,
  ];
  for (const routes of modules) await routes(ctx)(app);
  const started = Date.now();

  // HEAD too, for health checkers that send it (the only route that answers HEAD: Zoom documents none).
  app.route({
    method: ['GET', 'HEAD'],
    url: '/health',
    handler: async () => {
      // The store answers, or the error handler says 503 (PostgreSQL away).
      await ctx.store.ping();
      return {
        status: 'ok',
        version: ZEMU_VERSION,
        store: ctx.store.dialect,
        uptime_seconds: Math.round((Date.now() - started) / 1000),
        clock: clockView(ctx).now,
      };
    },
  });

  app.get('/demo', async () => {
    if (!ctx.demo) throw zoomErrors.controlNotFound('Demo account', 'disabled');
    return ctx.demo;
  });

  app.get('/clock', async () => clockView(ctx));
  app.post<{ Body: { advance?: unknown; set?: unknown; frozen?: unknown } | undefined }>(
    '/clock',
    async (request) => {
      const body = requireObjectField(request.body ?? {});
      const errors = [];
      if (
        body.advance !== undefined &&
        (typeof body.advance !== 'number' || !Number.isFinite(body.advance))
      ) {
        errors.push({ field: 'advance', message: 'Must be a number of seconds.' });
      }
      let setAt: number | undefined;
      if (body.set !== undefined) {
        setAt = typeof body.set === 'string' ? Date.parse(body.set) : Number.NaN;
        if (Number.isNaN(setAt)) errors.push({ field: 'set', message: 'Must be an ISO 8601 time.' });
        else if (!isSensibleTime(setAt)) {
          errors.push({ field: 'set', message: `Must be a time ${CLOCK_RANGE_TEXT}.` });
        }
      }
      if (body.frozen !== undefined && typeof body.frozen !== 'boolean') {
        errors.push({ field: 'frozen', message: 'Must be true or false.' });
      }
      if (body.advance === undefined && body.set === undefined && body.frozen === undefined) {
        errors.push({
          field: 'body',
          message: 'Give one of advance (seconds), set (ISO time) or frozen (boolean).',
        });
      }
      if (errors.length > 0) throw zoomErrors.validation(errors);
      // Where the clock ends up, checked before anything moves: one refused field changes nothing.
      let target = setAt;
      if (typeof body.advance === 'number') {
        target = ctx.clock.afterAdvance(body.advance, setAt ?? ctx.clock.now());
        if (!isSensibleTime(target)) {
          throw zoomErrors.validation([
            { field: 'advance', message: `Must keep the clock ${CLOCK_RANGE_TEXT}.` },
          ]);
        }
      }
      if (typeof body.frozen === 'boolean') ctx.clock.freeze(body.frozen);
      if (target !== undefined) ctx.clock.set(target);
      return clockView(ctx);
    },
  );

  const present = (user: Parameters<typeof presentUser>[0], accountNumber: number) =>
    presentUser(user, { publicUrl: ctx.publicUrl(), account: { accountNumber }, now: ctx.clock.now() });

  app.post<{ Body: AccountInput }>('/accounts', async (request, reply) => {
    const { account, owner } = await ctx.world.createAccount(request.body);
    reply.code(201);
    return {
      id: account.id,
      name: account.name,
      plan: account.plan,
      account_number: account.accountNumber,
      owner: present(owner, account.accountNumber),
    };
  });

  app.get<{ Params: { accountId: string } }>('/accounts/:accountId', async (request) => {
    const account = await ctx.store.accounts.findById(request.params.accountId);
    if (!account) throw zoomErrors.controlNotFound('Account', request.params.accountId);
    const owner = account.ownerUserId ? await ctx.store.users.findById(account.ownerUserId) : undefined;
    const apps = await ctx.store.apps.listByAccount(account.id);
    return {
      id: account.id,
      name: account.name,
      plan: account.plan,
      account_number: account.accountNumber,
      owner: owner ? present(owner, account.accountNumber) : null,
      apps: apps.map((a) => presentApp(a)),
    };
  });

  // The console's plan switch: the account's name or plan; rate limits follow the plan at once.
  app.patch<{ Params: { accountId: string }; Body: unknown }>('/accounts/:accountId', async (request) => {
    const b = requireObjectField(request.body ?? {});
    const errors = [];
    for (const key of Object.keys(b)) {
      if (key !== 'name' && key !== 'plan')
        errors.push({ field: key, message: 'Unknown field; use name, plan.' });
    }
    if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length === 0 || b.name.length > 128))
      errors.push({ field: 'name', message: 'Must be a string of 1 to 128 characters.' });
    if (b.plan !== undefined && !PLANS.includes(b.plan as Plan))
      errors.push({ field: 'plan', message: `Must be one of ${PLANS.join(', ')}.` });
    if (errors.length > 0) throw zoomErrors.validation(errors);
    const account = await ctx.store.accounts.findById(request.params.accountId.slice(0, 64));
    if (!account) throw zoomErrors.controlNotFound('Account', request.params.accountId.slice(0, 64));
    await ctx.store.accounts.update(account.id, {
      name: b.name as string | undefined,
      plan: b.plan as Plan | undefined,
    });
    ctx.limiter.invalidate(account.id);
    ctx.cluster?.publish('limits');
    const updated = (await ctx.store.accounts.findById(account.id)) ?? account;
    return {
      id: updated.id,
      name: updated.name,
      plan: updated.plan,
      account_number: updated.accountNumber,
    };
  });

  app.post<{ Params: { accountId: string }; Body: UserInput }>(
    '/accounts/:accountId/users',
    async (request, reply) => {
      const user = await ctx.world.createUser(request.params.accountId, request.body);
      const account = await ctx.store.accounts.findById(user.accountId);
      reply.code(201);
      return present(user, account?.accountNumber ?? 0);
    },
  );

  app.post<{ Params: { accountId: string }; Body: AppInput }>(
    '/accounts/:accountId/apps',
    async (request, reply) => {
      const { app: created, clientSecret } = await ctx.world.createApp(
        request.params.accountId,
        request.body,
      );
      reply.code(201);
      return presentApp(created, clientSecret);
    },
  );

  app.get<{ Params: { clientId: string }; Querystring: { limit?: string } }>(
    '/apps/:clientId/tokens',
    async (request) => {
      const app = await findApp(ctx, request.params.clientId);
      const limit = Math.min(Math.max(Number.parseInt(request.query.limit ?? '100', 10) || 100, 1), 1000);
      const { total, tokens } = await ctx.store.tokens.listByClient(app.clientId, limit);
      return { total_records: total, tokens: tokens.map(presentToken) };
    },
  );
}
