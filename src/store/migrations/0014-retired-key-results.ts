import type { Migration } from "./types.js";

/**
 * A key result can be retired: it stops counting towards the goal's progress from that day, and
 * stays on the record (check-ins reported values for it; the goal's history says who retired it,
 * when and why).
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable("key_results").addColumn("retired_at", "text").execute();
  },
};
