/**
 * Migration 0032 (pgck24): the check-in values lose their index by key result, which no query
 * read and every key-result value of every check-in wrote; a goal's check-ins read as before.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { createCheckin, listCheckins } from "../../app/checkins/checkins.js";
import { addKeyResult, createGoal } from "../../app/plans/goals.js";

describe.each(DIALECTS)("migration 0032 (check-in values not indexed by key result) on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
  });
  afterAll(async () => db?.dispose());

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
});
