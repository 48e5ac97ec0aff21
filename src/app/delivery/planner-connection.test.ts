/**
 * The planner's own connection (issue 17, sched25): on PostgreSQL a tick takes its lock and plans
 * the changes through a connection of its own (`plannerDb`), not one of the pool the requests
 * wait for, so a tick planning beside a full pool neither waits for a request's connection nor
 * keeps one from a request. What it plans is the same either way.
 */
import type { KyselyPlugin } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { REQUEST_POOL_SIZE, type Store } from "../../store/db.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { updateSettings } from "../people/settings.js";
import { createGoal } from "../plans/goals.js";
import { addStep } from "../plans/steps.js";
import { planTick } from "./nudges.js";

/** A plugin that changes nothing: a store whose db carries one plans through that db. */
const NOTHING: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => args.result,
};

describe.each(DIALECTS)("the planner's connection on %s", (d) => {
  const skip = !dialectAvailable(d);
  const stores: Awaited<ReturnType<typeof freshStore>>[] = [];
  /** Saturday 2026-11-21, all in one quarter hour (every tick after the first is the cursor path). */
  const NOW = "2026-11-21T10:00:00.000Z";
  const SOON = "2026-11-21T10:05:00.000Z";
  const LATER = "2026-11-21T10:10:00.000Z";
  const ctxAt = (store: Store, iso: string): AppContext => fixedContext(store, iso);

  beforeEach(() => {
    stores.length = 0;
  });
  afterEach(async () => {
    for (const s of stores) await s.dispose();
  });

  /** A workspace whose planner made its first pass, then a goal with a step and a check-in after it. */
  async function workspace(): Promise<{ store: Store; owner: Actor; goalId: number }> {
    const db = await freshStore(d);
    stores.push(db);
    const owner = (await actorFor(db.store, NOW)).actor;
    await updateSettings(ctxAt(db.store, NOW), owner, { quietHours: null });
    expect((await planTick(ctxAt(db.store, NOW))).full).toBe(true);
    const g = await createGoal(ctxAt(db.store, NOW), owner, {
      title: "Launch the newsletter",
      startDate: "2026-11-18",
      visibility: "workspace",
    });
    await addStep(ctxAt(db.store, NOW), owner, g.id, { text: "Email Raj the deck", dueDate: "2026-11-22" });
    await createCheckin(ctxAt(db.store, SOON), owner, g.id, {
      confidence: "on-track",
      doneText: "Drafted it",
    });
    return { store: db.store, owner, goalId: g.id };
  }

  async function keys(store: Store): Promise<string[]> {
    const rows = await store.db.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
    return rows.map((r) => r.dedupeKey);
  }

  it.skipIf(skip)(
    "plans the same through the planner's connection as through the requests' pool",
    async () => {
      const a = await workspace();
      const b = await workspace();
      const own = await planTick(ctxAt(a.store, LATER));
      // A store whose db carries a plugin plans through that db: the requests' pool.
      const pooled = await planTick(ctxAt({ ...b.store, db: b.store.db.withPlugin(NOTHING) }, LATER));
      expect(own).toEqual(pooled);
      expect(own.changes).toBeGreaterThan(0);
      expect((await keys(a.store)).map((k) => k.replace(String(a.goalId), "G"))).toEqual(
        (await keys(b.store)).map((k) => k.replace(String(b.goalId), "G")),
      );
      expect(await keys(a.store)).not.toEqual([]);
    },
  );

  if (d === "postgres")
    it.skipIf(skip)(
      "plans while requests hold every connection of the pool, and takes none of them",
      async () => {
        const { store } = await workspace();
        // Requests in flight: every connection of the pool held until the tick is over.
        let release = () => {};
        const held = new Promise<void>((r) => {
          release = r;
        });
        let taken = 0;
        let allTaken = () => {};
        const full = new Promise<void>((r) => {
          allTaken = r;
        });
        const holders = Array.from({ length: REQUEST_POOL_SIZE }, () =>
          store.db.connection().execute(async () => {
            if (++taken === REQUEST_POOL_SIZE) allTaken();
            await held;
          }),
        );
        await full;
        try {
          // Before sched25 the tick waited for one of those connections: it never finished here.
          const tick = await Promise.race([
            planTick(ctxAt(store, LATER)),
            new Promise<"waited">((r) => setTimeout(() => r("waited"), 10_000)),
          ]);
          expect(tick).not.toBe("waited");
          expect(tick).toMatchObject({ planned: true, full: false });
          expect((tick as { changes: number }).changes).toBeGreaterThan(0);
        } finally {
          release();
          await Promise.all(holders);
        }
        expect((await keys(store)).some((k) => k.startsWith("step-"))).toBe(true);
      },
    );
});
