/**
 * The planner lets requests in while it plans a busy tick (issue 17: the endpoints' p99 with the
 * scheduler on within 10 % of it off). SQLite's statements run synchronously, so a tick that planned
 * every changed goal in one go held every request queued behind it until it ended.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor } from "../context.js";
import { createGoal } from "../plans/goals.js";
import { addStep } from "../plans/steps.js";
import { GOALS_PER_SLICE, planTick } from "./nudges.js";

describe.each(DIALECTS)("a busy tick of the planner on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let me: Actor;
  const goals: number[] = [];
  const BEFORE = "2026-11-20T09:00:00.000Z";
  const NOW = "2026-11-21T10:00:00.000Z";

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    me = (await actorFor(db.store, BEFORE)).actor;
    goals.length = 0;
    for (let i = 0; i < GOALS_PER_SLICE * 2 + 5; i++) {
      const g = await createGoal(fixedContext(db.store, BEFORE), me, {
        title: `Goal ${i}`,
        startDate: "2026-11-01",
      });
      await addStep(fixedContext(db.store, BEFORE), me, g.id, {
        text: `Email Raj ${i}`,
        dueDate: "2026-11-21",
      });
      goals.push(g.id);
    }
    await planTick(fixedContext(db.store, BEFORE));
  });
  afterEach(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("lets a waiting request run before it has planned every changed goal", async () => {
    const ctx = fixedContext(db.store, NOW);
    for (const id of goals) await createCheckin(ctx, me, id, { note: "Done the first part" });
    let tickEnded = false;
    let ranDuringTick: boolean | null = null;
    const tick = planTick(ctx).then((r) => {
      tickEnded = true;
      return r;
    });
    // A request arriving while the tick runs: it is served on the event loop's next turn.
    setImmediate(() => {
      ranDuringTick = !tickEnded;
    });
    const result = await tick;
    expect(result.changes).toBeGreaterThanOrEqual(goals.length);
    expect(ranDuringTick).toBe(true);
    // And the tick still planned every goal's step due today, however it was cut.
    const keys = await db.store.db.selectFrom("jobs").select("dedupeKey").execute();
    const dueToday = keys.filter((k) => k.dedupeKey.startsWith("step-due-today:"));
    expect(dueToday.length).toBe(goals.length);
  });
});
