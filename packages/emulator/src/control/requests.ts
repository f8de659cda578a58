/**
 * /_zemu/requests: the request log, newest first, with filters and paging; and
 * /_zemu/requests/stream: the same entries live as Server-Sent Events.
 */

import type { Ctx } from '../context.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { noContent, type RouteSink } from '../http/dispatch.js';
import { booleanQuery } from '../http/input.js';
import {
  matchesFilter,
  presentEntry,
  type RequestLogEntry,
  type RequestLogFilter,
} from '../requestlog/log.js';

export interface RequestsQuery {
  method?: string;
  path?: string;
  status?: string;
  code?: string;
  account_id?: string;
  client_id?: string;
  user_id?: string;
  token_id?: string;
  grant_id?: string;
  grant_type?: string;
  refused?: string;
  from?: string;
  to?: string;
  page_size?: string;
  next_page_token?: string;
  /** Stream only: replay entries after this id first (as the Last-Event-ID header does). */
  since?: string;
}

function time(field: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw zoomErrors.validation([{ field, message: 'Must be an ISO 8601 time.' }]);
  return at;
}

export function parseFilter(q: RequestsQuery): RequestLogFilter {
  const errors: FieldError[] = [];
  const refused = booleanQuery(q.refused, 'refused', errors, 'Must be true or false.');
  if (errors.length > 0) throw zoomErrors.validation(errors);
  if (q.status !== undefined && !/^([1-5]xx|\d{3})$/i.test(q.status)) {
    throw zoomErrors.validation([
      { field: 'status', message: 'Must be a status such as 429, or a class such as 4xx.' },
    ]);
  }
  const filter: RequestLogFilter = {
    method: q.method?.toUpperCase(),
    path: q.path,
    status: q.status,
    code: q.code,
    accountId: q.account_id,
    clientId: q.client_id,
    userId: q.user_id,
    tokenId: q.token_id,
    grantId: q.grant_id,
    grantType: q.grant_type,
    from: time('from', q.from),
    to: time('to', q.to),
  };
  if (refused !== undefined) filter.refused = refused;
  return filter;
}

export function requestsRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    // Open streams would hold the server open on close: end them before the server waits for its
    // connections (preClose; onClose runs only after they are gone, so a connected client hung close).
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of streams) end();
    });
    app.get<{ Querystring: RequestsQuery }>('/requests', async (request) => {
      const filter = parseFilter(request.query);
      const pageSize = request.query.page_size === undefined ? 100 : Number(request.query.page_size);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
        throw zoomErrors.validation([{ field: 'page_size', message: 'Must be an integer from 1 to 1000.' }]);
      }
      let before: number | undefined;
      if (request.query.next_page_token) {
        before = Number(request.query.next_page_token);
        if (!Number.isInteger(before) || before < 1) {
          throw zoomErrors.validation([{ field: 'next_page_token', message: 'Invalid field.' }]);
        }
      }
      const { total, entries, next } = await ctx.requestLog.query(filter, pageSize, before);
      return {
        total_records: total,
        page_size: pageSize,
        next_page_token: next === null ? '' : String(next),
        retention: { capacity: ctx.requestLog.capacity, kept: await ctx.requestLog.kept() },
        requests: entries.map(presentEntry),
      };
    });

    app.delete(
      '/requests',
      noContent(() => ctx.requestLog.clear()),
    );

    app.get<{ Querystring: RequestsQuery }>('/requests/stream', async (request, reply) => {
      const filter = parseFilter(request.query);
      const format = (entries: readonly RequestLogEntry[]) => {
        let out = '';
        for (const entry of entries) {
          if (!matchesFilter(entry, filter)) continue;
          out += `id: ${entry.id}\nevent: request\ndata: ${JSON.stringify(presentEntry(entry))}\n\n`;
        }
        return out;
      };
      const raw = reply.raw;
      // A reconnecting EventSource sends Last-Event-ID: what it missed comes first, then the live
      // entries, with no gap between them. Live from here: the head is written once subscribed.
      const lastId = Number(request.headers['last-event-id'] ?? request.query.since ?? Number.NaN);
      const early: string[] = [];
      let headWritten = false;
      const unsubscribe = await ctx.requestLog.subscribe(
        (batch) => {
          const out = format(batch);
          if (!out) return;
          if (headWritten) raw.write(out);
          else early.push(out);
        },
        Number.isInteger(lastId) && lastId >= 0 ? lastId : undefined,
      );
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`: zemu request log\n\n${early.join('')}`);
      headWritten = true;
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      keepAlive.unref();
      const stop = () => {
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        stop();
        raw.end();
      };
      streams.add(end);
      raw.on('close', stop);
      request.raw.on('close', stop);
    });
  };
}
