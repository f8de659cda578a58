/**
 * Request validation of the Meetings writes against Zoom's own schemas (request-schemas.ts, taken from
 * the 2023 Meeting API spec): types, enums, lengths. Failures become Zoom's 400 code 300 "Validation
 * Failed." with one `{field, message}` per bad field, `settings.approval_type` style.
 */
import AjvModule, { type ErrorObject } from 'ajv';
import { type FieldError, zoomErrors } from '../../errors/zoom.js';
import { CREATE_MEETING_SCHEMA, UPDATE_MEETING_SCHEMA } from './request-schemas.js';

// Zoom takes `start_time` as GMT (`...Z`) or local time in `timezone` (no offset): the strict RFC 3339
// `date-time` of ajv-formats would refuse the second form, so the formats are Zoom's here.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ajv is a CommonJS module: under NodeNext its class sits on `.default`.
const ajv = new AjvModule.default({
  strict: false,
  allErrors: true,
  validateSchema: false,
  formats: {
    'date-time': (v: string) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(`${v.slice(0, 19)}Z`)),
    email: EMAIL,
  },
});
const validators = {
  create: ajv.compile(CREATE_MEETING_SCHEMA),
  update: ajv.compile(UPDATE_MEETING_SCHEMA),
};

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'additionalProperties' || error.keyword === 'required') {
    const extra = error.params as { missingProperty?: string; additionalProperty?: string };
    const name = extra.missingProperty ?? extra.additionalProperty;
    if (name) path.push(name);
  }
  // Array positions read like Zoom's: `tracking_fields[0].field`.
  return path.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function messageOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'enum':
      return `Invalid field. Allowed values: ${(error.params as { allowedValues: unknown[] }).allowedValues
        .map((v) => JSON.stringify(v))
        .join(', ')}.`;
    case 'maxLength':
      return `Invalid field. The length must be at most ${(error.params as { limit: number }).limit} characters.`;
    case 'maximum':
      return `Invalid field. The value must be at most ${(error.params as { limit: number }).limit}.`;
    default:
      return 'Invalid field.';
  }
}

/** Field errors of `body` for the operation; an empty list when it conforms. */
export function schemaErrors(op: 'create' | 'update', body: unknown): FieldError[] {
  const validate = validators[op];
  if (validate(body)) return [];
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const error of validate.errors ?? []) {
    const field = fieldOf(error) || 'body';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: messageOf(error) });
  }
  return errors;
}

/** The body as an object, or Zoom's "Request Body should be a valid JSON object." */
export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw zoomErrors.invalidJson();
  return body as Record<string, unknown>;
}
