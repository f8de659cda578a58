/**
 * Every operation of Zoom's documents that no stateful route serves, answered from the spec. Served
 * by the /v2 dispatch route (api/v2.ts), it goes through what a stateful one does: the bearer guard
 * and the limiter (onRequest, from the operation's `scopes` and `rateLimitLabel`), the spec hook
 * (query and body, 400 code 300), the fault hooks and the request log. The handler then checks the operation's scopes (4711), resolves the user and the meeting
 * the path names against the world (the documented 1001 / 3001 when there is none), and answers the
 * documented success with a body generated from the response schema, carrying the world's ids.
 */
import type { FastifyContextConfig } from 'fastify';
import type { Ctx } from '../../context.js';
import { ZoomRefusal, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import type { Principal } from '../../guard/principal.js';
import { requireScopes } from '../../guard/scopes.js';
import { resolveUser } from '../../guard/target.js';
import { isObject } from '../../http/input.js';
import type { Meeting } from '../../store/models.js';
import { meetingErrors } from '../meetings/errors.js';
import {
  type DocumentedError,
  type OperationInfo,
  operationKey,
  operationSchemas,
  scopeRuleOf,
} from './catalog.js';
import { generate, type Schema, substitute } from './generate.js';

export const EMULATED_HEADER = 'x-zemu-emulated';
const MAX_ECHO = 256;

/** `/users/{userId}/assistants` -> `/users/:userId/assistants`. */
export function routeUrl(template: string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** The document's own 1001 / 3001 text for this operation, with the value the path gave. */
function documented(doc: DocumentedError | undefined, code: number, value: string): ZoomRefusal | undefined {
  if (!doc) return undefined;
  return zoomErrors.documented(doc.status, code, doc.text.replace('{}', value.slice(0, MAX_ECHO)));
}

/** Zoom documents double-encoded meeting UUIDs (`/` and `//` in them): undo a second encoding. */
function decodeOnceMore(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The meeting `{meetingId}` (a number, or an instance uuid) names in the caller's account. */
async function worldMeeting(ctx: Ctx, principal: Principal, value: string): Promise<Meeting | undefined> {
  let meeting: Meeting | undefined;
  if (/^\d{1,15}$/.test(value)) meeting = await ctx.store.meetings.findById(Number(value));
  else if (value.length > 0 && value.length <= MAX_ECHO) {
    meeting = await ctx.store.meetings.findByUuid(decodeOnceMore(value));
  }
  return meeting && meeting.accountId === principal.accountId ? meeting : undefined;
}

/** `webinarId` -> `webinar_id`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The base bodies, one per operation, generated once: generation is deterministic, and a request only
 * changes top-level fields (a shallow copy is enough).
 */
const bases = new Map<string, unknown>();

function baseBody(key: string, schema: Schema): unknown {
  let base = bases.get(key);
  if (base === undefined) {
    base = generate(schema);
    bases.set(key, base);
  }
  return isObject(base) ? { ...base } : base;
}

/** The handler of an operation answered from the spec, for one start. */
export function generatedHandler(ctx: Ctx, op: OperationInfo) {
  const key = operationKey(op.method, op.path);
  const params = [...op.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);
  const last = params.at(-1);
  return async (
    request: { caller: Caller | null },
    reply: {
      code(status: number): { send(body?: unknown): unknown };
      header(name: string, value: string): unknown;
    },
    path: Record<string, string>,
  ) => {
    const { principal, rule } = request.caller as Caller;
    // Set first: the 1001/3001/4711 this handler decides are answers of the generated operation too.
    reply.header(EMULATED_HEADER, 'generated');
    // Zoom checks the token's scopes before it looks anything up: any accepted scope first.
    requireScopes(principal.scopes, rule, { isMe: true, isSelf: true });
    const values: Record<string, unknown> = { account_id: principal.accountId };
    for (const name of params) {
      const value = path[name];
      if (value === undefined) continue;
      values[snake(name)] = value;
      if (name === last) values.id = value;
    }
    let target = { isMe: false, isSelf: true };
    if (path.userId !== undefined) {
      const userId = path.userId;
      try {
        const resolved = await resolveUser(ctx.store, principal, userId);
        target = resolved.viaSharedAccess ? { ...resolved, isSelf: true } : resolved;
        values.user_id = resolved.user.id;
        values.host_id = resolved.user.id;
        values.host_email = resolved.user.email;
        if (last === 'userId') values.id = resolved.user.id;
      } catch (error) {
        if (error instanceof ZoomRefusal && error.code === 1001) {
          throw documented(op.notFound.user, 1001, userId) ?? error;
        }
        throw error;
      }
    }
    const meetingParam = path.meetingId ?? path.meetingUUID;
    if (meetingParam !== undefined) {
      const meeting = await worldMeeting(ctx, principal, meetingParam);
      if (!meeting) {
        throw (
          documented(op.notFound.meeting, 3001, meetingParam) ??
          meetingErrors.notFound(meetingParam.slice(0, MAX_ECHO), 'no such meeting in this account')
        );
      }
      target = { isMe: false, isSelf: meeting.hostId === principal.user?.id };
      Object.assign(values, {
        meeting_id: meeting.id,
        uuid: meeting.uuid,
        host_id: meeting.hostId,
        topic: meeting.topic,
      });
      if (last === 'meetingId' || last === 'meetingUUID') values.id = meeting.id;
    }
    // Acting on another user's things needs an `:admin` scope, as on the stateful routes.
    requireScopes(principal.scopes, rule, target);
    const schema = (await operationSchemas())[key]?.response;
    if (!schema || op.status === 204) return reply.code(op.status).send();
    const body = baseBody(key, schema);
    substitute(body, schema, values);
    return reply.code(op.status).send(body);
  };
}

export type GeneratedHandler = ReturnType<typeof generatedHandler>;

/** The scope rule, label and mode of an operation answered from the spec (shared by every start). */
export function generatedConfig(op: OperationInfo): FastifyContextConfig {
  return { scopes: scopeRuleOf(op), rateLimitLabel: op.label, emulated: 'generated' };
}
