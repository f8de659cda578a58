/**
 * /_zemu control of webhooks: an app's event subscriptions and Secret Token, URL (re-)validation, the
 * delivery log with every attempt, and delivering what is due now (tests need no waiting).
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import { noContent, type RouteSink } from '../http/dispatch.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../store/models.js';
import { ZOOM_EVENTS } from '../webhooks/emit.js';
import { presentAttempt, presentDelivery, presentSubscription } from '../webhooks/present.js';
import {
  appSecret,
  deleteSubscription,
  parseSubscriptionInput,
  registerSubscription,
  revalidate,
} from '../webhooks/subscriptions.js';
import { findApp } from './find.js';

export function webhooksControlRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    const findSub = async (clientId: string, id: string) => {
      const sub = id.length <= 64 ? await ctx.store.webhooks.subscriptions.findById(id) : undefined;
      if (!sub || sub.clientId !== clientId)
        throw zoomErrors.controlNotFound('Event subscription', id.slice(0, 64));
      return sub;
    };

    app.get<{ Params: { clientId: string } }>('/apps/:clientId/webhooks', async (request) => {
      const found = await findApp(ctx, request.params.clientId);
      return {
        client_id: found.clientId,
        secret_token: await appSecret(ctx.store, ctx.clock, found.clientId),
        supported_events: ZOOM_EVENTS,
        subscriptions: (await ctx.store.webhooks.subscriptions.list(found.clientId)).map(presentSubscription),
      };
    });

    app.post<{ Params: { clientId: string }; Body: unknown }>(
      '/apps/:clientId/webhooks',
      async (request, reply) => {
        const found = await findApp(ctx, request.params.clientId);
        const input = parseSubscriptionInput(request.body ?? {});
        const { subscription, secretToken } = await registerSubscription(
          ctx.store,
          ctx.clock,
          found.clientId,
          input,
        );
        reply.code(201);
        return { ...presentSubscription(subscription), secret_token: secretToken };
      },
    );

    app.delete<{ Params: { clientId: string; id: string } }>(
      '/apps/:clientId/webhooks/:id',
      noContent(async (request) => {
        const sub = await findSub(request.params.clientId, request.params.id);
        await ctx.store.transaction((trx) => deleteSubscription(trx, sub.id, ctx.clock.now()));
      }),
    );

    app.post<{ Params: { clientId: string; id: string } }>(
      '/apps/:clientId/webhooks/:id/validate',
      async (request) => {
        const sub = await findSub(request.params.clientId, request.params.id);
        const failure = await revalidate(ctx.store, ctx.clock, sub);
        if (failure) throw zoomErrors.webhookUrlValidationFailed(failure);
        // Deliveries held while it was unvalidated are due again.
        ctx.webhooks.poke();
        return presentSubscription((await ctx.store.webhooks.subscriptions.findById(sub.id)) ?? sub);
      },
    );

    app.get<{ Querystring: Record<string, string | undefined> }>('/webhooks/deliveries', async (request) => {
      const q = request.query;
      const errors = [];
      for (const key of ['event', 'status', 'client_id', 'limit'] as const) {
        if (q[key] !== undefined && typeof q[key] !== 'string')
          errors.push({ field: key, message: 'Give it once.' });
      }
      if (errors.length > 0) throw zoomErrors.validation(errors);
      if (q.status !== undefined && !DELIVERY_STATUSES.includes(q.status as DeliveryStatus))
        errors.push({ field: 'status', message: `Must be one of ${DELIVERY_STATUSES.join(', ')}.` });
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        errors.push({ field: 'limit', message: 'Must be an integer from 1 to 1000.' });
      if (errors.length > 0) throw zoomErrors.validation(errors);
      const { total, deliveries } = await ctx.store.webhooks.deliveries.list({
        event: q.event?.slice(0, 128),
        status: q.status as DeliveryStatus | undefined,
        clientId: q.client_id?.slice(0, 128),
        limit,
      });
      return { total_records: total, deliveries: deliveries.map(presentDelivery) };
    });

    app.get<{ Params: { id: string } }>('/webhooks/deliveries/:id', async (request) => {
      const id = request.params.id.slice(0, 64);
      const delivery = await ctx.store.webhooks.deliveries.findById(id);
      if (!delivery) throw zoomErrors.controlNotFound('Webhook delivery', id);
      return {
        ...presentDelivery(delivery),
        attempts: (await ctx.store.webhooks.attempts.listOf(delivery.id)).map(presentAttempt),
      };
    });

    // Stripe's "resend": the same event (same body, same event_ts) again, as a new delivery to the same
    // subscription, due now; the original keeps its attempts. Zoom has no such button (see compatibility).
    app.post<{ Params: { id: string } }>('/webhooks/deliveries/:id/redeliver', async (request, reply) => {
      const id = request.params.id.slice(0, 64);
      const original = await ctx.store.webhooks.deliveries.findById(id);
      if (!original) throw zoomErrors.controlNotFound('Webhook delivery', id);
      if (original.status === 'pending')
        throw zoomErrors.conflict('The delivery is still pending: it is retried on its own.');
      const sub = await ctx.store.webhooks.subscriptions.findById(original.subscriptionId);
      if (!sub) throw zoomErrors.controlNotFound('Event subscription', original.subscriptionId);
      const now = ctx.clock.now();
      const delivery = {
        ...original,
        id: randomUUID(),
        endpointUrl: sub.endpointUrl,
        status: 'pending' as const,
        attemptCount: 0,
        nextAttemptAt: now,
        lastError: null,
        createdAt: now,
        completedAt: null,
      };
      await ctx.store.webhooks.deliveries.insert(delivery);
      ctx.webhooks.poke();
      reply.code(201);
      return { ...presentDelivery(delivery), redelivery_of: original.id };
    });

    // Fans out, re-validates and attempts everything due on the emulated clock, then answers.
    app.post('/webhooks/deliver', async () => ctx.webhooks.deliverNow());

    app.get('/webhooks/dispatcher', async () => ctx.webhooks.status());
    app.patch<{ Body: unknown }>('/webhooks/dispatcher', async (request) => {
      const body = request.body as Record<string, unknown> | null | undefined;
      if (typeof body !== 'object' || body === null || typeof body.paused !== 'boolean')
        throw zoomErrors.validation([{ field: 'paused', message: 'Must be true or false.' }]);
      ctx.webhooks.setPaused(body.paused);
      ctx.cluster?.publish('dispatcher', String(body.paused));
      return ctx.webhooks.status();
    });
  };
}
