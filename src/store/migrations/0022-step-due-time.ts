import type { Migration } from "./types.js";

/**
 * A step can carry a time of day on its due day ("15:30", the owner's wall clock): nudges come
 * then instead of at the start of the day, and the calendar shows a timed event with an alarm.
 * Null (every existing step) keeps the day-only behaviour.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable("steps").addColumn("due_time", "text").execute();
  },
};
