/**
 * The small caller of a running Zemu's control API (/_zemu), for the CLI commands that act on a
 * Zemu instead of on Zoom: where it is (ZEMU_URL, default http://127.0.0.1:9600) and the admin
 * token (ZEMU_ADMIN_TOKEN) when the control API needs one. Errors say what went wrong and what to do.
 */
import { DEFAULT_HOST, DEFAULT_PORT } from '../config.js';

export interface ControlTarget {
  url: string;
  adminToken?: string;
}

export class ControlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function controlTarget(env: NodeJS.ProcessEnv = process.env): ControlTarget {
  const raw = env.ZEMU_URL || `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ControlError(
      `ZEMU_URL is not a URL: "${raw}". Set it to the Zemu origin, e.g. http://127.0.0.1:9600`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ControlError(`ZEMU_URL must be an http(s) URL, got "${raw}"`);
  const origin = url.origin + url.pathname.replace(/\/+$/, '');
  return env.ZEMU_ADMIN_TOKEN ? { url: origin, adminToken: env.ZEMU_ADMIN_TOKEN } : { url: origin };
}

/** Calls `method path` on the control API; returns the parsed JSON body (undefined when empty). */
export async function control(
  target: ControlTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (target.adminToken) headers.authorization = `Bearer ${target.adminToken}`;
  let response: Response;
  try {
    response = await fetch(`${target.url}/_zemu${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ControlError(
      `cannot reach Zemu at ${target.url} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
        'Start one with `zemu serve`, or set ZEMU_URL to where it runs.',
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const message =
      parsed && typeof parsed === 'object' && 'message' in parsed
        ? String(parsed.message)
        : text.slice(0, 200);
    const hint =
      response.status === 401 || response.status === 403
        ? target.adminToken
          ? ' Check ZEMU_ADMIN_TOKEN: it must be the token the Zemu was started with.'
          : ' This Zemu needs its admin token: set ZEMU_ADMIN_TOKEN.'
        : response.status === 404 && !(parsed && typeof parsed === 'object' && 'code' in parsed)
          ? ` Is ${target.url} a Zemu? Check ZEMU_URL.`
          : '';
    throw new ControlError(
      `${method} /_zemu${path} failed: ${response.status} ${message}.${hint}`,
      response.status,
    );
  }
  return parsed;
}
