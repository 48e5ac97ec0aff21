/**
 * Migration 0031 (pgtrig22): on PostgreSQL a check-in bumps its goal's row once, not three times
 * (the check-in's insert, then the key results' old and new rows), a bump of a goal not open to the
 * workspace changes no indexed column (a HOT update), and every reader's tag still moves.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal } from "../../../test/helpers/factories.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { createCheckin } from "../../app/checkins/checkins.js";
import { addKeyResult, createGoal } from "../../app/plans/goals.js";
import { reportReplyFromRows } from "../../app/reports/report-rows.js";
import { recordCheckin } from "../repos/checkins.js";
import { workspaceOpenStamp } from "../repos/reportrows.js";

describe.each(DIALECTS)("migration 0031 (one goal bump per statement) on %s", (d) => {
  const db = suiteStore(d);
  const { skip } = db;

  const state = async (id: number) => {
    const r = await db.store.db
      .selectFrom("goals")
      .select(["revision", "changeSeq"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return { revision: Number(r.revision), seq: Number(r.changeSeq) };
  };

  it.skipIf(skip)(
    "a check-in with two key-result values bumps its goal once on PostgreSQL, and the owner's report tag moves with every write",
    async () => {
      const { ctx, actor } = await actorFor(db.store);
      const today = ctx.now().toISOString().slice(0, 10);
      const goal = await createGoal(ctx, actor, buildGoal({ visibility: "private" }));
      const kr1 = await addKeyResult(ctx, actor, goal.id, {
        title: "Signups",
        startValue: 0,
        targetValue: 10,
      });
      const kr2 = await addKeyResult(ctx, actor, goal.id, { title: "Posts", startValue: 0, targetValue: 5 });
      const tagNow = async () => (await reportReplyFromRows(ctx, actor, { weeks: 4 }))?.etag as string;
      let tag = await tagNow();
      expect(await tagNow()).toBe(tag);
      const before = await state(goal.id);
      await createCheckin(ctx, actor, goal.id, {
        date: today,
        krValues: [
          { keyResultId: kr1.id, value: 3 },
          { keyResultId: kr2.id, value: 1 },
        ],
      });
      const after = await state(goal.id);
      // PostgreSQL: one bump (three before 0031). SQLite's row triggers bump once per row written.
      expect(after.revision - before.revision).toBe(d === "postgres" ? 1 : 3);
      // The report's tag for the goal's owner follows the check-in although, on PostgreSQL, the
      // private goal's change_seq no longer moves.
      if (d === "postgres") expect(after.seq).toBe(before.seq);
      const checked = await tagNow();
      expect(checked).not.toBe(tag);
      tag = checked;
      expect(await tagNow()).toBe(tag);
      // Each later statement bumps again, and the tag follows each: the key results alone, a
      // check-in without values, the goal's own row.
      const kinds: Array<() => Promise<unknown>> = [
        () =>
          db.store.db
            .updateTable("keyResults")
            .set({ currentValue: 7 })
            .where("goalId", "=", goal.id)
            .execute(),
        () => createCheckin(ctx, actor, goal.id, { date: today, krValues: [] }),
        () => db.store.db.updateTable("goals").set({ title: "Renamed" }).where("id", "=", goal.id).execute(),
      ];
      for (const write of kinds) {
        const was = await state(goal.id);
        await write();
        expect((await state(goal.id)).revision).toBeGreaterThan(was.revision);
        const next = await tagNow();
        expect(next).not.toBe(tag);
        tag = next;
      }
    },
  );

  it.skipIf(skip)(
    "a goal open to the workspace still takes a new change number on every bump, and the open goals' stamp moves",
    async () => {
      const { ctx, actor } = await actorFor(db.store);
      const goal = await createGoal(ctx, actor, buildGoal({ visibility: "workspace" }));
      const kr = await addKeyResult(ctx, actor, goal.id, {
        title: "Signups",
        startValue: 0,
        targetValue: 10,
      });
      const stamp = await workspaceOpenStamp(db.store.db, actor.workspaceId);
      const before = await state(goal.id);
      await createCheckin(ctx, actor, goal.id, {
        date: ctx.now().toISOString().slice(0, 10),
        krValues: [{ keyResultId: kr.id, value: 4 }],
      });
      const after = await state(goal.id);
      expect(after.revision).toBeGreaterThan(before.revision);
      expect(after.seq).toBeGreaterThan(before.seq);
      expect(await workspaceOpenStamp(db.store.db, actor.workspaceId)).not.toBe(stamp);
    },
  );

  // The row's own counts, read inside the writing transaction (pg_stat_xact_user_tables).
  if (d === "postgres")
    it.skipIf(skip)(
      "writes the goal's row once per statement, as a HOT update for a goal not open to the workspace; a second statement or a rolled-back savepoint does not lose a bump",
      async () => {
        const { ctx, actor } = await actorFor(db.store);
        const goal = await createGoal(ctx, actor, buildGoal({ visibility: "private" }));
        const kr1 = await addKeyResult(ctx, actor, goal.id, { title: "A", startValue: 0, targetValue: 10 });
        const kr2 = await addKeyResult(ctx, actor, goal.id, { title: "B", startValue: 0, targetValue: 10 });
        const before = await state(goal.id);
        const at = ctx.now().toISOString();
        const checkin = {
          goalId: goal.id,
          authorId: actor.userId,
          date: at.slice(0, 10),
          confidence: null,
          doneText: null,
          nextStep: null,
          note: null,
          krValues: [
            { keyResultId: kr1.id, value: 2 },
            { keyResultId: kr2.id, value: 3 },
          ],
          stepsDone: [],
          barriersHit: [],
          createdAt: at,
        };
        await db.store.db.transaction().execute(async (trx) => {
          const counts = async () => {
            const r = await sql<{ upd: string; hot: string; rev: number }>`
              select n_tup_upd as upd, n_tup_hot_upd as hot,
                (select revision from goals where id = ${goal.id}) as rev
              from pg_stat_xact_user_tables where relname = 'goals'`.execute(trx);
            const row = r.rows[0];
            return { updates: Number(row?.upd), hot: Number(row?.hot), revision: Number(row?.rev) };
          };
          const start = await counts();
          await recordCheckin(trx, "postgres", checkin, { updatedAt: at, event: null });
          const one = await counts();
          // One row version for the check-in and its two values (three before 0031), HOT.
          expect(one.updates - start.updates).toBe(1);
          expect(one.hot - start.hot).toBe(1);
          expect(one.revision).toBe(before.revision + 1);
          // The next statement of the same transaction bumps again.
          await trx
            .updateTable("keyResults")
            .set({ currentValue: 9 })
            .where("goalId", "=", goal.id)
            .execute();
          const two = await counts();
          expect(two.updates - one.updates).toBe(1);
          expect(two.revision).toBe(before.revision + 2);
          // A bump rolled back with its savepoint is not taken as done by the next statement.
          await sql`savepoint s`.execute(trx);
          await trx
            .updateTable("keyResults")
            .set({ currentValue: 8 })
            .where("goalId", "=", goal.id)
            .execute();
          await sql`rollback to savepoint s`.execute(trx);
          await trx
            .updateTable("keyResults")
            .set({ currentValue: 7 })
            .where("goalId", "=", goal.id)
            .execute();
          expect((await counts()).revision).toBe(before.revision + 3);
        });
        expect((await state(goal.id)).seq).toBe(before.seq);
      },
    );
});
