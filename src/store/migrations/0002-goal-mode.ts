import type { Migration } from "./types.js";
import { withId } from "./types.js";

/**
 * Micro-goal mode: the engine's stored mode state on each goal, and the history of its changes so
 * that a status for a past day reads the mode the goal was in then.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const s = db.schema;
    await s
      .alterTable("goals")
      .addColumn("mode", "text", (c) => c.notNull().defaultTo("normal"))
      .execute();
    await s.alterTable("goals").addColumn("mode_since", "text").execute();
    await s
      .alterTable("goals")
      .addColumn("micro_steps_done", "integer", (c) => c.notNull().defaultTo(0))
      .execute();

    await withId(s.createTable("goal_mode_changes"), dialect)
      .addColumn("goal_id", "integer", (c) => c.notNull().references("goals.id"))
      .addColumn("day", "text", (c) => c.notNull())
      .addColumn("mode", "text", (c) => c.notNull())
      .addColumn("since", "text")
      .addColumn("micro_steps_done", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await s
      .createIndex("goal_mode_changes_goal_day")
      .on("goal_mode_changes")
      .columns(["goal_id", "day", "id"])
      .execute();
  },
};
