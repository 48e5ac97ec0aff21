import type { Migration } from "./types.js";

/**
 * A finished goal (done or dropped) can be archived: it leaves the goals list and stays on the
 * record — its steps, check-ins and history still count in every report, and the goal's history
 * says who archived it and when. Unarchiving clears the mark.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable("goals").addColumn("archived_at", "text").execute();
  },
};
