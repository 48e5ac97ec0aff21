import type { Migration } from "./types.js";

/**
 * Issue 17, totals25: the report's stored open part. One row per (workspace, window's first day):
 * what every reader of the workspace counts of its goals open to everyone (totals by person, day
 * and outcome, moves, the most recent wins, the first stalls), under the key it was computed for
 * (the day, the code version, the open goals' stamp and the names' stamp, read in the same snapshot
 * as the body). src/app/reports/report-rows.ts (`sumsFromStoredOpenPart`) uses a row only when its key equals the stamps read
 * in the report's snapshot. Derived: never backed up.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema
      .createTable("report_open_parts")
      .addColumn("workspace_id", "integer", (c) => c.notNull())
      .addColumn("from_day", "text", (c) => c.notNull())
      .addColumn("as_of", "text", (c) => c.notNull())
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("open_stamp", "text", (c) => c.notNull())
      .addColumn("names_stamp", "text", (c) => c.notNull())
      .addColumn("body_json", "text", (c) => c.notNull())
      .addColumn("computed_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("report_open_parts_pk", ["workspace_id", "from_day"])
      .execute();
  },
};
