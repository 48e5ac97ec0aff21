import { sql } from "kysely";
import type { Migration } from "./types.js";

/**
 * Issue 17, report17b: `goals.change_seq`, a number taken from one increasing source every time a
 * goal is written (inserted, or its row updated — which every write that moves its revision does:
 * migrations 0008, 0009, 0025), so that the report's entity tag can stamp the goals open to the
 * whole workspace with `count(*)`, `max(change_seq)` and `sum(change_seq)` read from one index
 * instead of reading each goal's revision (src/app/reports/report-rows.ts, `tagOf`).
 *
 * - PostgreSQL: a SEQUENCE and a BEFORE row trigger that sets `new.change_seq := nextval(…)`: no
 *   second update, no row lock (a sequence is not rolled back and takes no lock writers wait on).
 * - SQLite: a one-row counter bumped by AFTER triggers (writers are serialized, so the counter's
 *   order is the commit order). The trigger's own update of `change_seq` must not move the
 *   revision: the row trigger of migration 0009 is made again with a guard on `change_seq`.
 *
 * Existing rows get their id (below any value handed out after). The partial index
 * `(workspace_id, status, change_seq) where visibility = 'workspace'` answers the three aggregates
 * for one workspace's open goals from the index alone.
 */
export const migration: Migration = {
  async up(db, dialect) {
    await db.schema
      .alterTable("goals")
      .addColumn("change_seq", "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
    if (dialect === "postgres") {
      await sql`update goals set change_seq = id`.execute(db);
      await sql`create sequence goals_change_seq`.execute(db);
      await sql`select setval('goals_change_seq', coalesce((select max(id) from goals), 0) + 1, false)`.execute(
        db,
      );
      await sql`
        create function throughline_goal_change_seq() returns trigger language plpgsql as $$
        begin
          new.change_seq := nextval('goals_change_seq');
          return new;
        end $$`.execute(db);
      await sql`create trigger goals_change_seq before insert or update on goals
        for each row execute function throughline_goal_change_seq()`.execute(db);
    } else {
      // The backfill runs before the triggers below: it moves each revision once (0009's trigger).
      await sql`update goals set change_seq = id`.execute(db);
      await sql`create table goal_change_counter (id integer primary key check (id = 1),
        seq integer not null)`.execute(db);
      await sql`insert into goal_change_counter (id, seq) select 1, coalesce(max(id), 0) from goals`.execute(
        db,
      );
      await sql`drop trigger goals_revision_update`.execute(db);
      await sql`create trigger goals_revision_update after update on goals
        when new.revision = old.revision and new.change_seq = old.change_seq begin
        update goals set revision = revision + 1 where id = new.id; end`.execute(db);
      await sql`create trigger goals_change_seq_insert after insert on goals begin
        update goal_change_counter set seq = seq + 1 where id = 1;
        update goals set change_seq = (select seq from goal_change_counter where id = 1) where id = new.id; end`.execute(
        db,
      );
      await sql`create trigger goals_change_seq_update after update on goals
        when new.change_seq = old.change_seq begin
        update goal_change_counter set seq = seq + 1 where id = 1;
        update goals set change_seq = (select seq from goal_change_counter where id = 1) where id = new.id; end`.execute(
        db,
      );
    }
    // Partial (only the goals open to the workspace): a full index on (workspace_id, visibility,
    // …) led SQLite's planner to scan a whole workspace for the report's other goal queries
    // (their `visibility = 'workspace'` is inside an OR, so they cannot use this one).
    await db.schema
      .createIndex("goals_workspace_open_change_seq")
      .on("goals")
      .columns(["workspace_id", "status", "change_seq"])
      .where(sql.ref("visibility"), "=", "workspace")
      .execute();
    if (dialect === "sqlite") {
      // A new index leaves the table's statistics incomplete, so the server's next `pragma
      // optimize` would analyze goals sampled (the connection's analysis_limit): on the bench
      // database that read one workspace of 100,000 goals as ~1,000 and sent the team view's goal
      // query through the workspace index (8× slower, measured). Where statistics exist, goals is
      // analyzed in full here, once.
      const analyzed = await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db);
      if (analyzed.rows.length > 0) {
        const limit = await sql<{ analysis_limit: number }>`pragma analysis_limit`.execute(db);
        await sql`pragma analysis_limit = 0`.execute(db);
        await sql`analyze goals`.execute(db);
        await sql.raw(`pragma analysis_limit = ${Number(limit.rows[0]?.analysis_limit ?? 0)}`).execute(db);
      }
    }
  },
};
