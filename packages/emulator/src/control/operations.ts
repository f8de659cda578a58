/** GET /_zemu/operations: every operation of Zoom's documents, how this Zemu answers it, its scopes and label. */

import type { Ctx } from '../context.js';
import type { RouteSink } from '../http/dispatch.js';

export function operationsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get('/operations', async () => {
      const operations = ctx.operations.list();
      const count = (mode: string) => operations.filter((o) => o.mode === mode).length;
      return {
        total_records: operations.length,
        stateful: count('stateful'),
        generated: count('generated'),
        off: count('off'),
        operations,
      };
    });
  };
}
