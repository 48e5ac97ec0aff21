import type { Migration } from "./types.js";

/**
 * Issue 17, pgck24: drops `checkin_kr_values_kr` (the check-in values by key result), which every
 * check-in wrote an entry into per key-result value and no query reads.
 *
 * The statements that read `checkin_kr_values` find rows by check-in: a goal's check-ins (a join
 * on `checkin_id`, or `checkin_id in (…)` for many goals, src/store/repos/checkins.ts), a backup's
 * dump (primary-key order) and its count. Each uses the primary key `(checkin_id, key_result_id)`
 * (EXPLAIN on the 1M-row bench database, docs/benchmarks.md "pgck24"). The only other reader would
 * be the foreign key's check when a key result is deleted or renumbered, and none is: a key result
 * is retired (`retired_at`), never deleted, and a restore goes only into an empty database.
 * Should a read by key result come (a key result's history across goals), it brings its index back.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.dropIndex("checkin_kr_values_kr").execute();
  },
};
