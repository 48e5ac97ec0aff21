import type { Migration } from "./types.js";

/**
 * The nudge planner's state (issue 17): per planner, the last event and notice it planned from
 * (its cursors on the append-only `events` and `notifications`) and the time slot of its last full
 * pass, so a tick where nothing changed reads one row. Derived: never backed up (a restored
 * database starts with a full pass).
 */
export const migration: Migration = {
  async up(db) {
    await db.schema
      .createTable("planner_state")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("event_id", "integer", (c) => c.notNull())
      .addColumn("notice_id", "integer", (c) => c.notNull())
      .addColumn("slot", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
  },
};
