/** /v2/users: typed from Zoom's official Users OpenAPI spec (see users.types.ts). */
import type { PageIterator } from '../pagination.js';
import type { CallOptions } from '../request.js';
import { userPath as path, splitCallOptions, ZoomResource } from './resource.js';
import type {
  CheckEmailResponse,
  CreatedUser,
  CreateUserBody,
  DeleteUserQuery,
  GetUserQuery,
  GetUserSettingsQuery,
  ListUsersQuery,
  UpdateUserBody,
  UpdateUserEmailBody,
  UpdateUserPasswordBody,
  UpdateUserQuery,
  UpdateUserSettingsBody,
  UpdateUserSettingsQuery,
  User,
  UserList,
  UserSettings,
  UserZak,
} from './users.types.js';

export type * from './users.types.js';

/** One user as listed by GET /users. */
export type UserListItem = NonNullable<UserList['users']>[number];

/** Enums the upstream spec copy lost (restored from the 2023 Meeting API spec and Zoom's docs). */
export type UserTokenType = 'token' | 'zak' | 'onbehalf';
export interface GetUserTokenOptions extends CallOptions {
  /** `zak` for a Zoom Access Key; `token` (default, deprecated) for a user token. */
  type?: UserTokenType;
  /** Seconds a ZAK stays valid (only with type `zak`); Zoom's default 7200, max one year. */
  ttl?: number;
}
export type UserStatusAction = 'activate' | 'deactivate' | 'clock_in' | 'clock_out';
export type ListUsersOptions = Omit<ListUsersQuery, 'next_page_token' | 'status'> & {
  status?: 'active' | 'inactive' | 'pending';
};

export class UsersResource extends ZoomResource {
  /** GET /users/{userId}: `me`, an id or an email. */
  get(userId = 'me', query?: GetUserQuery, options?: CallOptions): Promise<User> {
    return this.call('GET', path(userId), { ...options, query });
  }

  /** GET /users: one page. */
  listPage(query?: ListUsersQuery, options?: CallOptions): Promise<UserList> {
    return this.call('GET', '/users', { ...options, query });
  }

  /**
   * GET /users over every page: `for await (const user of zoom.users.list())`, or
   * `.pages()` for whole pages. Follows `next_page_token`.
   */
  list(query: ListUsersOptions = {}, options?: CallOptions): PageIterator<UserListItem, UserList> {
    return this.paginate(
      query,
      (q) => this.listPage(q, options),
      (page) => page.users,
    );
  }

  /** POST /users (201). */
  create(body: CreateUserBody, options?: CallOptions): Promise<CreatedUser> {
    return this.call('POST', '/users', { ...options, body });
  }

  /** PATCH /users/{userId} (204). */
  async update(
    userId: string,
    body: UpdateUserBody,
    query?: UpdateUserQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.call('PATCH', path(userId), { ...options, body, query });
  }

  /** DELETE /users/{userId} (204); `action` defaults to `disassociate` on Zoom's side. */
  async delete(
    userId: string,
    query?: DeleteUserQuery & { action?: 'disassociate' | 'delete' },
    options?: CallOptions,
  ): Promise<void> {
    await this.call('DELETE', path(userId), { ...options, query });
  }

  /**
   * GET /users/{userId}/token, e.g. `getToken('me', { type: 'zak', ttl: 3600 })`. A ZAK is always a
   * string; the deprecated `type=token` is `null` for users who sign in with Google or Facebook.
   */
  getToken(userId: string, options: GetUserTokenOptions & { type: 'zak' }): Promise<{ token: string }>;
  getToken(options: GetUserTokenOptions & { type: 'zak' }): Promise<{ token: string }>;
  getToken(userId?: string, options?: GetUserTokenOptions): Promise<{ token: string | null }>;
  getToken(options?: GetUserTokenOptions): Promise<{ token: string | null }>;
  getToken(
    userIdOrOptions?: string | GetUserTokenOptions,
    maybeOptions?: GetUserTokenOptions,
  ): Promise<{ token: string | null }> {
    const userId = typeof userIdOrOptions === 'string' ? userIdOrOptions : 'me';
    const options = typeof userIdOrOptions === 'string' ? maybeOptions : userIdOrOptions;
    const { call, rest } = splitCallOptions(options);
    return this.call('GET', `${path(userId)}/token`, { ...call, query: rest });
  }

  /** DELETE /users/{userId}/token (204): revokes the user's SSO token and ZAKs. */
  async revokeToken(userId: string, options?: CallOptions): Promise<void> {
    await this.call('DELETE', `${path(userId)}/token`, options);
  }

  /** GET /users/me/zak: a ZAK for the token's own user (short-lived). */
  getZak(options?: CallOptions): Promise<UserZak & { token: string }> {
    return this.call('GET', '/users/me/zak', options);
  }

  /** PUT /users/{userId}/status. */
  async updateStatus(userId: string, action: UserStatusAction, options?: CallOptions): Promise<void> {
    await this.call('PUT', `${path(userId)}/status`, { ...options, body: { action } });
  }

  /** PUT /users/{userId}/password (204). */
  async updatePassword(userId: string, body: UpdateUserPasswordBody, options?: CallOptions): Promise<void> {
    await this.call('PUT', `${path(userId)}/password`, { ...options, body });
  }

  /** PUT /users/{userId}/email (204). */
  async updateEmail(userId: string, body: UpdateUserEmailBody, options?: CallOptions): Promise<void> {
    await this.call('PUT', `${path(userId)}/email`, { ...options, body });
  }

  /** GET /users/email?email=: `{ existed_email }` for emails in your account. */
  checkEmail(email: string, options?: CallOptions): Promise<CheckEmailResponse> {
    return this.call('GET', '/users/email', { ...options, query: { email } });
  }

  /** GET /users/{userId}/settings. */
  getSettings(userId = 'me', query?: GetUserSettingsQuery, options?: CallOptions): Promise<UserSettings> {
    return this.call('GET', `${path(userId)}/settings`, { ...options, query });
  }

  /** PATCH /users/{userId}/settings (204). */
  async updateSettings(
    userId: string,
    body: UpdateUserSettingsBody,
    query?: UpdateUserSettingsQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.call('PATCH', `${path(userId)}/settings`, { ...options, body, query });
  }
}
