import type { Migration } from "./types.js";

/**
 * Drops `team_view_answers` (migration 0009): the team view's whole answers stored per team, reader
 * and window. The team view is now computed from the per-goal roll-ups, each process keeps copies of
 * the answers it served under their entity tag, and a reader who holds the tag gets 304: the
 * benchmarks met the same targets without the table (docs/benchmarks.md, "Stored answers and
 * ETags"). Derived data, never backed up: nothing is lost.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.dropTable("team_view_answers").ifExists().execute();
  },
};
