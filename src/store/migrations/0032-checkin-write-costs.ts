import { sql } from "kysely";
import type { Migration } from "./types.js";

/**
 * Issue 17, pgck24: two costs every check-in paid and nothing needed.
 *
 * - `checkin_kr_values_kr` (the check-in values by key result) is dropped, both databases: every
 *   check-in wrote an entry into it per key-result value and no query reads it. The statements that
 *   read `checkin_kr_values` find rows by check-in: a goal's check-ins (a join on `checkin_id`, or
 *   `checkin_id in (…)` for many goals, src/store/repos/checkins.ts), a backup's dump
 *   (primary-key order) and its count, each by the primary key `(checkin_id, key_result_id)` (EXPLAIN
 *   on the 1M-row bench database, docs/benchmarks.md "pgck24"). The only other reader would be the
 *   foreign key's check when a key result is deleted or renumbered, and none is: a key result is
 *   retired (`retired_at`), never deleted, and a restore goes only into an empty database. A read by
 *   key result (a key result's history across check-ins) would bring its index back.
 * - PostgreSQL: `throughline_kr_values(ids, values)`, the check-in's key-result values as rows, for
 *   the check-in's one statement. With `unnest($ids, $values)` there PostgreSQL planned the
 *   statement afresh on every check-in, though it was a named prepared statement: a custom plan
 *   knows the arrays' length (two rows), the generic plan guesses a hundred, so the generic plan
 *   always looked dearer and was never chosen (`pg_prepared_statements`: 0 generic plans of 12).
 *   The function declares its rows (2, the bench's and a usual check-in's count), the same for both
 *   plans, so the generic plan is kept from the sixth run: ~0.2 ms less of PostgreSQL's CPU a
 *   check-in. PL/pgSQL, so the planner cannot inline it back into `unnest`.
 */
export const migration: Migration = {
  async up(db, dialect) {
    await db.schema.dropIndex("checkin_kr_values_kr").execute();
    if (dialect !== "postgres") return;
    await sql`
      create function throughline_kr_values(ids integer[], vals double precision[])
        returns table (key_result_id integer, value double precision)
        language plpgsql immutable rows 2 as $$
      begin
        return query select * from unnest(ids, vals);
      end $$`.execute(db);
  },
};
