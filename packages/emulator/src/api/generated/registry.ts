/**
 * Which operations this Zemu answers and how: every /v2 route registers here as it is defined (its
 * scopes and label from its own config), and every operation of the documents that no stateful route
 * serves is `generated` (or `off` with `--generated off`). GET /_zemu/operations and the README's table
 * (scripts/operations-table.ts) both read `list()`.
 */
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { ScopeRule } from '../../guard/scopes.js';
import type { VirtualRoute } from '../../http/route-config.js';
import type { RateLimitLabel } from '../../http/types.js';
import { specPath } from '../spec/validate.js';
import { OPERATIONS, operationKey, type SourceDocument } from './catalog.js';

export type OperationMode = 'stateful' | 'generated' | 'off';

export interface ListedOperation {
  method: string;
  path: string;
  mode: OperationMode;
  scopes: { classic: string[]; granular: string[] };
  label: RateLimitLabel | null;
  source: SourceDocument | null;
  operation_id: string | null;
  summary: string;
}

interface Served {
  mode: 'stateful' | 'generated';
  scopes: ScopeRule | undefined;
  label: RateLimitLabel | undefined;
}

export class OperationRegistry {
  private readonly served = new Map<string, Served>();

  constructor(readonly generatedOn: boolean) {}

  /** The generated operations of dispatch routes (some 300), recorded when first listed. */
  private pending: { routes: readonly VirtualRoute[]; prefix: string }[] = [];

  /** Records every route defined in `app` (the /v2 scope) from now on. */
  install(app: FastifyInstance, prefix = '/v2'): void {
    app.addHook('onRoute', (route) => {
      // A dispatch route stands for the operations it serves (api/v2.ts).
      const dispatched = route.config?.dispatch?.routes;
      if (!dispatched) return this.record([route], prefix, false);
      this.record(dispatched, prefix, false);
      this.pending.push({ routes: dispatched, prefix });
    });
  }

  /** Records the stateful routes of `routes`, or (`generated`) the generated ones. */
  private record(
    routes: readonly { method: string | string[]; url: string; config?: FastifyContextConfig }[],
    prefix: string,
    generated: boolean,
  ): void {
    for (const r of routes) {
      if ((r.config?.emulated === 'generated') !== generated) continue;
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue;
        this.served.set(operationKey(method, specPath(r.url, prefix)), {
          mode: generated ? 'generated' : 'stateful',
          scopes: r.config?.scopes,
          label: r.config?.rateLimitLabel,
        });
      }
    }
  }

  private flush(): void {
    for (const { routes, prefix } of this.pending) this.record(routes, prefix, true);
    this.pending = [];
  }

  /** A stateful route serves `method path`. */
  isStateful(method: string, path: string): boolean {
    this.flush();
    return this.served.get(operationKey(method, path))?.mode === 'stateful';
  }

  /** Every operation of the documents, then any stateful one the documents do not name. */
  list(): ListedOperation[] {
    this.flush();
    const out: ListedOperation[] = [];
    const documented = new Set<string>();
    for (const op of OPERATIONS) {
      const key = operationKey(op.method, op.path);
      documented.add(key);
      const served = this.served.get(key);
      out.push({
        method: op.method,
        path: op.path,
        mode: served?.mode ?? 'off',
        scopes: served?.scopes
          ? { classic: [...served.scopes.classic], granular: [...served.scopes.granular] }
          : op.scopes,
        label: served?.label ?? op.label,
        source: op.source,
        operation_id: op.operationId,
        summary: op.summary,
      });
    }
    for (const [key, served] of this.served) {
      if (documented.has(key)) continue;
      const [method, path] = key.split(' ') as [string, string];
      out.push({
        method,
        path,
        mode: served.mode,
        scopes: served.scopes
          ? { classic: [...served.scopes.classic], granular: [...served.scopes.granular] }
          : { classic: [], granular: [] },
        label: served.label ?? null,
        source: null,
        operation_id: null,
        summary: '',
      });
    }
    return out;
  }
}
