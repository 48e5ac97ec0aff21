/**
 * Migration 0027: every write of a goal gives it a new, larger `change_seq` from one source (on
 * both databases), the revision still moves once per write, and the stamp of the goals open to the
 * workspace moves with them.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal } from "../../../test/helpers/factories.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { createCheckin } from "../../app/checkins/checkins.js";
import { addKeyResult, createGoal, updateGoal } from "../../app/plans/goals.js";
import { migrate, optimizeStore } from "../db.js";
import { workspaceOpenStamp } from "../repos/reportrows.js";

describe.each(DIALECTS)("migration 0027 (a goal's change number) on %s", (d) => {
  const db = suiteStore(d);
  const { skip } = db;

  it.skipIf(skip)(
    "numbers every write of a goal above every number before it, and the stamp follows",
    async () => {
      const s = db.store.db;
      const { ctx, actor } = await actorFor(db.store);
      const state = async (id: number) => {
        const r = await s
          .selectFrom("goals")
          .select(["revision", "changeSeq"])
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        return { revision: Number(r.revision), seq: Number(r.changeSeq) };
      };
      const stamp = () => workspaceOpenStamp(s, actor.workspaceId);
      const empty = await stamp();
      const g1 = await createGoal(ctx, actor, buildGoal({ visibility: "workspace" }));
      const g2 = await createGoal(ctx, actor, buildGoal({ visibility: "private" }));
      const one = await state(g1.id);
      const two = await state(g2.id);
      expect(one.seq).toBeGreaterThan(0);
      expect(two.seq).toBeGreaterThan(one.seq);
      const withOne = await stamp();
      expect(withOne).not.toBe(empty);
      // A write to the goal's own row alone: the revision moves by one (the number's own update
      // does not move it), the number above all before.
      await s.updateTable("goals").set({ title: "Renamed" }).where("id", "=", g1.id).execute();
      const renamed = await state(g1.id);
      expect(renamed.revision).toBe(one.revision + 1);
      expect(renamed.seq).toBeGreaterThan(two.seq);
      const afterRename = await stamp();
      expect(afterRename).not.toBe(withOne);
      // A write to what the goal holds (a key result, a check-in) moves both through the triggers.
      const kr = await addKeyResult(ctx, actor, g1.id, { title: "Signups", startValue: 0, targetValue: 10 });
      const withKr = await state(g1.id);
      expect(withKr.revision).toBeGreaterThan(renamed.revision);
      expect(withKr.seq).toBeGreaterThan(renamed.seq);
      await createCheckin(ctx, actor, g1.id, {
        date: ctx.now().toISOString().slice(0, 10),
        krValues: [{ keyResultId: kr.id, value: 3 }],
      });
      const checked = await state(g1.id);
      expect(checked.seq).toBeGreaterThan(withKr.seq);
      const afterCheckin = await stamp();
      expect(afterCheckin).not.toBe(afterRename);
      // A write to a goal not open to the workspace leaves the stamp as it was.
      await updateGoal(ctx, actor, g2.id, { title: "Still private" });
      expect(await stamp()).toBe(afterCheckin);
      // Opened, then hidden again: the stamp moves each time; hidden, the open goals are again
      // exactly the ones (and the writes) of before, so the stamp is too.
      await updateGoal(ctx, actor, g2.id, { visibility: "workspace" });
      const opened = await stamp();
      expect(opened).not.toBe(afterCheckin);
      await updateGoal(ctx, actor, g2.id, { visibility: "private" });
      expect(await stamp()).not.toBe(opened);
      expect(await stamp()).toBe(afterCheckin);
    },
  );
});

describe.skipIf(!dialectAvailable("sqlite"))("migration 0027 on an analyzed SQLite database", () => {
  const db = suiteStore("sqlite", { upTo: "0026-step-key-results" });

  it("leaves goals' statistics whole, so the server's optimize does not re-read them from a sample", async () => {
    const s = db.store.db;
    const { actor } = await actorFor(db.store);
    // 3,000 goals in one workspace, more than the connection's sample of 1,000 rows.
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000)
      insert into goals (workspace_id, title, owner_id, visibility, status, priority, start_date,
        created_by, created_at, updated_at)
      select ${actor.workspaceId}, 'Goal ' || i, ${actor.userId},
        case when i % 30 = 0 then 'workspace' else 'team' end, 'active', 'medium', '2026-11-01',
        ${actor.userId}, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z' from n`.execute(s);
    await sql`pragma analysis_limit = 0`.execute(s);
    await sql`analyze`.execute(s);
    await sql`pragma analysis_limit = 1000`.execute(s);
    await migrate(db.store);
    await optimizeStore(db.store);
    const stats = await sql<{ idx: string; stat: string }>`select idx, stat from sqlite_stat1
      where tbl = 'goals'`.execute(s);
    const perWorkspace = stats.rows.find((r) => r.idx === "goals_workspace_id")?.stat.split(" ")[1];
    // Every goal is in one workspace: the statistics say so, not ~1,000 from a sample.
    expect(Number(perWorkspace)).toBeGreaterThanOrEqual(3000);
    expect(stats.rows.map((r) => r.idx)).toContain("goals_workspace_open_change_seq");
  });
});
