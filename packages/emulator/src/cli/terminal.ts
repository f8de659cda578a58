/**
 * What the terminal commands share: output that is coloured only on a TTY, a live status line for
 * long-running commands (on stderr, TTY only), JSON lines, and one place that turns any failure into
 * a message, a hint and the exit code of the table in exit-codes.ts / the README.
 */
import type { Command } from 'commander';
import { ControlError, type ControlTarget, controlTarget } from './control-client.js';
import { EXIT } from './exit-codes.js';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface Terminal {
  env: NodeJS.ProcessEnv;
  /** A line of output (stdout); clears and redraws the live line around it. */
  line(text: string): void;
  /** One JSON object on one line (stdout). */
  json(value: unknown): void;
  /** A note for people (stderr), never mixed into stdout's data. */
  note(text: string): void;
  /** Sets the live line (stderr, TTY only); empty string removes it. */
  live(text: string): void;
  paint: Paint;
}

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  /** By HTTP status: 2xx green, 3xx cyan, 4xx yellow, 5xx and no answer red. */
  status(status: number | null, text?: string): string;
}

function painter(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  const p = {
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
  return {
    ...p,
    status: (status, text = String(status ?? '---')) => {
      if (status === null || status === 0 || status >= 500) return p.red(text);
      if (status >= 400) return p.yellow(text);
      if (status >= 300) return p.cyan(text);
      return p.green(text);
    },
  };
}

export function terminal(env: NodeJS.ProcessEnv = process.env): Terminal {
  const out = process.stdout;
  const err = process.stderr;
  // NO_COLOR (no-color.org) and FORCE_COLOR as most CLIs read them.
  const colour = env.FORCE_COLOR ? env.FORCE_COLOR !== '0' : Boolean(out.isTTY) && !env.NO_COLOR;
  const liveOn = Boolean(err.isTTY);
  let current = '';
  const clear = () => {
    if (current) err.write('\r\u001b[2K');
  };
  const redraw = () => {
    if (current) err.write(current);
  };
  return {
    env,
    paint: painter(colour),
    line(text) {
      clear();
      out.write(`${text}\n`);
      redraw();
    },
    json(value) {
      out.write(`${JSON.stringify(value)}\n`);
    },
    note(text) {
      clear();
      err.write(`${text}\n`);
      redraw();
    },
    live(text) {
      if (!liveOn) return;
      clear();
      current = text ? painter(colour).dim(text.slice(0, (err.columns ?? 100) - 1)) : '';
      redraw();
    },
  };
}

/** The exit code and words for any failure of a terminal command. */
export function explainFailure(error: unknown): { code: number; message: string; hint?: string } {
  if (error instanceof UsageError)
    return { code: EXIT.usage, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof ControlError) {
    const hint = error.hint || undefined;
    if (error.kind === 'usage') return { code: EXIT.usage, message: error.what, ...(hint ? { hint } : {}) };
    if (error.kind === 'network')
      return { code: EXIT.network, message: error.what, ...(hint ? { hint } : {}) };
    const status = error.status ?? 0;
    const code =
      status === 401 || status === 403
        ? EXIT.auth
        : status === 404
          ? EXIT.notFound
          : status === 429
            ? EXIT.rateLimited
            : EXIT.api;
    return { code, message: error.what, ...(hint ? { hint } : {}) };
  }
  return { code: EXIT.failure, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Wraps a command's action: gives it the terminal and the control target, prints any failure as
 * `zemu: what` + `hint: what to do` (and as a JSON line on stdout with --json), sets the exit code.
 */
export function action<A extends unknown[]>(
  body: (
    ctx: { term: Terminal; target: ControlTarget; opts: Record<string, unknown> },
    ...args: A
  ) => Promise<number | undefined> | Promise<void>,
) {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const opts = command.optsWithGlobals() as Record<string, unknown>;
    const term = terminal();
    try {
      const target = controlTarget(process.env);
      const code = await body({ term, target, opts }, ...(args.slice(0, -2) as A));
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      term.live('');
      const { code, message, hint } = explainFailure(error);
      if (opts.json) {
        const control = error instanceof ControlError ? error : undefined;
        term.json({
          error: {
            message,
            ...(hint ? { hint } : {}),
            exit_code: code,
            ...(control?.status !== undefined ? { status: control.status } : {}),
            ...(control?.code !== undefined ? { code: control.code } : {}),
            ...(control?.errors.length ? { errors: control.errors } : {}),
          },
        });
      }
      process.stderr.write(`zemu: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
      process.exitCode = code;
    }
  };
}

/** A number flag: sent as a number when it is one, else as given, so the control API names the field. */
export function numberOr(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/** `a,b c` -> ['a','b','c']. */
export function list(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}
