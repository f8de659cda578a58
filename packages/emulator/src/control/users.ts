/**
 * PATCH /_zemu/users/{userId}: what Zoom keeps about a user that its API cannot set for a test, namely
 * the host key (PATCH /v2/users can set it too) and the add-on licenses the `license` filter of GET
 * /v2/users looks at.
 */

import { hostKeyOf, licensesOf } from '../api/users/present.js';
import type { Ctx } from '../context.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import type { RouteSink } from '../http/dispatch.js';
import { requireObject } from '../http/input.js';

const HOST_KEY = /^\d{6,10}$/;
const LICENSE = /^[a-z0-9_]{1,64}$/;

export function usersControlRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.patch<{ Params: { userId: string }; Body: unknown }>('/users/:userId', async (request) => {
      const b = requireObject(request.body);
      const errors: FieldError[] = [];
      if (b.host_key !== undefined && (typeof b.host_key !== 'string' || !HOST_KEY.test(b.host_key)))
        errors.push({ field: 'host_key', message: 'Must be a string of 6 to 10 digits.' });
      if (
        b.licenses !== undefined &&
        (!Array.isArray(b.licenses) ||
          b.licenses.length > 20 ||
          !b.licenses.every((l) => typeof l === 'string' && LICENSE.test(l)))
      )
        errors.push({
          field: 'licenses',
          message: 'Must be a list of at most 20 license names (lower-case letters, digits, _).',
        });
      if (errors.length > 0) throw zoomErrors.validation(errors);
      const id = request.params.userId.slice(0, 256);
      const updated = await ctx.store.transaction(async (trx) => {
        const found = await trx.users.findByIdOrEmail(id);
        const user = found && (await trx.users.lockById(found.id));
        if (!user) throw zoomErrors.userNotFound(id);
        const profile = { ...user.profile };
        if (typeof b.host_key === 'string') profile.host_key = b.host_key;
        if (Array.isArray(b.licenses)) profile.licenses = [...new Set(b.licenses as string[])];
        await trx.users.update(user.id, { profile });
        return { ...user, profile };
      });
      return {
        id: updated.id,
        host_key: hostKeyOf(updated, (u) => ctx.keys.defaultHostKey(u)),
        licenses: licensesOf(updated),
      };
    });
  };
}
