import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { DialectName } from '../dialect.js';
import type { CreationAction, User, UserStatus } from '../models.js';
import { type PreparedQuery, prepareFirst } from '../prepared.js';
import type { Database, UserTable } from '../schema.js';

export function toUser(row: Selectable<UserTable>): User {
  return {
    seq: row.seq,
    id: row.id,
    accountId: row.account_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    type: row.type,
    status: row.status as UserStatus,
    roleId: row.role_id,
    loginType: row.login_type,
    creationAction: row.creation_action as CreationAction,
    pmi: row.pmi,
    timezone: row.timezone,
    language: row.language,
    dept: row.dept,
    jobTitle: row.job_title,
    company: row.company,
    location: row.location,
    verified: row.verified,
    passwordHash: row.password_hash,
    zakVersion: row.zak_version,
    createdAt: row.created_at,
    lastLoginTime: row.last_login_time,
    profile: JSON.parse(row.profile) as Record<string, unknown>,
  };
}

export type NewUser = Omit<User, 'seq'>;

/** The writable fields of a user, as PATCH /users, PUT email/status and DELETE change them. */
export type UserPatch = Partial<
  Pick<
    User,
    | 'firstName'
    | 'lastName'
    | 'displayName'
    | 'type'
    | 'pmi'
    | 'timezone'
    | 'language'
    | 'dept'
    | 'jobTitle'
    | 'company'
    | 'location'
    | 'email'
    | 'accountId'
    | 'roleId'
    | 'status'
    | 'profile'
  >
>;

export interface UserListFilter {
  accountId: string;
  status: UserStatus;
  roleId?: string | undefined;
}

export class UsersRepo {
  private readonly byId: PreparedQuery<Selectable<UserTable>>;
  private readonly byEmail: PreparedQuery<Selectable<UserTable>>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName = 'sqlite',
  ) {
    this.byId = prepareFirst(db, (id) => db.selectFrom('users').selectAll().where('id', '=', id!), 1);
    this.byEmail = prepareFirst(
      db,
      (email) => db.selectFrom('users').selectAll().where('email', '=', email!),
      1,
    );
  }

  async insert(user: NewUser): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        account_id: user.accountId,
        email: user.email.toLowerCase(),
        first_name: user.firstName,
        last_name: user.lastName,
        display_name: user.displayName,
        type: user.type,
        status: user.status,
        role_id: user.roleId,
        login_type: user.loginType,
        creation_action: user.creationAction,
        pmi: user.pmi,
        timezone: user.timezone,
        language: user.language,
        dept: user.dept,
        job_title: user.jobTitle,
        company: user.company,
        location: user.location,
        verified: user.verified,
        password_hash: user.passwordHash,
        zak_version: user.zakVersion,
        created_at: user.createdAt,
        last_login_time: user.lastLoginTime,
        profile: JSON.stringify(user.profile),
      })
      .execute();
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.byId(id);
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.byEmail(email.toLowerCase());
    return row && toUser(row);
  }

  /** A user id or an email address, as Zoom's `{userId}` path parameter accepts both. */
  async findByIdOrEmail(idOrEmail: string): Promise<User | undefined> {
    return idOrEmail.includes('@') ? this.findByEmail(idOrEmail) : this.findById(idOrEmail);
  }

  async bumpZakVersion(id: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set((eb) => ({ zak_version: eb('zak_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /**
   * Inside a transaction: the user as it is now, its row locked until the transaction ends (PostgreSQL
   * `FOR UPDATE`; SQLite has one writer at a time), so a read-check-write on it cannot interleave with
   * another. Undefined when the user is gone.
   */
  async lockById(id: string): Promise<User | undefined> {
    let query = this.db.selectFrom('users').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row && toUser(row);
  }

  async setStatus(id: string, status: UserStatus): Promise<void> {
    await this.db.updateTable('users').set({ status }).where('id', '=', id).execute();
  }

  /** Writes the given fields of the user (profile replaced whole when given). */
  async update(id: string, patch: UserPatch): Promise<void> {
    const values: Updateable<UserTable> = {};
    if (patch.firstName !== undefined) values.first_name = patch.firstName;
    if (patch.lastName !== undefined) values.last_name = patch.lastName;
    if (patch.displayName !== undefined) values.display_name = patch.displayName;
    if (patch.type !== undefined) values.type = patch.type;
    if (patch.pmi !== undefined) values.pmi = patch.pmi;
    if (patch.timezone !== undefined) values.timezone = patch.timezone;
    if (patch.language !== undefined) values.language = patch.language;
    if (patch.dept !== undefined) values.dept = patch.dept;
    if (patch.jobTitle !== undefined) values.job_title = patch.jobTitle;
    if (patch.company !== undefined) values.company = patch.company;
    if (patch.location !== undefined) values.location = patch.location;
    if (patch.email !== undefined) values.email = patch.email.toLowerCase();
    if (patch.accountId !== undefined) values.account_id = patch.accountId;
    if (patch.roleId !== undefined) values.role_id = patch.roleId;
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.profile !== undefined) values.profile = JSON.stringify(patch.profile);
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('users').set(values).where('id', '=', id).execute();
  }

  async findByPmi(pmi: number): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('pmi', '=', pmi).executeTakeFirst();
    return row && toUser(row);
  }

  /** The user whose profile holds this vanity name (case-insensitive), if any. */
  async findByVanityName(name: string): Promise<User | undefined> {
    // Vanity names are letters, digits and dots (checked by the caller), so LIKE needs no escaping.
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where(sql<string>`lower(profile)`, 'like', `%"vanity_name":"${name.toLowerCase()}"%`)
      .execute();
    return rows.map(toUser).find((u) => String(u.profile.vanity_name).toLowerCase() === name.toLowerCase());
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  /** Revokes every live token (access and refresh) issued to the user; returns how many. */
  async revokeTokensOf(id: string, at: number, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async setPasswordHash(id: string, hash: string | null): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
  }

  /** One page in creation order after `afterSeq` (keyset), or at `offset` (deprecated page_number). */
  async listPage(
    filter: UserListFilter,
    page: { afterSeq?: number; offset?: number; limit: number },
  ): Promise<User[]> {
    let query = this.db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', filter.accountId)
      .where('status', '=', filter.status);
    if (filter.roleId !== undefined) query = query.where('role_id', '=', filter.roleId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    query = query.orderBy('seq').limit(page.limit);
    if (page.offset) query = query.offset(page.offset);
    return (await query.execute()).map(toUser);
  }

  /** An account's users of every status in creation order after `afterSeq` (keyset): the console's pages. */
  async listByAccount(accountId: string, page: { afterSeq?: number; limit: number }): Promise<User[]> {
    let query = this.db.selectFrom('users').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    return (await query.orderBy('seq').limit(page.limit).execute()).map(toUser);
  }

  /** The filtered list's length, read from `user_counts` (kept by triggers): constant however many users. */
  async count(filter: UserListFilter): Promise<number> {
    let query = this.db
      .selectFrom('user_counts')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('account_id', '=', filter.accountId)
      .where('status', '=', filter.status);
    if (filter.roleId !== undefined) query = query.where('role_id', '=', filter.roleId);
    return Number((await query.executeTakeFirst())?.n ?? 0);
  }

  async countByAccount(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
