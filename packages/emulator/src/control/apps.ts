/**
 * Control API for app rules (issue 3): read, enable/disable, re-scope and delete apps; user
 * privileges and the shared access a user grants an app.
 */

import type { Ctx } from '../context.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { noContent, type RouteSink } from '../http/dispatch.js';
import { isObject, requireObjectField } from '../http/input.js';
import { validateRuleSettings } from '../oauth/app-settings.js';
import { jwtApiSecret } from '../oauth/jwt-app.js';
import type { App } from '../store/models.js';
import { findApp } from './find.js';
import { presentApp } from './present.js';

/** Privileges one user can give another (Zoom's "scheduling privilege"; assistants). */
export const PRIVILEGES = ['scheduling', 'assistant'] as const;

const stringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 2048);

function present(ctx: Ctx, app: App) {
  return {
    ...presentApp(app),
    settings: app.settings,
    // The legacy JWT app's API key and secret: the secret is derived from the installation key.
    ...(app.type === 'jwt' ? { api_key: app.clientId, api_secret: jwtApiSecret(ctx, app.clientId) } : {}),
  };
}

export function appsControlRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    const findUser = async (userId: string) => {
      const found = userId.length <= 256 ? await ctx.store.users.findByIdOrEmail(userId) : undefined;
      if (!found) throw zoomErrors.controlNotFound('User', userId.slice(0, 256));
      return found;
    };

    app.get<{ Params: { clientId: string } }>('/apps/:clientId', async (request) =>
      present(ctx, await findApp(ctx, request.params.clientId)),
    );

    app.patch<{ Params: { clientId: string }; Body: unknown }>('/apps/:clientId', async (request) => {
      const existing = await findApp(ctx, request.params.clientId);
      const body = requireObjectField(request.body ?? {});
      const errors: FieldError[] = [];
      const known = ['enabled', 'scopes', 'redirect_uris', 'settings'];
      for (const key of Object.keys(body)) {
        if (!known.includes(key))
          errors.push({ field: key, message: `Unknown field; use ${known.join(', ')}.` });
      }
      if (body.enabled !== undefined && typeof body.enabled !== 'boolean')
        errors.push({ field: 'enabled', message: 'Must be a boolean.' });
      if (body.scopes !== undefined && !stringArray(body.scopes))
        errors.push({ field: 'scopes', message: 'Must be an array of scope names.' });
      if (body.redirect_uris !== undefined) {
        if (!stringArray(body.redirect_uris)) {
          errors.push({ field: 'redirect_uris', message: 'Must be an array of absolute URLs.' });
        } else {
          for (const uri of body.redirect_uris) {
            if (!URL.canParse(uri) || uri.includes('#'))
              errors.push({
                field: 'redirect_uris',
                message: `Not an absolute URL without fragment: ${uri}`,
              });
          }
        }
      }
      if (body.settings !== undefined && !isObject(body.settings))
        errors.push({ field: 'settings', message: 'Must be an object.' });
      if (isObject(body.settings)) errors.push(...validateRuleSettings(body.settings));
      if (errors.length > 0) throw zoomErrors.validation(errors);
      await ctx.store.apps.update(existing.clientId, {
        enabled: body.enabled as boolean | undefined,
        scopes: body.scopes as string[] | undefined,
        redirectUris: body.redirect_uris as string[] | undefined,
        // Settings merge: a key set to null is removed.
        settings: isObject(body.settings)
          ? Object.fromEntries(
              Object.entries({ ...existing.settings, ...body.settings }).filter(([, v]) => v !== null),
            )
          : undefined,
      });
      return present(ctx, await findApp(ctx, existing.clientId));
    });

    app.delete<{ Params: { clientId: string } }>(
      '/apps/:clientId',
      noContent(async (request) => {
        const existing = await findApp(ctx, request.params.clientId);
        await ctx.store.transaction((store) => store.apps.delete(existing.clientId, ctx.clock.now()));
      }),
    );

    // `grantor` lets `grantee_user_id` act for them (Zoom: "assign scheduling privilege").
    app.post<{ Params: { userId: string }; Body: unknown }>(
      '/users/:userId/privileges',
      async (request, reply) => {
        const grantor = await findUser(request.params.userId);
        const body = requireObjectField(request.body ?? {});
        const errors: FieldError[] = [];
        if (typeof body.grantee_user_id !== 'string' || body.grantee_user_id.length === 0)
          errors.push({ field: 'grantee_user_id', message: 'Must be a user id or email.' });
        const privilege = body.privilege ?? 'scheduling';
        if (!PRIVILEGES.includes(privilege as never))
          errors.push({ field: 'privilege', message: `Must be one of ${PRIVILEGES.join(', ')}.` });
        if (errors.length > 0) throw zoomErrors.validation(errors);
        const grantee = await findUser(body.grantee_user_id as string);
        if (grantee.accountId !== grantor.accountId || grantee.id === grantor.id)
          throw zoomErrors.validation([
            { field: 'grantee_user_id', message: 'Must be another user of the same account.' },
          ]);
        await ctx.store.privileges.grant(grantor.id, grantee.id, privilege as string, ctx.clock.now());
        reply.code(201);
        return { grantor_user_id: grantor.id, grantee_user_id: grantee.id, privilege };
      },
    );

    // The user authorizes the app to use, on their behalf, the privileges other users gave them.
    app.post<{ Params: { userId: string }; Body: unknown }>(
      '/users/:userId/shared-access',
      async (request, reply) => {
        const user = await findUser(request.params.userId);
        const body = request.body ?? {};
        if (!isObject(body) || typeof body.client_id !== 'string')
          throw zoomErrors.validation([{ field: 'client_id', message: 'Must be an app client_id.' }]);
        const target = await findApp(ctx, body.client_id);
        if (target.type !== 'oauth_user')
          throw zoomErrors.validation([
            { field: 'client_id', message: 'Shared access applies to user-managed OAuth apps only.' },
          ]);
        await ctx.store.privileges.grantSharedAccess(user.id, target.clientId, ctx.clock.now());
        reply.code(201);
        return { user_id: user.id, client_id: target.clientId, shared_access: true };
      },
    );

    app.delete<{ Params: { userId: string; clientId: string } }>(
      '/users/:userId/shared-access/:clientId',
      noContent(async (request) => {
        const user = await findUser(request.params.userId);
        const removed = await ctx.store.privileges.revokeSharedAccess(user.id, request.params.clientId);
        if (removed === 0)
          throw zoomErrors.controlNotFound('Shared access', request.params.clientId.slice(0, 128));
      }),
    );
  };
}
