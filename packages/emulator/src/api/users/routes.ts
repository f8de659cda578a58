import type { Ctx } from '../../context.js';
import { noContent, type RouteSink } from '../../http/dispatch.js';
import { traceOf } from '../../http/trace.js';
import {
  createUser,
  type GetUserQuery,
  getMyZak,
  getUser,
  getUserToken,
  type ListUsersQuery,
  listUsers,
  type UserTokenQuery,
} from './handlers.js';
import { USER_SCOPES } from './scopes.js';
import { getUserSettings, type SettingsQuery, updateUserSettings } from './settings-handlers.js';
import {
  checkUserEmail,
  type DeleteUserQuery,
  deleteUser,
  revokeUserToken,
  type UpdateUserQuery,
  updateUser,
  updateUserEmail,
  updateUserPassword,
  updateUserStatus,
} from './writes.js';

type UserParams = { userId: string };

export function usersRoutes(ctx: Ctx) {
  return async (app: RouteSink) => {
    app.get<{ Querystring: ListUsersQuery }>(
      '/users',
      { config: { scopes: USER_SCOPES.listUsers, rateLimitLabel: 'Medium' } },
      async (request) => listUsers(ctx, request.caller!, request.query),
    );
    app.post(
      '/users',
      { config: { scopes: USER_SCOPES.createUser, rateLimitLabel: 'Light' } },
      async (request, reply) => {
        const created = await createUser(ctx, request.caller!, request.body);
        return reply.code(201).send(created);
      },
    );
    app.get<{ Params: UserParams; Querystring: GetUserQuery }>(
      '/users/:userId',
      { config: { scopes: USER_SCOPES.getUser, rateLimitLabel: 'Light' } },
      async (request) => getUser(ctx, request.caller!, request.params.userId, request.query),
    );
    // A static path: wins over /users/:userId.
    app.get<{ Querystring: { email?: string } }>(
      '/users/email',
      { config: { scopes: USER_SCOPES.checkEmail, rateLimitLabel: 'Light' } },
      async (request) => checkUserEmail(ctx, request.caller!, request.query),
    );
    app.patch<{ Params: UserParams; Querystring: UpdateUserQuery }>(
      '/users/:userId',
      { config: { scopes: USER_SCOPES.updateUser, rateLimitLabel: 'Light' } },
      noContent((request) =>
        updateUser(ctx, request.caller!, request.params.userId, request.query, request.body),
      ),
    );
    app.delete<{ Params: UserParams; Querystring: DeleteUserQuery }>(
      '/users/:userId',
      { config: { scopes: USER_SCOPES.deleteUser, rateLimitLabel: 'Light' } },
      noContent((request) => deleteUser(ctx, request.caller!, request.params.userId, request.query)),
    );
    app.delete<{ Params: UserParams }>(
      '/users/:userId/token',
      { config: { scopes: USER_SCOPES.revokeUserToken, rateLimitLabel: 'Light' } },
      noContent((request) => revokeUserToken(ctx, request.caller!, request.params.userId)),
    );
    // 204 as the 2021 and 2023 specs document it ("Status updated"); the 2025 copy says 200.
    app.put<{ Params: UserParams }>(
      '/users/:userId/status',
      { config: { scopes: USER_SCOPES.updateStatus, rateLimitLabel: 'Light' } },
      noContent((request) => updateUserStatus(ctx, request.caller!, request.params.userId, request.body)),
    );
    app.put<{ Params: UserParams }>(
      '/users/:userId/password',
      { config: { scopes: USER_SCOPES.updatePassword, rateLimitLabel: 'Medium' } },
      noContent((request) => updateUserPassword(ctx, request.caller!, request.params.userId, request.body)),
    );
    app.put<{ Params: UserParams }>(
      '/users/:userId/email',
      { config: { scopes: USER_SCOPES.updateEmail, rateLimitLabel: 'Light' } },
      noContent((request) => updateUserEmail(ctx, request.caller!, request.params.userId, request.body)),
    );
    app.get<{ Params: UserParams; Querystring: SettingsQuery }>(
      '/users/:userId/settings',
      { config: { scopes: USER_SCOPES.getSettings, rateLimitLabel: 'Medium' } },
      async (request) => getUserSettings(ctx, request.caller!, request.params.userId, request.query),
    );
    app.patch<{ Params: UserParams; Querystring: SettingsQuery }>(
      '/users/:userId/settings',
      { config: { scopes: USER_SCOPES.updateSettings, rateLimitLabel: 'Medium' } },
      noContent((request) =>
        updateUserSettings(ctx, request.caller!, request.params.userId, request.query, request.body),
      ),
    );
    app.get<{ Params: UserParams; Querystring: UserTokenQuery }>(
      '/users/:userId/token',
      { config: { scopes: USER_SCOPES.getUserToken, rateLimitLabel: 'Light' } },
      async (request) =>
        getUserToken(ctx, request.caller!, request.params.userId, request.query, (text) => {
          traceOf(request).note = text;
        }),
    );
    app.get(
      '/users/me/zak',
      { config: { scopes: USER_SCOPES.getMyZak, rateLimitLabel: 'Light' } },
      async (request) => getMyZak(ctx, request.caller!),
    );
  };
}
