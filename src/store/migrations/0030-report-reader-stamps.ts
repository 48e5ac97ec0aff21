import { sql } from "kysely";
import type { Migration } from "./types.js";

/**
 * Issue 17, report19: what the report's entity tag reads grows with the reader, not the workspace.
 *
 * - `workspace_name_stamps`: one row per workspace whose `seq` takes a new value whenever a person
 *   joins or leaves it or is renamed (triggers on `users`), so the tag hashes one number instead of
 *   every name of the workspace (`namesDigestOfWorkspace`: 21 ms at 10,000 people on SQLite).
 *   PostgreSQL takes the value from a SEQUENCE, SQLite from the table's own maximum plus one
 *   (writers are serialized): either way a value is never handed out twice in one database, so a
 *   stamp read before a change never equals one read after it. Derived: never backed up; a restore
 *   writes the people again, and the triggers stamp them.
 * - `goal_shares (user_id, goal_id)`: the goals shared with a reader, found by index (the report's
 *   candidate goals and the tag's reader-only goals scanned every share of the database).
 */
export const migration: Migration = {
  async up(db, dialect) {
    await db.schema
      .createTable("workspace_name_stamps")
      .addColumn("workspace_id", "integer", (c) => c.primaryKey())
      .addColumn("seq", "bigint", (c) => c.notNull())
      .execute();
    if (dialect === "postgres") {
      await sql`create sequence workspace_name_seq`.execute(db);
      await sql`insert into workspace_name_stamps (workspace_id, seq)
        select id, nextval('workspace_name_seq') from workspaces order by id`.execute(db);
      await sql`
        create function throughline_workspace_names() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'INSERT' then
            insert into workspace_name_stamps (workspace_id, seq)
              values (old.workspace_id, nextval('workspace_name_seq'))
              on conflict (workspace_id) do update set seq = excluded.seq;
          end if;
          if tg_op <> 'DELETE' then
            insert into workspace_name_stamps (workspace_id, seq)
              values (new.workspace_id, nextval('workspace_name_seq'))
              on conflict (workspace_id) do update set seq = excluded.seq;
          end if;
          return null;
        end $$`.execute(db);
      await sql`create trigger users_names_stamp after insert or delete on users
        for each row execute function throughline_workspace_names()`.execute(db);
      await sql`create trigger users_names_stamp_update after update of name, workspace_id on users
        for each row when (old.name is distinct from new.name or old.workspace_id is distinct from new.workspace_id)
        execute function throughline_workspace_names()`.execute(db);
    } else {
      await sql`insert into workspace_name_stamps (workspace_id, seq)
        select id, row_number() over (order by id) from workspaces`.execute(db);
      const bump = (ws: string) =>
        sql.raw(
          `insert into workspace_name_stamps (workspace_id, seq)
          values (${ws}, (select coalesce(max(seq), 0) + 1 from workspace_name_stamps))
          on conflict (workspace_id) do update set seq = excluded.seq;`,
        );
      await sql`create trigger users_names_stamp_insert after insert on users begin
        ${bump("new.workspace_id")} end`.execute(db);
      await sql`create trigger users_names_stamp_delete after delete on users begin
        ${bump("old.workspace_id")} end`.execute(db);
      await sql`create trigger users_names_stamp_update after update of name, workspace_id on users
        when old.name is not new.name or old.workspace_id is not new.workspace_id begin
        ${bump("old.workspace_id")} ${bump("new.workspace_id")} end`.execute(db);
    }
    await db.schema
      .createIndex("goal_shares_user")
      .on("goal_shares")
      .columns(["user_id", "goal_id"])
      .execute();
    if (dialect === "sqlite") {
      // As 0027: a new index leaves the table's statistics incomplete, and the server's sampled
      // `pragma optimize` would then analyze it partly; where statistics exist, analyze it in full.
      const analyzed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
      if (analyzed.rows.length > 0) {
        const limit = await sql<{ analysis_limit: number }>`pragma analysis_limit`.execute(db);
        await sql`pragma analysis_limit = 0`.execute(db);
        await sql`analyze goal_shares`.execute(db);
        await sql.raw(`pragma analysis_limit = ${Number(limit.rows[0]?.analysis_limit ?? 0)}`).execute(db);
      }
    }
  },
};
