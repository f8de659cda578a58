/**
 * Request validation from Zoom's own OpenAPI documents (the only place requests are checked against
 * the spec): each /v2 route that the extracted schemas
 * (request-schemas.json, made by scripts/extract-request-schemas.mjs) describe gets a preValidation
 * hook checking its query string and JSON body. What the spec rejects answers Zoom's 400 code 300
 * "Validation Failed." with one `errors` entry per bad field; the handler's own rules (uniqueness,
 * account rules, cross-field checks) run after it.
 */
import type AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import { syncFirstHook } from '../../http/hooks.js';
import { EMAIL, isObject } from '../../http/input.js';
import { lazyModule } from '../../lazy.js';
import { findOperation, operationSchemas } from '../generated/catalog.js';
import schemas from './request-schemas.json' with { type: 'json' };

interface OperationSchemas {
  body?: object;
  bodyRequired?: boolean;
  query?: object;
}

const OPERATIONS = schemas as Record<string, OperationSchemas>;

// ajv is a CommonJS module whose class sits on `.default`; loaded on the first validated request.
const ajv = lazyModule<typeof AjvModule>('ajv');
// Formats as Zoom reads them: `start_time` is GMT (`...Z`) or local time in `timezone` (no offset),
// which RFC 3339's `date-time` would refuse; `password` is no constraint at all.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})?$/;
const formats = {
  'date-time': (v: string) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(`${v.slice(0, 19)}Z`)),
  date: (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  email: EMAIL,
  password: (_v: string) => true,
};
const ajvOptions = { strict: false, allErrors: true, validateSchema: false, formats } as const;
let validators: { body: AjvModule.default; query: AjvModule.default } | undefined;
function ajvs(): { body: AjvModule.default; query: AjvModule.default } {
  if (!validators) {
    const Ajv = ajv().default;
    // Query values arrive as strings: coerce a copy so "30" is the integer the spec asks for.
    validators = { body: new Ajv(ajvOptions), query: new Ajv({ ...ajvOptions, coerceTypes: true }) };
  }
  return validators;
}

/** `/v2/users/:userId/token` -> `/users/{userId}/token`, the spec's path template. */
export function specPath(routeUrl: string, prefix = '/v2'): string {
  const path = routeUrl.startsWith(prefix) ? routeUrl.slice(prefix.length) : routeUrl;
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') parts.push((error.params as { missingProperty: string }).missingProperty);
  let field = '';
  for (const part of parts) field += /^\d+$/.test(part) ? `[${part}]` : field ? `.${part}` : part;
  return field;
}

