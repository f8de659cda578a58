/** The emulated world's records, as handlers see them. */

export type Plan = 'free' | 'pro' | 'business';
export const PLANS: readonly Plan[] = ['free', 'pro', 'business'];

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  ownerUserId: string | null;
  accountNumber: number;
  createdAt: number;
  settings: Record<string, unknown>;
}

export type UserStatus = 'active' | 'inactive' | 'pending';
export type CreationAction = 'create' | 'autoCreate' | 'custCreate' | 'ssoCreate';
export const CREATION_ACTIONS: readonly CreationAction[] = [
  'create',
  'autoCreate',
  'custCreate',
  'ssoCreate',
];

export interface User {
  seq: number;
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  /** 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None. */
  type: number;
  status: UserStatus;
  /** "0" owner, "1" admin, "2" member. */
  roleId: string;
  loginType: number;
  creationAction: CreationAction;
  pmi: number;
  timezone: string;
  language: string;
  dept: string;
  jobTitle: string;
  company: string;
  location: string;
  verified: number;
  passwordHash: string | null;
  zakVersion: number;
  createdAt: number;
  lastLoginTime: number | null;
  profile: Record<string, unknown>;
}

export type AppType = 'server_to_server' | 'oauth_user' | 'oauth_account' | 'chatbot' | 'jwt';
export const APP_TYPES: readonly AppType[] = [
  'server_to_server',
  'oauth_user',
  'oauth_account',
  'chatbot',
  'jwt',
];

export interface App {
  clientId: string;
  accountId: string;
  ownerUserId: string;
  name: string;
  type: AppType;
  clientSecretHash: string;
  scopes: string[];
  redirectUris: string[];
  enabled: boolean;
  settings: Record<string, unknown>;
  createdAt: number;
}

export type TokenKind = 'access' | 'refresh';

export interface TokenRecord {
  id: string;
  kind: TokenKind;
  grantId: string;
  accountId: string;
  clientId: string;
  userId: string | null;
  grantType: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
}
