import { sql } from "kysely";
import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * The record of what each step promised. A `step_occurrences` row is one promise: the step, the
 * day it was due, when it was done, and when and how the promise was closed without being done
 * (moved to another day, or dropped). Moving a step's due date closes its open row and opens a new
 * one, so a miss stays a miss; a recurring step (`steps.recurrence`, an RFC 5545 RRULE whose first
 * occurrence is the step's due date) has a row for each occurrence acted on or left behind by a
 * change of schedule, the others are read from the rule.
 *
 * Every step with a due date gets its row: done steps done on the day they were done; dropped
 * steps closed on the day of their last change (the drop's day was not recorded before).
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await s.alterTable("steps").addColumn("recurrence", "text").execute();
    await withId(s.createTable("step_occurrences"), dialect)
      .addColumn("step_id", "integer", (c) => c.notNull().references("steps.id"))
      .addColumn("due_date", "text", (c) => c.notNull())
      .addColumn("done_at", "text")
      .addColumn("closed_at", "text")
      .addColumn("closed_how", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s
      .createIndex("step_occurrences_step_due")
      .on("step_occurrences")
      .columns(["step_id", "due_date"])
      .execute();
    await sql`insert into step_occurrences (step_id, due_date, done_at, closed_at, closed_how, created_at)
      select id, due_date,
        case when status = 'done' then coalesce(done_at, updated_at) else null end,
        case when status = 'dropped' then updated_at else null end,
        case when status = 'dropped' then 'dropped' else null end,
        created_at
      from steps where due_date is not null
      order by id`.execute(db);
  },
};
