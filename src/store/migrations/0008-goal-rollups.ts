import { sql } from "kysely";
import type { Migration } from "./types.js";

/**
 * The per-goal status roll-up. `goals.revision` counts every write to a goal's key results, steps,
 * check-ins, barriers and change records; database triggers keep it, so no code path can forget.
 * `goal_rollups` keeps one evaluation per goal (status, last check-in, wins), valid for the day it
 * was computed on while the goal's row and revision are unchanged (the app compares a stamp).
 * Also an index for the commitments of some goals due in a window.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await s
      .alterTable("goals")
      .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await s
      .createTable("goal_rollups")
      .addColumn("goal_id", "integer", (c) => c.primaryKey().references("goals.id"))
      .addColumn("as_of", "text", (c) => c.notNull())
      .addColumn("stamp", "text", (c) => c.notNull())
      .addColumn("data_json", "text", (c) => c.notNull())
      .addColumn("recent_wins_json", "text", (c) => c.notNull())
      .addColumn("older_wins_json", "text", (c) => c.notNull())
      .addColumn("computed_at", "text", (c) => c.notNull())
      .execute();
    await s.createIndex("commitments_goal_due").on("commitments").columns(["goal_id", "due_date"]).execute();

    const tables = ["key_results", "steps", "checkins", "barriers", "change_records"];
    if (dialect === "postgres") {
      // Statement-level triggers with transition tables: an import of 100,000 steps bumps each goal
      // once per statement, not once per row.
      await sql`
        create function throughline_bump_revision() returns trigger language plpgsql as $$
        begin
          if tg_op in ('INSERT', 'UPDATE') then
            update goals set revision = revision + 1
              where id in (select distinct goal_id from changed_new where goal_id is not null);
          end if;
          if tg_op in ('UPDATE', 'DELETE') then
            update goals set revision = revision + 1
              where id in (select distinct goal_id from changed_old where goal_id is not null);
          end if;
          return null;
        end $$`.execute(db);
      for (const t of tables) {
        const name = (op: string) => sql.raw(`${t}_revision_${op}`);
        const table = sql.table(t);
        await sql`create trigger ${name("insert")} after insert on ${table}
          referencing new table as changed_new
          for each statement execute function throughline_bump_revision()`.execute(db);
        await sql`create trigger ${name("update")} after update on ${table}
          referencing old table as changed_old new table as changed_new
          for each statement execute function throughline_bump_revision()`.execute(db);
        await sql`create trigger ${name("delete")} after delete on ${table}
          referencing old table as changed_old
          for each statement execute function throughline_bump_revision()`.execute(db);
      }
      return;
    }
    for (const t of tables) {
      const name = (op: string) => sql.raw(`${t}_revision_${op}`);
      const table = sql.table(t);
      await sql`create trigger ${name("insert")} after insert on ${table} begin
        update goals set revision = revision + 1 where id = new.goal_id; end`.execute(db);
      await sql`create trigger ${name("update")} after update on ${table} begin
        update goals set revision = revision + 1 where id in (old.goal_id, new.goal_id); end`.execute(db);
      await sql`create trigger ${name("delete")} after delete on ${table} begin
        update goals set revision = revision + 1 where id = old.goal_id; end`.execute(db);
    }
  },
};
