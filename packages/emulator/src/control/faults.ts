/** /_zemu/faults: add, list, read and remove fault rules. */

import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import { type FaultRuleInput, presentFault } from '../faults/rules.js';
import { noContent, type RouteSink } from '../http/dispatch.js';

export function faultsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.post<{ Body: FaultRuleInput }>('/faults', async (request, reply) => {
      const rule = ctx.faults.add(request.body);
      reply.code(201);
      return presentFault(rule);
    });
    app.get('/faults', async () => {
      // Shared rules (PostgreSQL): counts as the table holds them, fired on any process.
      await ctx.faults.refresh();
      const rules = ctx.faults.list();
      return { total_records: rules.length, faults: rules.map(presentFault) };
    });
    app.get<{ Params: { id: string } }>('/faults/:id', async (request) => {
      await ctx.faults.refresh();
      const rule = ctx.faults.get(request.params.id);
      if (!rule) throw zoomErrors.controlNotFound('Fault rule', request.params.id);
      return presentFault(rule);
    });
    app.delete<{ Params: { id: string } }>(
      '/faults/:id',
      noContent(async (request) => {
        if (!ctx.faults.remove(request.params.id))
          throw zoomErrors.controlNotFound('Fault rule', request.params.id);
      }),
    );
    app.delete(
      '/faults',
      noContent(() => ctx.faults.clear()),
    );
  };
}
