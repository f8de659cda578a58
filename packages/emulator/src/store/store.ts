/**
 * The repositories over one query builder: every table is reached through one of these, and handlers
 * never see SQL or its dialect. A transaction's store has its own repositories, running in it.
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './dialect.js';
import { AccountsRepo } from './repos/accounts.js';
import { AppsRepo } from './repos/apps.js';
import { CodesRepo } from './repos/codes.js';
import { InstancesRepo } from './repos/instances.js';
import { MeetingsRepo } from './repos/meetings.js';
import { MetaRepo } from './repos/meta.js';
import { PrincipalsRepo } from './repos/principals.js';
import { PrivilegesRepo } from './repos/privileges.js';
import { RecordingsRepo } from './repos/recordings.js';
import { RegistrantsRepo } from './repos/registrants.js';
import { SharedRepo } from './repos/shared.js';
import { SnapshotsRepo } from './repos/snapshots.js';
import { TokensRepo } from './repos/tokens.js';
import { UserSettingsRepo } from './repos/user-settings.js';
import { UsersRepo } from './repos/users.js';
import { WebhooksRepos } from './repos/webhooks/index.js';
import type { Database } from './schema.js';
import { StateSeam } from './state.js';

export class Store {
  readonly accounts: AccountsRepo;
  readonly users: UsersRepo;
  readonly apps: AppsRepo;
  readonly tokens: TokensRepo;
  readonly meta: MetaRepo;
  readonly principals: PrincipalsRepo;
  readonly userSettings: UserSettingsRepo;
  readonly privileges: PrivilegesRepo;
  readonly codes: CodesRepo;
  readonly meetings: MeetingsRepo;
  /** Meeting instances and their participants (the lifecycle, past meetings). */
  readonly instances: InstancesRepo;
  /** Meeting registrants and registration questions. */
  readonly registrants: RegistrantsRepo;
  /** Cloud recordings of ended instances and their files. */
  readonly recordings: RecordingsRepo;
  readonly webhooks: WebhooksRepos;
  readonly snapshots: SnapshotsRepo;
  /** What several processes on one PostgreSQL share: versions, fault rules, the request log. */
  readonly shared: SharedRepo;
  /** Capture and load of the whole state (reset, snapshots, export, import); root store only. */
  readonly state: StateSeam;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly inTransaction = false,
  ) {
    this.accounts = new AccountsRepo(db);
    this.users = new UsersRepo(db, dialect);
    this.apps = new AppsRepo(db);
    this.tokens = new TokensRepo(db);
    this.meta = new MetaRepo(db);
    this.principals = new PrincipalsRepo(db);
    this.userSettings = new UserSettingsRepo(db);
    this.privileges = new PrivilegesRepo(db);
    this.codes = new CodesRepo(db);
    this.meetings = new MeetingsRepo(db, dialect);
    this.instances = new InstancesRepo(db);
    this.registrants = new RegistrantsRepo(db);
    this.recordings = new RecordingsRepo(db);
    this.webhooks = new WebhooksRepos(db);
    this.snapshots = new SnapshotsRepo(db);
    this.shared = new SharedRepo(db);
    this.state = new StateSeam(db, dialect);
  }

  /** Runs `work` atomically: either every write lands or none does. Nested calls join the outer one. */
  async transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new Store(trx, this.dialect, true)));
  }

  /**
   * Inside a transaction: waits until no other transaction holds `key`, and holds it until this one
   * ends, so a check-then-write on a value that no index guards (a PMI, a vanity name) is serialised.
   * PostgreSQL takes a transaction-level advisory lock; SQLite needs none (one writer at a time).
   */
  async lockKey(key: string): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(this.db);
  }

  /** One round trip to the database: it answers (health), or the error says why not. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
