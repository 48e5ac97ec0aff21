import { sql } from "kysely";
import type { Migration } from "./types.js";

/**
 * The team view's stored answers, a goal's status view stored with its roll-up, and two more
 * things `goals.revision` counts so that a goal's
 * revision moves whenever anything a view shows of it moves:
 * - any update of the goal's own row (title, status, dates, visibility, team, mode): a row trigger
 *   that bumps the revision unless the update already did;
 * - any write to its commitments (the follow-through rate counts the ones due in the window).
 * `team_view_answers` keeps one answer per team, reader and window length, valid for the day it was
 * computed on while its stamp matches (the app compares it: the team, its members, the revisions of
 * the goals the reader may see, and the names the answer shows). Derived: not backed up, no foreign
 * keys (a stale row is never read, and any row may be dropped).
 */
export const migration: Migration = {
  async up(db, dialect) {
    // The status view of the goal's page, from the same evaluation as the roll-up (null in rows
    // stored before: they are computed again when the goal's status is read).
    await db.schema.alterTable("goal_rollups").addColumn("status_json", "text").execute();
    await db.schema
      .createTable("team_view_answers")
      .addColumn("team_id", "integer", (c) => c.notNull())
      .addColumn("user_id", "integer", (c) => c.notNull())
      .addColumn("weeks", "integer", (c) => c.notNull())
      .addColumn("as_of", "text", (c) => c.notNull())
      .addColumn("stamp", "text", (c) => c.notNull())
      .addColumn("names_json", "text", (c) => c.notNull())
      .addColumn("answer_json", "text", (c) => c.notNull())
      .addColumn("computed_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("team_view_answers_pk", ["team_id", "user_id", "weeks"])
      .execute();

    if (dialect === "postgres") {
      // A BEFORE row trigger sets the new revision in the row being written: no second update, no
      // recursion. The bumps from the child tables' triggers change the revision, so skip this.
      await sql`
        create function throughline_goal_row_revision() returns trigger language plpgsql as $$
        begin
          new.revision := old.revision + 1;
          return new;
        end $$`.execute(db);
      await sql`create trigger goals_revision_update before update on goals
        for each row when (new.revision = old.revision)
        execute function throughline_goal_row_revision()`.execute(db);
      // The statement-level function of migration 0008 serves any table with a goal_id.
      for (const op of ["insert", "update", "delete"] as const) {
        const transition =
          op === "insert"
            ? sql`referencing new table as changed_new`
            : op === "update"
              ? sql`referencing old table as changed_old new table as changed_new`
              : sql`referencing old table as changed_old`;
        await sql`create trigger ${sql.raw(`commitments_revision_${op}`)} after ${sql.raw(op)} on commitments
          ${transition}
          for each statement execute function throughline_bump_revision()`.execute(db);
      }
      return;
    }
    // SQLite does not fire a trigger from its own update (recursive_triggers is off), and the
    // child tables' bumps change the revision, so skip this.
    await sql`create trigger goals_revision_update after update on goals
      when new.revision = old.revision begin
      update goals set revision = revision + 1 where id = new.id; end`.execute(db);
    await sql`create trigger commitments_revision_insert after insert on commitments begin
      update goals set revision = revision + 1 where id = new.goal_id; end`.execute(db);
    await sql`create trigger commitments_revision_update after update on commitments begin
      update goals set revision = revision + 1 where id in (old.goal_id, new.goal_id); end`.execute(db);
    await sql`create trigger commitments_revision_delete after delete on commitments begin
      update goals set revision = revision + 1 where id = old.goal_id; end`.execute(db);
  },
};
