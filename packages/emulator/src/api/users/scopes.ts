/** Accepted scopes of each Users operation, from the 2025 Users spec (contract §3). */
import type { ScopeRule } from '../../guard/scopes.js';

export const USER_SCOPES = {
  listUsers: {
    classic: ['user:read:admin', 'user:write:admin'],
    granular: ['user:read:list_users:admin'],
  },
  createUser: {
    classic: ['user:write', 'user:write:admin'],
    granular: ['user:write:user:admin'],
  },
  getUser: {
    classic: [
      'user:read',
      'user:write',
      'user:read:admin',
      'user:write:admin',
      'user_profile',
      'user_info:read',
    ],
    granular: ['user:read:user', 'user:read:user:admin'],
    meOnly: ['user_info:read'],
  },
  getUserToken: {
    classic: ['user:read', 'user:write', 'user:read:admin', 'user:write:admin', 'user_profile'],
    granular: ['user:read:token', 'user:read:token:admin'],
  },
  getMyZak: {
    classic: ['user_zak:read'],
    granular: ['user:read:zak', 'user:read:zak:admin'],
  },
} as const satisfies Record<string, ScopeRule>;
