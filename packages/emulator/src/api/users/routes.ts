import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../context.js';
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

type UserParams = { userId: string };

export function usersRoutes(ctx: Ctx) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: ListUsersQuery }>(
      '/users',
      { config: { scopes: USER_SCOPES.listUsers, rateLimitLabel: 'Medium' } },
      async (request) => listUsers(ctx, request.principal!, request.query),
    );
    app.post(
      '/users',
      { config: { scopes: USER_SCOPES.createUser, rateLimitLabel: 'Light' } },
      async (request, reply) => {
        const created = await createUser(ctx, request.principal!, request.body);
        return reply.code(201).send(created);
      },
    );
    app.get<{ Params: UserParams; Querystring: GetUserQuery }>(
      '/users/:userId',
      { config: { scopes: USER_SCOPES.getUser, rateLimitLabel: 'Light' } },
      async (request) => getUser(ctx, request.principal!, request.params.userId, request.query),
    );
    app.get<{ Params: UserParams; Querystring: UserTokenQuery }>(
      '/users/:userId/token',
      { config: { scopes: USER_SCOPES.getUserToken, rateLimitLabel: 'Light' } },
      async (request) => getUserToken(ctx, request.principal!, request.params.userId, request.query),
    );
    app.get(
      '/users/me/zak',
      { config: { scopes: USER_SCOPES.getMyZak, rateLimitLabel: 'Light' } },
      async (request) => getMyZak(ctx, request.principal!),
    );
  };
}
