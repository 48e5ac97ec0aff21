import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext, NOW } from "../../../test/helpers/factories.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { createGoal } from "./goals.js";
import { addStep } from "./steps.js";
import { myWeekView } from "./weekview.js";

/** Counts the queries run through a store (each execution, reads and writes). */
function counting(ctx: AppContext): { ctx: AppContext; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (a) => {
      n++;
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  return { ctx: { ...ctx, store: { ...ctx.store, db: ctx.store.db.withPlugin(plugin) } }, count: () => n };
}

describe.each(DIALECTS)("my week in one answer on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let actor: Actor;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    actor = (await actorFor(db.store)).actor;
  });
  afterAll(async () => db?.dispose());

  async function goals(n: number) {
    const ctx = fixedContext(db.store, "2026-11-02T10:00:00.000Z");
    for (let i = 0; i < n; i++) {
      const g = await createGoal(ctx, actor, {
        title: `Goal number ${i}`,
        startDate: "2026-11-02",
        dueDate: "2027-02-01",
      });
      await addStep(ctx, actor, g.id, { text: `Email partner ${i} the draft`, dueDate: "2026-11-20" });
      await createCheckin(ctx, actor, g.id, { confidence: "on-track" });
    }
  }

  it.skipIf(skip)(
    "answers every goal's status, check-in due and wins in a fixed number of queries",
    async () => {
      await goals(2);
      const first = counting(fixedContext(db.store, NOW));
      await myWeekView(first.ctx, actor);
      const warm = counting(fixedContext(db.store, NOW));
      const two = await myWeekView(warm.ctx, actor);
      expect(two.goals).toHaveLength(2);

      await goals(10);
      const cold = counting(fixedContext(db.store, NOW));
      const twelve = await myWeekView(cold.ctx, actor);
      expect(twelve.goals).toHaveLength(12);
      // Computing the new goals' roll-ups is batched: the count does not grow with the goals.
      expect(cold.count()).toBeLessThanOrEqual(first.count());
      const again = counting(fixedContext(db.store, NOW));
      await myWeekView(again.ctx, actor);
      expect(again.count()).toBe(warm.count());

      const g = twelve.goals[0];
      expect(g?.lastCheckin?.date).toBe("2026-11-02");
      expect(g?.checkinDue).toBe("2026-11-09");
      expect(g?.status).toMatchObject({ mode: expect.any(String), pace: expect.any(String) });
      expect(twelve.from).toBe("2026-11-16");
      expect(twelve.asOf).toBe("2026-11-21");
    },
  );
});
