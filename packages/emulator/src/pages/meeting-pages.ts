/**
 * The pages behind a meeting's links, outside /v2 (no bearer token: the link is the credential):
 *   GET /s/{meetingId}?zak=   the start page: the ZAK must be the host's, unexpired on the emulated
 *                             clock and not revoked; the host then joins as host, which starts the
 *                             meeting (live/engine.ts) unless it is already live with the host in it.
 *   GET /j/{meetingId}?pwd=   the join page: topic, a name, an optional email, and the passcode unless
 *                             the link carries it;
 *   POST /j/{meetingId}       its form: checks the passcode, then the person joins as a participant
 *                             (or waits, when the host has not started the meeting).
 * A meeting that requires registration takes only its approved registrants' own links
 * (`/j/{meetingId}?tk=...`): no `tk`, a forged one, or one of a pending, denied or deleted registration
 * is a page refusing entry (403), and the registrant joins under the registered email.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isExpired } from '../api/meetings/lifecycle.js';
import { encryptedPassword } from '../api/meetings/present.js';
import { approvalType } from '../api/meetings/registrants/access.js';
import { registrantName } from '../api/meetings/registrants/present.js';
import { registrantOfToken } from '../api/meetings/registrants/token.js';
import type { Ctx } from '../context.js';
import { constantTimeEqual } from '../crypto.js';
import { EMAIL } from '../http/input.js';
import { join } from '../live/engine.js';
import type { Meeting, Registrant } from '../store/models.js';
import { errorPage, joinedPage, joinPage, startedPage } from './html.js';
import { sendPage } from './layout.js';

type Params = { meetingId: string };
const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

export function meetingPageRoutes(ctx: Ctx) {
  const html = (reply: FastifyReply, status: number, body: string) =>
    sendPage(
      reply,
      status,
      body,
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );

  const notFound = (reply: FastifyReply, raw: string) =>
    html(
      reply,
      404,
      errorPage(
        'This meeting link is invalid',
        `Meeting ${raw.slice(0, 32)} is not found or has expired.`,
        3001,
      ),
    );

  async function meetingOf(raw: string): Promise<Meeting | undefined> {
    if (!/^\d{1,11}$/.test(raw)) return undefined;
    const meeting = await ctx.store.meetings.findById(Number(raw));
    // An expired meeting ID is as dead as an unknown one.
    return meeting && !isExpired(meeting, ctx.clock.now()) ? meeting : undefined;
  }

  type Admission =
    | { ok: true; registrant: Registrant | undefined }
    | { ok: false; title: string; message: string };

  /** Whether the link may enter: any link when the meeting takes no registration, else an approved registrant's. */
  async function admit(meeting: Meeting, tk: string): Promise<Admission> {
    if (approvalType(meeting) === undefined) return { ok: true, registrant: undefined };
    if (!tk)
      return {
        ok: false,
        title: 'This meeting requires registration',
        message: 'Register for this meeting, then join through the link you get once you are approved.',
      };
    const id = registrantOfToken(ctx.keys.registrantLink, meeting.id, tk);
    const registrant = id === undefined ? undefined : await ctx.store.registrants.findById(meeting.id, id);
    if (!registrant)
      return {
        ok: false,
        title: 'This registration link is invalid',
        message:
          'This link does not belong to a registration for this meeting. Use the link from your registration.',
      };
    if (registrant.status === 'pending')
      return {
        ok: false,
        title: 'Your registration is pending',
        message: 'The host has not approved your registration yet.',
      };
    if (registrant.status === 'denied')
      return {
        ok: false,
        title: 'Your registration is not approved',
        message: 'The host declined or cancelled this registration.',
      };
    return { ok: true, registrant };
  }

  return async (app: FastifyInstance) => {
    app.get<{ Params: Params; Querystring: { zak?: unknown } }>('/s/:meetingId', async (request, reply) => {
      const raw = request.params.meetingId;
      const meeting = await meetingOf(raw);
      if (!meeting) return notFound(reply, raw);
      const host = await ctx.store.users.findById(meeting.hostId);
      if (!host) return notFound(reply, raw);
      const zak = str(request.query.zak, 4096);
      if (!zak) {
        return html(
          reply,
          401,
          errorPage(
            'Sign in to start this meeting',
            'This start link has no ZAK. Only the host can start the meeting: get a fresh start_url from GET /v2/meetings/{meetingId}.',
          ),
        );
      }
      const check = await ctx.zaks.check(zak, host);
      if (!check.ok) {
        const pages = {
          expired: [
            401,
            'This link has expired',
            'The start link has expired. Get a fresh start_url from GET /v2/meetings/{meetingId}.',
            124,
          ],
          revoked: [
            401,
            'This link is no longer valid',
            "The host's start links were revoked after this one was issued.",
            124,
          ],
          wrong_user: [
            403,
            'You are not the host of this meeting',
            'This start link was issued for another user. Sign in as the meeting host to start it.',
            3003,
          ],
          malformed: [400, 'This meeting link is invalid', 'The start link carries an invalid ZAK.', 124],
        } as const;
        const [status, title, message, code] = pages[check.reason];
        request.log.debug({ meetingId: meeting.id, reason: check.detail }, 'start link refused');
        return html(reply, status, errorPage(title, message, code));
      }
      const hostName = [host.firstName, host.lastName].filter(Boolean).join(' ');
      const joined = await join(ctx, meeting.id, {
        name: hostName || host.email,
        email: host.email,
        userId: host.id,
      });
      if (!joined.ok) return notFound(reply, raw);
      return html(
        reply,
        200,
        startedPage({
          id: meeting.id,
          topic: meeting.topic,
          hostName,
          hostEmail: host.email,
        }),
      );
    });

    const passcodeOk = (meeting: Meeting, pwd: string, passcode: string) => {
      if (!meeting.password) return true;
      if (pwd && constantTimeEqual(pwd, encryptedPassword(ctx.keys.pageToken, meeting))) return true;
      return passcode !== '' && constantTimeEqual(passcode, meeting.password);
    };

    app.get<{ Params: Params; Querystring: { pwd?: unknown; tk?: unknown } }>(
      '/j/:meetingId',
      async (request, reply) => {
        const raw = request.params.meetingId;
        const meeting = await meetingOf(raw);
        if (!meeting) return notFound(reply, raw);
        const tk = str(request.query.tk, 256);
        const admission = await admit(meeting, tk);
        if (!admission.ok) return html(reply, 403, errorPage(admission.title, admission.message));
        const registrant = admission.registrant;
        const pwd = str(request.query.pwd, 256);
        const ok = pwd !== '' && passcodeOk(meeting, pwd, '');
        return html(
          reply,
          200,
          joinPage({
            id: meeting.id,
            topic: meeting.topic,
            ...(ok ? { pwd } : {}),
            ...(pwd && !ok
              ? { error: 'The passcode in this link is wrong. Enter the meeting passcode.' }
              : {}),
            ...(registrant ? { tk, name: registrantName(registrant), email: registrant.email } : {}),
          }),
        );
      },
    );

    app.post<{ Params: Params }>('/j/:meetingId', async (request, reply) => {
      const raw = request.params.meetingId;
      const meeting = await meetingOf(raw);
      if (!meeting) return notFound(reply, raw);
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
        string,
        unknown
      >;
      const tk = str(body.tk, 256);
      const admission = await admit(meeting, tk);
      if (!admission.ok) return html(reply, 403, errorPage(admission.title, admission.message));
      const registrant = admission.registrant;
      const registered = registrant ? { tk, email: registrant.email } : {};
      const pwd = str(body.pwd, 256);
      const passcode = str(body.passcode, 64);
      const name = str(body.name, 64).trim();
      // A registrant joins under the address they registered with.
      const email = registrant ? registrant.email : str(body.email, 128).trim();
      const linkOk = pwd !== '' && passcodeOk(meeting, pwd, '');
      if (!passcodeOk(meeting, pwd, passcode)) {
        return html(
          reply,
          401,
          joinPage({
            id: meeting.id,
            topic: meeting.topic,
            name,
            ...registered,
            error: 'Incorrect meeting passcode.',
          }),
        );
      }
      // The form again, with what the person typed and the link's passcode kept.
      const askAgain = (error: string) =>
        html(
          reply,
          400,
          joinPage({
            id: meeting.id,
            topic: meeting.topic,
            ...(name ? { name } : {}),
            ...(linkOk ? { pwd } : {}),
            ...registered,
            error,
          }),
        );
      if (!name) return askAgain('Enter your name to join.');
      if (email !== '' && !EMAIL.test(email))
        return askAgain('Enter a valid email address, or leave it empty.');
      const joined = await join(ctx, meeting.id, { name, email, userId: null });
      if (!joined.ok && joined.reason === 'gone') return notFound(reply, raw);
      return html(
        reply,
        200,
        joinedPage({
          id: meeting.id,
          topic: meeting.topic,
          name,
          started: joined.ok,
          ...(joined.ok ? { participantId: joined.participant.participantId } : {}),
        }),
      );
    });
  };
}
