/**
 * Migration 0032 (pgck24): the check-in values lose their index by key result, which no query
 * read and every key-result value of every check-in wrote; a goal's check-ins read as before. On
 * PostgreSQL the check-in's writes keep one generic plan instead of being planned on every run.
 */
import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { createCheckin, listCheckins } from "../../app/checkins/checkins.js";
import type { AppContext } from "../../app/context.js";
import { addKeyResult, createGoal } from "../../app/plans/goals.js";
import type { Database } from "../schema.js";

describe.each(DIALECTS)("migration 0032 (what a check-in writes) on %s", (d) => {
  const db = suiteStore(d);
  const { skip } = db;

  const indexesOfValues = async () =>
    d === "postgres"
      ? (
          await sql<{ name: string }>`select indexname as name from pg_indexes
            where tablename = 'checkin_kr_values' order by 1`.execute(db.store.db)
        ).rows.map((r) => r.name)
      : (
          await sql<{ name: string }>`select name from sqlite_master
            where type = 'index' and tbl_name = 'checkin_kr_values' order by 1`.execute(db.store.db)
        ).rows.map((r) => r.name);

  it.skipIf(skip)("keeps only the primary key, and a goal's check-ins read with their values", async () => {
    // Before 0032 the table had checkin_kr_values_kr as well: one more entry written per value.
    expect(await indexesOfValues()).toEqual(
      d === "postgres" ? ["checkin_kr_values_pk"] : ["sqlite_autoindex_checkin_kr_values_1"],
    );
    const { ctx, actor } = await actorFor(db.store);
    const goal = await createGoal(ctx, actor, { title: "Ship the guide", startDate: "2026-11-01" });
    const a = await addKeyResult(ctx, actor, goal.id, { title: "Chapters", startValue: 0, targetValue: 8 });
    const b = await addKeyResult(ctx, actor, goal.id, { title: "Reviews", startValue: 0, targetValue: 3 });
    await createCheckin(ctx, actor, goal.id, {
      date: "2026-11-10",
      krValues: [
        { keyResultId: b.id, value: 1 },
        { keyResultId: a.id, value: 2 },
      ],
    });
    await createCheckin(ctx, actor, goal.id, {
      date: "2026-11-17",
      krValues: [{ keyResultId: a.id, value: 4 }],
    });
    const read = await listCheckins(ctx, actor, goal.id);
    expect(read.map((c) => c.krValues)).toEqual([
      [
        { keyResultId: a.id, value: 2 },
        { keyResultId: b.id, value: 1 },
      ],
      [{ keyResultId: a.id, value: 4 }],
    ]);
  });

  // Registered on PostgreSQL alone (a test skipped on SQLite would count as skipped under CI).
  if (d === "postgres")
    it.skipIf(skip)(
      "plans a check-in's writes once per connection on PostgreSQL, not on every check-in",
      async () => {
        const { ctx, actor } = await actorFor(db.store);
        const goal = await createGoal(ctx, actor, { title: "Run the meetup", startDate: "2026-11-01" });
        const a = await addKeyResult(ctx, actor, goal.id, { title: "Talks", startValue: 0, targetValue: 6 });
        const b = await addKeyResult(ctx, actor, goal.id, {
          title: "Guests",
          startValue: 0,
          targetValue: 40,
        });
        // Planned as for a workspace's key results (bench database: each by its primary key), not a
        // fresh test database's few rows, for which the generic plan looked no dearer anyway.
        const filler = await createGoal(ctx, actor, { title: "Many key results", startDate: "2026-11-01" });
        await sql`insert into key_results (goal_id, title, start_value, target_value, current_value,
          direction, created_at, updated_at)
        select ${filler.id}, title, start_value, target_value, current_value, direction, created_at, updated_at
        from key_results, generate_series(1, 5000) where id = ${a.id}`.execute(db.store.db);
        await sql`analyze key_results`.execute(db.store.db);
        // Every check-in on one pooled connection, whose prepared statements are then read.
        const plans = await db.store.db.connection().execute(async (conn: Kysely<Database>) => {
          const onOne: AppContext = { ...ctx, store: { ...ctx.store, db: conn } };
          for (let i = 0; i < 12; i++) {
            await createCheckin(onOne, actor, goal.id, {
              date: "2026-11-20",
              krValues: [
                { keyResultId: a.id, value: i },
                { keyResultId: b.id, value: 2 * i },
              ],
            });
          }
          return (
            await sql<{ generic: number; custom: number }>`select generic_plans::int as generic,
            custom_plans::int as custom from pg_prepared_statements
            where statement like '%insert into checkin_kr_values%'`.execute(conn)
          ).rows;
        });
        // PostgreSQL plans a prepared statement's first five runs for their values, then keeps the
        // generic plan unless it looks dearer. Before 0032: custom 12, generic 0 (planned every time).
        expect(plans).toEqual([{ generic: 7, custom: 5 }]);
        expect((await listCheckins(ctx, actor, goal.id)).at(-1)?.krValues).toEqual([
          { keyResultId: a.id, value: 11 },
          { keyResultId: b.id, value: 22 },
        ]);
      },
    );
});
