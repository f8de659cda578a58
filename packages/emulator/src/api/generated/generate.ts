/**
 * A response body from an operation's response schema and the document's examples. Pure and
 * deterministic: the same schema and the same substitutions give the same body. An example is used
 * where it fits its property (type, enum, format, bounds); otherwise a value is made from the schema.
 * The answer must be valid against the document: test/generated.test.ts checks every operation.
 */
import { EMAIL, integerQuery, isObject } from '../../http/input.js';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  example?: unknown;
  default?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
}

/** A fixed instant for date-times without a usable example: the answer must not move with the clock. */
const FIXED_TIME = '2023-01-01T00:00:00Z';
const MAX_DEPTH = 12;

function typeOf(schema: Schema): string | undefined {
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/** Whether `value` would pass `schema`'s own keywords (not its children's). */
export function fits(schema: Schema, value: unknown): boolean {
  if (value === null) return schema.nullable === true;
  if (schema.enum && !schema.enum.some((e) => e === value)) return false;
  switch (typeOf(schema)) {
    case 'string': {
      if (typeof value !== 'string') return false;
      if (schema.minLength !== undefined && value.length < schema.minLength) return false;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
      if (schema.pattern !== undefined && !safeTest(schema.pattern, value)) return false;
      return fitsFormat(schema.format, value);
    }
    case 'integer':
      return Number.isInteger(value) && inBounds(schema, value as number);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inBounds(schema, value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

function inBounds(schema: Schema, n: number): boolean {
  return (
    (schema.minimum === undefined || n >= schema.minimum) &&
    (schema.maximum === undefined || n <= schema.maximum)
  );
}

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: EMAIL,
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
  url: /^[a-z][a-z0-9+.-]*:\S+$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
};

function fitsFormat(format: string | undefined, value: string): boolean {
  const re = format ? FORMATS[format] : undefined;
  if (!re) return true;
  if (!re.test(value)) return false;
  return format === 'date-time' || format === 'date' ? !Number.isNaN(Date.parse(value)) : true;
}

function stringFor(schema: Schema, name: string): string {
  switch (schema.format) {
    case 'date-time':
      return FIXED_TIME;
    case 'date':
      return FIXED_TIME.slice(0, 10);
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'ipv4':
      return '127.0.0.1';
  }
  let text = name || 'string';
  if (schema.maxLength !== undefined) text = text.slice(0, schema.maxLength);
  if (schema.minLength !== undefined) text = text.padEnd(schema.minLength, 'x');
  return text;
}

function numberFor(schema: Schema): number {
  let n = schema.minimum !== undefined ? Math.max(schema.minimum, 1) : 1;
  if (schema.maximum !== undefined && n > schema.maximum) n = schema.maximum;
  return typeOf(schema) === 'integer' ? Math.ceil(n) : n;
}

/** One schema with its `allOf` parts merged (Zoom uses allOf to compose objects). */
function merged(schema: Schema): Schema {
  if (!schema.allOf) return schema;
  const out: Schema = { ...schema, properties: { ...(schema.properties ?? {}) } };
  delete out.allOf;
  for (const part of schema.allOf.map(merged)) {
    Object.assign(out.properties as Record<string, Schema>, part.properties ?? {});
    if (part.type && !out.type) out.type = part.type;
    if (part.required) out.required = [...(out.required ?? []), ...part.required];
  }
  return out;
}

/** What a property gets when nothing can satisfy its schema (e.g. `type: string` with integer enums). */
const NONE = Symbol('unsatisfiable');

export function generate(schema: Schema, name = '', depth = 0): unknown {
  const value = generateOrNone(schema, name, depth);
  return value === NONE ? null : value;
}

function generateOrNone(schema: Schema, name: string, depth: number): unknown {
  schema = merged(schema);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) {
    // The first alternative, with what the parent declares besides it.
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return generateOrNone({ ...rest, ...merged(alternatives[0] as Schema) }, name, depth);
  }
  const type = typeOf(schema);
  if (type !== 'object' && type !== 'array') {
    // The document's example first, then its default, its enum, a value made from the type: the first
    // that the schema accepts. A schema nothing satisfies is left out of its object.
    const candidates = [schema.example, schema.default, ...(schema.enum ?? [])].filter(
      (v) => v !== undefined,
    );
    for (const candidate of candidates) if (fits(schema, candidate)) return candidate;
    if (schema.enum) return NONE;
  }
  switch (type) {
    case 'object': {
      if (!schema.properties) {
        const example = schema.example;
        return isObject(example) ? example : {};
      }
      const out: Record<string, unknown> = {};
      if (depth >= MAX_DEPTH) return out;
      for (const [key, child] of Object.entries(schema.properties)) {
        const value = generateOrNone(child, key, depth + 1);
        if (value !== NONE) out[key] = value;
        else if (schema.required?.includes(key)) out[key] = null;
      }
      // Required yet undeclared (the documents have a few): any value passes.
      for (const key of schema.required ?? []) if (!(key in out)) out[key] = key;
      return out;
    }
    case 'array': {
      if (depth >= MAX_DEPTH || schema.maxItems === 0) return [];
      const wanted = Math.max(1, schema.minItems ?? 1);
      const count = schema.maxItems === undefined ? wanted : Math.min(wanted, schema.maxItems);
      const items = schema.items ?? {};
      const exampleArray = Array.isArray(schema.example) ? schema.example : undefined;
      const itemType = typeOf(merged(items));
      if (exampleArray && itemType !== 'object' && exampleArray.every((v) => fits(items, v))) {
        const slice = exampleArray.slice(0, schema.maxItems ?? exampleArray.length);
        if (slice.length >= (schema.minItems ?? 0)) return slice;
      }
      const item = generateOrNone(items, name, depth + 1);
      return item === NONE ? [] : Array.from({ length: count }, () => item);
    }
    case 'string': {
      const text = stringFor(schema, name);
      return fits(schema, text) ? text : NONE;
    }
    case 'integer':
    case 'number': {
      const n = numberFor(schema);
      return fits(schema, n) ? n : NONE;
    }
    case 'boolean':
      return false;
    default:
      return schema.example ?? (schema.nullable ? null : {});
  }
}

/**
 * Puts the world's values into the top level of a generated object where the schema has a property of
 * that name and the value passes its keywords; anything else keeps the generated value.
 */
export function substitute(body: unknown, schema: Schema | undefined, values: Record<string, unknown>): void {
  if (!schema || !isObject(body)) return;
  const properties = merged(schema).properties ?? {};
  const target = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    const property = properties[key];
    if (!property || value === undefined || !(key in target)) continue;
    const coerced = coerce(property, value);
    if (coerced !== undefined && fits(property, coerced)) target[key] = coerced;
  }
}

function coerce(schema: Schema, value: unknown): unknown {
  const type = typeOf(schema);
  if ((type === 'integer' || type === 'number') && typeof value === 'string') {
    return integerQuery(value, 15);
  }
  if (type === 'string' && typeof value === 'number') return String(value);
  return value;
}
