import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * GET /users answers with the total of the filtered list on its first page. Counting rows grows with the
 * account; this table keeps the number of users per (account, status, role), maintained by triggers so
 * that every write path (repositories, bulk inserts, future endpoints) keeps it exact in the same
 * transaction as the change.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not as it is
export async function up(db: Kysely<any>): Promise<void> {
  const big = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('user_counts')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('n', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_counts_pk', ['account_id', 'status', 'role_id'])
    .execute();
  await sql`
    insert into user_counts (account_id, status, role_id, n)
    select account_id, status, role_id, count(*) from users group by account_id, status, role_id
  `.execute(db);

  if (dialectOf(db) === 'postgres') {
    await sql`
      create function zemu_user_counts() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          update user_counts set n = n - 1
            where account_id = old.account_id and status = old.status and role_id = old.role_id;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into user_counts (account_id, status, role_id, n)
            values (new.account_id, new.status, new.role_id, 1)
            on conflict (account_id, status, role_id) do update set n = user_counts.n + 1;
        end if;
        return null;
      end $$
    `.execute(db);
    await sql`
      create trigger users_count_insert_delete after insert or delete on users
        for each row execute function zemu_user_counts()
    `.execute(db);
    await sql`
      create trigger users_count_update after update of account_id, status, role_id on users
        for each row when (old.account_id is distinct from new.account_id
          or old.status is distinct from new.status or old.role_id is distinct from new.role_id)
        execute function zemu_user_counts()
    `.execute(db);
    return;
  }
  const add = (row: 'new') => sql`
    insert into user_counts (account_id, status, role_id, n)
      values (${sql.raw(row)}.account_id, ${sql.raw(row)}.status, ${sql.raw(row)}.role_id, 1)
      on conflict (account_id, status, role_id) do update set n = n + 1;`;
  const remove = (row: 'old') => sql`
    update user_counts set n = n - 1
      where account_id = ${sql.raw(row)}.account_id and status = ${sql.raw(row)}.status
        and role_id = ${sql.raw(row)}.role_id;`;
  await sql`create trigger users_count_insert after insert on users begin ${add('new')} end`.execute(db);
  await sql`create trigger users_count_delete after delete on users begin ${remove('old')} end`.execute(db);
  await sql`
    create trigger users_count_update after update of account_id, status, role_id on users
      when old.account_id is not new.account_id or old.status is not new.status
        or old.role_id is not new.role_id
      begin ${remove('old')} ${add('new')} end
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger users_count_insert_delete on users`.execute(db);
    await sql`drop trigger users_count_update on users`.execute(db);
    await sql`drop function zemu_user_counts()`.execute(db);
  } else {
    for (const name of ['users_count_insert', 'users_count_delete', 'users_count_update']) {
      await sql`drop trigger ${sql.raw(name)}`.execute(db);
    }
  }
  await db.schema.dropTable('user_counts').execute();
}
