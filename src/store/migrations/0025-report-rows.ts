import { sql } from "kysely";
import type { Migration } from "./types.js";

/**
 * The follow-through report's per-goal aggregates (issue 17, docs/architecture.md "Roll-ups and the
 * hot paths"): for each goal, what it adds to the report of the 12 weeks up to the day they were
 * computed for — one narrow row per promise counted or moved, one per win, and the goal's stall —
 * under a header that says for which day, which code version, which `goals.revision` and which owner
 * name they were computed. The report reads them only while all four still match, so a stale row
 * is never served. Derived: never backed up.
 *
 * `step_occurrences` (migration 0012) has no goal id, so its writes did not move the revision; they
 * now do, through the step, so a promise closed or done by any write path invalidates the goal.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await s
      .createTable("report_goal_rows")
      .addColumn("goal_id", "integer", (c) => c.primaryKey().references("goals.id"))
      .addColumn("as_of", "text", (c) => c.notNull())
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("revision", "integer", (c) => c.notNull())
      .addColumn("owner_name", "text")
      .addColumn("stalled_json", "text")
      .addColumn("computed_at", "text", (c) => c.notNull())
      .execute();
    await s
      .createTable("report_goal_items")
      .addColumn("goal_id", "integer", (c) => c.notNull())
      .addColumn("step_id", "integer", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.notNull())
      .addColumn("due_date", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .execute();
    await s
      .createIndex("report_goal_items_goal")
      .on("report_goal_items")
      .columns(["goal_id", "due_date"])
      .execute();
    await s
      .createTable("report_goal_wins")
      .addColumn("goal_id", "integer", (c) => c.notNull())
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("date", "text", (c) => c.notNull())
      .addColumn("win_json", "text", (c) => c.notNull())
      .execute();
    await s
      .createIndex("report_goal_wins_goal")
      .on("report_goal_wins")
      .columns(["goal_id", "date"])
      .execute();

    // The goals a viewer may see, found by index: those of the teams they are in and those open to
    // the workspace (src/store/repos/reportrows.ts, `countedVisibleGoals`).
    await s.createIndex("goals_visibility_team").on("goals").columns(["visibility", "team_id"]).execute();

    if (dialect === "postgres") {
      await sql`
        create function throughline_bump_revision_by_step() returns trigger language plpgsql as $$
        begin
          if tg_op in ('INSERT', 'UPDATE') then
            update goals set revision = revision + 1 where id in (
              select distinct s.goal_id from steps s join changed_new n on n.step_id = s.id);
          end if;
          if tg_op in ('UPDATE', 'DELETE') then
            update goals set revision = revision + 1 where id in (
              select distinct s.goal_id from steps s join changed_old o on o.step_id = s.id);
          end if;
          return null;
        end $$`.execute(db);
      await sql`create trigger step_occurrences_revision_insert after insert on step_occurrences
        referencing new table as changed_new
        for each statement execute function throughline_bump_revision_by_step()`.execute(db);
      await sql`create trigger step_occurrences_revision_update after update on step_occurrences
        referencing old table as changed_old new table as changed_new
        for each statement execute function throughline_bump_revision_by_step()`.execute(db);
      await sql`create trigger step_occurrences_revision_delete after delete on step_occurrences
        referencing old table as changed_old
        for each statement execute function throughline_bump_revision_by_step()`.execute(db);
      return;
    }
    await sql`create trigger step_occurrences_revision_insert after insert on step_occurrences begin
      update goals set revision = revision + 1 where id = (select goal_id from steps where id = new.step_id); end`.execute(
      db,
    );
    await sql`create trigger step_occurrences_revision_update after update on step_occurrences begin
      update goals set revision = revision + 1
        where id in (select goal_id from steps where id in (old.step_id, new.step_id)); end`.execute(db);
    await sql`create trigger step_occurrences_revision_delete after delete on step_occurrences begin
      update goals set revision = revision + 1 where id = (select goal_id from steps where id = old.step_id); end`.execute(
      db,
    );
  },
};
