/**
 * Every operation of Zoom's two OpenAPI documents (operations.json, written by
 * scripts/extract-operations.mjs): what the router, the guard and the limiter need to serve one
 * from the spec. The schemas (schemas.json, half a megabyte) are loaded on the first generated request,
 * never at start, and each route's validators are compiled on that route's first request.
 */
import type { ScopeRule } from '../../guard/scopes.js';
import type { RateLimitLabel } from '../../http/types.js';
import type { Schema } from './generate.js';
import index from './operations.json' with { type: 'json' };

export type SourceDocument = 'users-2025' | 'meetings-2023';

export interface DocumentedError {
  /** The HTTP status the document gives it (404, sometimes 400). */
  status: number;
  /** The document's message, with `{}` where the path's value goes. */
  text: string;
}

export interface OperationInfo {
  method: string;
  /** The document's path template, e.g. `/users/{userId}/assistants`. */
  path: string;
  source: SourceDocument;
  operationId: string | null;
  summary: string;
  tag: string;
  /** The lowest 2xx the document gives the operation. */
  status: number;
  scopes: { classic: string[]; granular: string[] };
  label: RateLimitLabel;
  /** `description` when read from the operation's description, `default` when it names none. */
  labelFrom: 'description' | 'default';
  query: boolean;
  body: boolean;
  /** The documented 1001 / 3001 answers of an operation whose path names a user / a meeting. */
  notFound: { user?: DocumentedError; meeting?: DocumentedError };
}

export interface OperationSchemas {
  query?: object;
  body?: object;
  bodyRequired?: boolean;
  response?: Schema;
}

export const OPERATIONS = index as OperationInfo[];

export function operationKey(method: string, path: string): string {
  return `${method} ${path}`;
}

const byKey = new Map(OPERATIONS.map((op) => [operationKey(op.method, op.path), op]));

export function findOperation(method: string, path: string): OperationInfo | undefined {
  return byKey.get(operationKey(method, path));
}

export function scopeRuleOf(op: OperationInfo): ScopeRule {
  return { classic: op.scopes.classic, granular: op.scopes.granular };
}

let loading: Promise<Record<string, OperationSchemas>> | undefined;

/** The extracted schemas of every operation, read once, on first use. */
export function operationSchemas(): Promise<Record<string, OperationSchemas>> {
  loading ??= import('./schemas.json', { with: { type: 'json' } }).then(
    (m) => m.default as unknown as Record<string, OperationSchemas>,
  );
  return loading;
}
