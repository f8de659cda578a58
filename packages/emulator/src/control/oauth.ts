/** POST /_zemu/oauth/approve: the consent page's decision without a browser, with every check it makes. */

import { acceptInvitation } from '../api/users/writes.js';
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import { invitationExpired } from '../guard/target.js';
import type { RouteSink } from '../http/dispatch.js';
import { requireObjectField } from '../http/input.js';
import { type AuthorizationRequest, decide, validateAuthorization } from '../oauth/approval.js';

interface ApproveBody extends AuthorizationRequest {
  /** A user id or email address of the emulated world. */
  user?: string;
  /** true to answer as the Deny button does. */
  deny?: boolean;
}

export function oauthControlRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    // An invited (pending) user accepts the invitation, as the invitation e-mail's link would do.
    app.post<{ Params: { userId: string } }>('/users/:userId/accept-invitation', async (request) => {
      const user = await ctx.store.users.findByIdOrEmail(request.params.userId.slice(0, 256));
      if (!user) throw zoomErrors.userNotFound(request.params.userId.slice(0, 256));
      if (user.status !== 'pending')
        throw zoomErrors.validation([
          { field: 'userId', message: `The user is ${user.status}, not pending.` },
        ]);
      if (invitationExpired(user, ctx.clock.now())) throw zoomErrors.invitationExpired();
      await acceptInvitation(ctx, user);
      return { id: user.id, status: 'active' };
    });
    app.post<{ Body: ApproveBody | undefined }>('/oauth/approve', async (request) => {
      const body = requireObjectField(request.body) as ApproveBody;
      const fields = [
        'client_id',
        'user',
        'redirect_uri',
        'scope',
        'state',
        'code_challenge',
        'code_challenge_method',
        'response_type',
      ] as const;
      const bad = fields.filter((f) => body[f] !== undefined && typeof body[f] !== 'string');
      if (bad.length > 0)
        throw zoomErrors.validation(bad.map((field) => ({ field, message: 'Must be a string.' })));
      if (body.deny !== undefined && typeof body.deny !== 'boolean') {
        throw zoomErrors.validation([{ field: 'deny', message: 'Must be a boolean.' }]);
      }
      const validated = await validateAuthorization(ctx, body);
      const user = body.user ? await ctx.store.users.findByIdOrEmail(body.user.slice(0, 256)) : undefined;
      if (!user) throw zoomErrors.userNotFound(body.user ?? '');
      return { redirect_to: await decide(ctx, validated, user, body.deny !== true) };
    });
  };
}
