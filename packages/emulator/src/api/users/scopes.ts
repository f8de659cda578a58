/** Accepted scopes of each Users operation, from the 2025 Users spec (contract §3). */
import { adminScopes, type ScopeRule } from '../../guard/scopes.js';

export const USER_SCOPES = {
  listUsers: {
    classic: ['user:read', 'user:write', 'user:read:admin', 'user:write:admin'],
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
    viaPrivilege: true,
  },
  getUserToken: {
    classic: ['user:read', 'user:write', 'user:read:admin', 'user:write:admin', 'user_profile'],
    granular: ['user:read:token', 'user:read:token:admin'],
  },
  getMyZak: {
    classic: ['user_zak:read'],
    granular: ['user:read:zak', 'user:read:zak:admin'],
  },
  updateUser: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:update:user', 'user:update:user:admin'],
  },
  deleteUser: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:delete:user', 'user:delete:user:admin'],
  },
  revokeUserToken: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:delete:token', 'user:delete:token:admin'],
  },
  updateStatus: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:update:status', 'user:update:status:admin'],
  },
  updatePassword: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:update:password', 'user:update:password:admin'],
  },
  updateEmail: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:update:email', 'user:update:email:admin'],
  },
  checkEmail: {
    classic: ['user:read', 'user:write', 'user:read:admin', 'user:write:admin'],
    granular: ['user:read:email', 'user:read:email:admin'],
  },
  getSettings: {
    classic: ['user:read', 'user:write', 'user:read:admin', 'user:write:admin'],
    granular: ['user:read:settings', 'user:read:settings:admin'],
  },
  updateSettings: {
    classic: ['user:write:admin', 'user:write'],
    granular: ['user:update:settings', 'user:update:settings:admin'],
  },
} as const satisfies Record<string, ScopeRule>;

/** The `:admin` granular Users scopes: what the demo Server-to-Server app holds. */
export const ALL_USER_SCOPES_GRANULAR = adminScopes(USER_SCOPES);
