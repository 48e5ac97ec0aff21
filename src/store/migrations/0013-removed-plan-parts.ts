import type { Migration } from "./types.js";

/**
 * Removing a resource or a barrier marks it instead of deleting it: check-ins keep pointing at the
 * barriers they hit, and the goal's history names what was removed, by whom and why. A removed
 * row drops out of the plan and its lists.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable("resources").addColumn("removed_at", "text").execute();
    await db.schema.alterTable("barriers").addColumn("removed_at", "text").execute();
  },
};
