import { sql } from "kysely";
import type { Migration } from "./types.js";

/** The tables whose writes move their goal's revision through a statement-level trigger. */
const BUMPED_TABLES = [
  "key_results",
  "steps",
  "checkins",
  "barriers",
  "change_records",
  "commitments",
  "step_occurrences",
] as const;

/**
 * Issue 17, pgtrig22: on PostgreSQL a write bumps each goal's row once per statement, and a bump
 * of a goal not open to the whole workspace is a HOT update (no index touched).
 *
 * A check-in is one statement (src/store/repos/checkins.ts) that inserts the check-in and updates
 * its key results. The statement-level triggers of migrations 0008, 0009 and 0025 updated the
 * goal's row once for the insert and twice for the update (its old rows, then its new rows), and
 * each of those updates gave the goal a new `change_seq` (migration 0027), an indexed column, so
 * each wrote a new entry in every index of `goals` (seven). Now:
 *
 * - The trigger functions bump `old ∪ new` in one UPDATE, and skip the goals already bumped in the
 *   same statement: the ids bumped are kept in a transaction-local setting
 *   (`throughline.bumped`), which a BEFORE STATEMENT trigger on each of those tables empties when a
 *   statement writing it starts. Every statement's AFTER STATEMENT triggers run after all of its
 *   BEFORE STATEMENT triggers, so a bump is skipped only for a goal bumped earlier in the same
 *   statement: nothing can read the revision in between, so every reader's stamp (the roll-up's,
 *   the team view's, the report rows' revision) still changes after any write that changes its
 *   answer. (Once per transaction would skip more, but a transaction could store a roll-up stamped
 *   with the revision between two of its writes; once per statement cannot be read in between.)
 *   A rolled-back savepoint rolls the setting back with the bump.
 * - `change_seq` moves only when the goal is, or was, open to the whole workspace (and on every
 *   insert): its only readers are the report's tag, whose stamp of the open goals reads it from the
 *   partial index, and the reader's other goals, which now read `[id, revision, change_seq]`
 *   (src/store/repos/reportrows.ts, `countedClosedGoalStamps`): the revision moves on every write
 *   of a goal (migrations 0008, 0009, 0025). A bump of any other goal changes only `revision`,
 *   which no index holds, so PostgreSQL may write it as a heap-only (HOT) update.
 *
 * - `goals_parent` is dropped (both databases): no query filters goals by `parent_id` (the team
 *   view links parents to children in memory, src/app/reports/teamview.ts), and no goal is ever
 *   deleted or renumbered, the only writes whose foreign-key check would look children up by it.
 *   One index fewer to write on every insert and every non-HOT update of a goal.
 *
 * SQLite keeps its row-level triggers (writers are serialized there; each bump is an in-process
 * row write, not seven index entries written by another process).
 */
export const migration: Migration = {
  async up(db, dialect) {
    await db.schema.dropIndex("goals_parent").execute();
    if (dialect !== "postgres") return;
    await sql`
      create function throughline_bump_reset() returns trigger language plpgsql as $$
      begin
        if current_setting('throughline.bumped', true) <> '' then
          perform set_config('throughline.bumped', '', true);
        end if;
        return null;
      end $$`.execute(db);
    for (const t of BUMPED_TABLES) {
      await sql`create trigger ${sql.raw(`${t}_revision_reset`)} before insert or update or delete
        on ${sql.table(t)} for each statement execute function throughline_bump_reset()`.execute(db);
    }
    // Bumps the goals in `ids` not bumped yet in this statement, and notes them.
    await sql`
      create function throughline_bump_goals(ids integer[]) returns void language plpgsql as $$
      declare
        done text := coalesce(current_setting('throughline.bumped', true), '');
        fresh integer[];
      begin
        if done = '' then
          fresh := ids;
        else
          fresh := array(select unnest(ids) except select unnest(done::integer[]));
        end if;
        if cardinality(fresh) > 0 then
          update goals set revision = revision + 1 where id = any(fresh);
          perform set_config('throughline.bumped',
            (case when done = '' then fresh else done::integer[] || fresh end)::text, true);
        end if;
      end $$`.execute(db);
    await sql`
      create or replace function throughline_bump_revision() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          perform throughline_bump_goals(array(
            select distinct goal_id from changed_new where goal_id is not null));
        elsif tg_op = 'DELETE' then
          perform throughline_bump_goals(array(
            select distinct goal_id from changed_old where goal_id is not null));
        else
          perform throughline_bump_goals(array(
            select goal_id from changed_new where goal_id is not null
            union select goal_id from changed_old where goal_id is not null));
        end if;
        return null;
      end $$`.execute(db);
    await sql`
      create or replace function throughline_bump_revision_by_step() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          perform throughline_bump_goals(array(
            select distinct s.goal_id from steps s join changed_new n on n.step_id = s.id));
        elsif tg_op = 'DELETE' then
          perform throughline_bump_goals(array(
            select distinct s.goal_id from steps s join changed_old o on o.step_id = s.id));
        else
          perform throughline_bump_goals(array(
            select s.goal_id from steps s join changed_new n on n.step_id = s.id
            union select s.goal_id from steps s join changed_old o on o.step_id = s.id));
        end if;
        return null;
      end $$`.execute(db);
    // change_seq: on every insert, and on an update only of a goal open (or opened, or no longer
    // open) to the workspace; the WHEN clause spares the function's call on every other update.
    await sql`drop trigger goals_change_seq on goals`.execute(db);
    await sql`create trigger goals_change_seq before insert on goals
      for each row execute function throughline_goal_change_seq()`.execute(db);
    await sql`create trigger goals_change_seq_update before update on goals
      for each row when (new.visibility = 'workspace' or old.visibility = 'workspace')
      execute function throughline_goal_change_seq()`.execute(db);
  },
};
