/**
 * The small caller of a Zemu's control API (`/_zemu`) that the terminal commands share: where Zemu is
 * (`ZEMU_URL`, default http://127.0.0.1:9600), the admin token (`ZEMU_ADMIN_TOKEN`) when set, and one
 * error whose message says what went wrong and what to do.
 */
import { DEFAULT_HOST, DEFAULT_PORT } from '../config.js';

export interface ControlTarget {
  /** Origin of the Zemu, without a trailing slash. */
  url: string;
  adminToken?: string;
}

export const DEFAULT_ZEMU_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

export function controlTarget(env: NodeJS.ProcessEnv = process.env): ControlTarget {
  const raw = env.ZEMU_URL?.trim() || DEFAULT_ZEMU_URL;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new ControlError(
      `ZEMU_URL is not an http(s) URL: "${raw}"`,
      'Set ZEMU_URL to the origin Zemu listens on, e.g. http://127.0.0.1:9600.',
      { kind: 'usage' },
    );
  }
  const url = raw.replace(/\/+$/, '');
  const adminToken = env.ZEMU_ADMIN_TOKEN?.trim();
  return adminToken ? { url, adminToken } : { url };
}

export type ControlErrorKind = 'usage' | 'network' | 'api';

export interface FieldError {
  field: string;
  message: string;
}

/** A control call that failed: `message` is what went wrong, `hint` what to do. */
export class ControlError extends Error {
  readonly kind: ControlErrorKind;
  readonly status: number | undefined;
  readonly code: number | undefined;
  readonly errors: FieldError[];
  constructor(
    message: string,
    readonly hint: string,
    options: { kind: ControlErrorKind; status?: number; code?: number; errors?: FieldError[] },
  ) {
    super(hint ? `${message}\nhint: ${hint}` : message);
    this.kind = options.kind;
    this.status = options.status;
    this.code = options.code;
    this.errors = options.errors ?? [];
  }
  /** The first line: what went wrong, without the hint. */
  get what(): string {
    return this.message.split('\nhint: ')[0] as string;
  }
}

function hintFor(target: ControlTarget, status: number): string {
  if (status === 401 || status === 403) {
    return target.adminToken
      ? 'ZEMU_ADMIN_TOKEN is not the admin token this Zemu was started with: set the right one.'
      : 'This Zemu is not on loopback (or not bound to it): set ZEMU_ADMIN_TOKEN to its admin token.';
  }
  if (status === 404) return 'Check the id; list what exists with the matching zemu command.';
  if (status === 400) return 'Fix the values named above and run the command again; nothing was changed.';
  if (status === 409) return 'It already exists: pick another value.';
  if (status === 429) return 'Rate limited: try again in a moment.';
  return 'See the Zemu process log (stderr) for details.';
}

/** Headers for a control call (JSON, and the admin token when set). */
export function controlHeaders(target: ControlTarget, json: boolean): Record<string, string> {
  return {
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(target.adminToken ? { authorization: `Bearer ${target.adminToken}` } : {}),
  };
}

export function unreachable(target: ControlTarget, cause: unknown): ControlError {
  const detail = (cause as { cause?: { code?: string } })?.cause?.code ?? (cause as Error)?.message;
  return new ControlError(
    `cannot reach Zemu at ${target.url}${detail ? ` (${detail})` : ''}`,
    'Is it running? Start it with `zemu serve` (or `npm start`), or set ZEMU_URL to where it listens.',
    { kind: 'network' },
  );
}

/** Turns a non-2xx answer of the control API into a ControlError with Zoom's code, message and field errors. */
export async function failure(target: ControlTarget, method: string, path: string, res: Response) {
  const text = await res.text();
  let body: { code?: unknown; message?: unknown; errors?: unknown } = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = {};
  }
  const code = typeof body.code === 'number' ? body.code : undefined;
  const message = typeof body.message === 'string' ? body.message : text.slice(0, 200) || res.statusText;
  const errors = Array.isArray(body.errors)
    ? (body.errors as FieldError[]).filter((e) => typeof e?.field === 'string')
    : [];
  const fields = errors.map((e) => `\n  ${e.field}: ${e.message}`).join('');
  return new ControlError(
    `${method} /_zemu${path} answered ${res.status}${code !== undefined ? ` (code ${code})` : ''}: ${message}${fields}`,
    hintFor(target, res.status),
    { kind: 'api', status: res.status, ...(code !== undefined ? { code } : {}), errors },
  );
}

/** One control call; resolves to the JSON answer (undefined for 204), throws ControlError otherwise. */
export async function control<T = unknown>(
  target: ControlTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.url}/_zemu${path}`, {
      method,
      headers: controlHeaders(target, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (cause) {
    throw unreachable(target, cause);
  }
  if (!res.ok) throw await failure(target, method, path, res);
  if (res.status === 204) {
    await res.body?.cancel();
    return undefined as T;
  }
  const text = await res.text();
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new ControlError(
      `${method} /_zemu${path} answered ${res.status} with something that is not JSON`,
      `Is ${target.url} a Zemu? Set ZEMU_URL to the origin Zemu listens on.`,
      { kind: 'api', status: res.status },
    );
  }
}