/** Zoom's "Invalid field." with what would have been accepted, where the schema says it. */
function messageOf(error: ErrorObject): string {
  const params = error.params as { allowedValues?: unknown[]; limit?: number };
  switch (error.keyword) {
    case 'enum':
      return `Invalid field. Allowed values: ${(params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'maxLength':
      return `Invalid field. The length must be at most ${params.limit} characters.`;
    case 'minLength':
      return `Invalid field. The length must be at least ${params.limit} characters.`;
    case 'maximum':
      return `Invalid field. The value must be at most ${params.limit}.`;
    case 'minimum':
      return `Invalid field. The value must be at least ${params.limit}.`;
    default:
      return 'Invalid field.';
  }
}

/** ajv's errors as Zoom's `errors`: one per field, alternatives (anyOf) reported once at their root. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, root: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const anyOfRoots = (errors ?? []).filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  for (const error of errors ?? []) {
    if (error.keyword !== 'anyOf' && anyOfRoots.some((p) => error.schemaPath.startsWith(`${p}/`))) continue;
    if (
      error.keyword === 'anyOf' &&
      anyOfRoots.some((p) => p !== error.schemaPath && error.schemaPath.startsWith(`${p}/`))
    )
      continue;
    const field = fieldOf(error) || root;
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: messageOf(error) });
  }
  return out;
}

type Schema = {
  type?: string | string[];
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
};

/** A schema that itself admits `null` (`nullable`, `type: [.., "null"]` or an enum listing it). */
function admitsNull(schema: Schema | undefined): boolean {
  if (!schema) return false;
  if (schema.nullable === true || schema.type === 'null') return true;
  if (Array.isArray(schema.type) && schema.type.includes('null')) return true;
  if (schema.enum?.includes(null)) return true;
  return [...(schema.anyOf ?? []), ...(schema.allOf ?? [])].some(admitsNull);
}

/** The alternatives a value is read against: the schema itself and its anyOf/allOf branches. */
function branches(schema: Schema): Schema[] {
  return [schema, ...(schema.anyOf ?? []).flatMap(branches), ...(schema.allOf ?? []).flatMap(branches)];
}

/**
 * Removes, in place, every `null` given for an optional property whose schema does not admit `null`:
 * clients that send `null` for each field they leave unset (`"agenda": null`, a settings object of
 * nulls) mean "not given", and Zoom accepts such bodies. A required property's `null` stays (and fails);
 * a property whose schema admits `null` keeps it, with the meaning its handler gives it (clearing).
 */
export function dropOptionalNulls(value: unknown, schema: Schema | undefined): void {
  if (!schema || typeof value !== 'object' || value === null) return;
  const alternatives = branches(schema);
  if (Array.isArray(value)) {
    const items = alternatives.map((b) => b.items).filter((i): i is Schema => i !== undefined);
    for (const item of value) for (const s of items) dropOptionalNulls(item, s);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const described = alternatives.filter((b) => b.properties?.[key] !== undefined);
    if (described.length === 0) continue;
    if (record[key] === null) {
      const keep = described.some((b) => b.required?.includes(key) || admitsNull(b.properties?.[key]));
      if (!keep) delete record[key];
      continue;
    }
    for (const b of described) dropOptionalNulls(record[key], b.properties?.[key]);
  }
}

interface Compiled {
  body?: ValidateFunction;
  /** The body's schema, for the nulls it lets through as "not given". */
  bodySchema?: Schema;
  query?: ValidateFunction;
}

const compiled = new Map<string, Compiled>();

function compile(key: string, op: OperationSchemas | undefined = OPERATIONS[key]): Compiled | undefined {
  if (compiled.has(key)) return compiled.get(key);
  const out = op
    ? {
        ...(op.body ? { body: ajvs().body.compile(op.body), bodySchema: op.body as Schema } : {}),
        ...(op.query ? { query: ajvs().query.compile(op.query) } : {}),
      }
    : undefined;
  if (out) compiled.set(key, out);
  return out;
}

/**
 * The validators of an operation served from the spec (api/generated): its schemas come from the
 * extracted file of every operation, itself read on the first such request.
 */
async function compileGenerated(key: string): Promise<Compiled> {
  const cached = compiled.get(key);
  if (cached) return cached;
  return compile(key, (await operationSchemas())[key] ?? {}) as Compiled;
}

/** Checks a request against its operation's query and body schemas; throws 300 (or 400 invalid JSON). */
export type SpecCheck = (request: FastifyRequest) => void | Promise<void>;

/**
 * The check for one operation, or undefined when the spec describes neither its query nor its body.
 * Synchronous for the operations Zemu serves statefully (their schemas ship with the code); a promise
 * for a generated one the first time, while its catalog's schemas load.
 */
export function specValidator(method: string, path: string): SpecCheck | undefined {
  const key = `${method} ${path}`;
  const op = OPERATIONS[key];
  // Operations Zemu serves statefully have their schemas here; the others are in the generated catalog.
  const generated = op ? undefined : findOperation(method, path);
  if (op ? !op.body && !op.query : !generated?.body && !generated?.query) return undefined;
  // Compiled on the route's first request: a Zemu that serves a few operations never pays for the
  // others' validators (the settings and meeting schemas are large).
  let v: Compiled | undefined;
  return (request) => {
    if (!v && op) v = compile(key) as Compiled;
    if (v) return check(v, request);
    return compileGenerated(key).then((compiled) => {
      v = compiled;
      check(compiled, request);
    });
  };
}

function check(v: Compiled, request: FastifyRequest): void {
  const errors: FieldError[] = [];
  if (v.query) {
    const query = { ...(request.query as Record<string, unknown>) };
    if (!v.query(query)) errors.push(...toFieldErrors(v.query.errors, 'query'));
  }
  if (v.body) {
    const body = request.body;
    if (body !== undefined && !isObject(body)) {
      throw zoomErrors.invalidJson();
    }
    dropOptionalNulls(body, v.bodySchema as Schema);
    if (!v.body(body ?? {})) errors.push(...toFieldErrors(v.body.errors, 'body'));
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
}

/** Gives every route registered after this call in `app` (the /v2 scope) its spec validation. */
export function installSpecValidation(app: FastifyInstance, prefix = '/v2'): void {
  app.addHook('onRoute', (route) => {
    // A dispatch route validates each request against its operation's schemas (api/v2.ts).
    if (route.config?.dispatch) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      const validator = specValidator(method, specPath(route.url, prefix));
      if (!validator) continue;
      const hook = syncFirstHook(validator);
      const existing = route.preValidation;
      route.preValidation = existing ? [...(Array.isArray(existing) ? existing : [existing]), hook] : [hook];
    }
  });
}
