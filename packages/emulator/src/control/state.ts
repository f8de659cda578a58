/** /_zemu/reset, /_zemu/snapshots, /_zemu/export and /_zemu/import: the whole state at once. */

import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import { noContent, type RouteSink } from '../http/dispatch.js';
import { requireObjectField } from '../http/input.js';
import { StateDocumentError } from '../state/document.js';

/** Exports of large worlds are larger than the default body limit. */
const IMPORT_BODY_LIMIT = 512 * 1024 * 1024;

function refused(error: unknown): never {
  if (error instanceof StateDocumentError)
    throw zoomErrors.badRequest(error.message, `state refused (${error.kind})`);
  throw error;
}

export function stateRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.post(
      '/reset',
      noContent(() => ctx.state.reset()),
    );

    app.post<{ Body: { name?: unknown } | undefined }>('/snapshots', async (request, reply) => {
      const body = requireObjectField(request.body ?? {});
      const snapshot = await ctx.state.snapshot(body.name as string | undefined);
      reply.code(201);
      return snapshot;
    });

    app.get('/snapshots', async () => {
      const snapshots = await ctx.state.list();
      return { total_records: snapshots.length, snapshots };
    });

    app.post<{ Params: { id: string } }>('/snapshots/:id/restore', async (request) =>
      ctx.state.restore(request.params.id).catch(refused),
    );

    app.delete<{ Params: { id: string } }>(
      '/snapshots/:id',
      noContent((request) => ctx.state.remove(request.params.id)),
    );

    app.get('/export', async (_request, reply) => {
      const document = await ctx.state.exportDocument();
      reply.header('content-disposition', 'attachment; filename="zemu-state.json"');
      return document;
    });

    app.post(
      '/import',
      { bodyLimit: IMPORT_BODY_LIMIT },
      noContent((request) => ctx.state.importDocument(request.body).catch(refused)),
    );
  };
}
