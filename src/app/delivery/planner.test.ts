import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { LATER, NOW, plannerSuite, SOON, statements } from "../../../test/helpers/suites.js";
import { openAndMigrate, type Store } from "../../store/db.js";
import { createPerson } from "../../store/repos/people.js";
import { withPlannerLock } from "../../store/repos/planner.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { createGoal } from "../plans/goals.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep } from "../plans/steps.js";
import { planNudges, planTick } from "./nudges.js";

describe.each(DIALECTS)("the nudge planner's tick on %s", (d) => {
  const f = plannerSuite(d);
  const { skip, ctxAt, keys } = f;
  const goal = () => f.goal({ dueDate: "2027-03-01" });

  it.skipIf(skip)("plans nothing and reads only its cursor when nothing changed", async () => {
    const g = await goal();
    await addStep(ctxAt(NOW), f.owner, g.id, { text: "Email Raj the deck", dueDate: "2026-11-22" });
    const first = await planTick(ctxAt(NOW));
    expect(first).toMatchObject({ planned: true, full: true });
    const queued = await keys();
    expect(queued.length).toBeGreaterThan(0);

    const rec = statements();
    const watched = ctxAt(SOON, { ...f.store, db: f.store.db.withPlugin(rec.plugin) });
    expect(await planTick(watched)).toEqual({
      planned: true,
      full: false,
      changes: 0,
      queued: 0,
      people: 0,
      known: 0,
    });
    // One query, of the planner's own row; on PostgreSQL also taking and leaving the lock (raw).
    const queries = rec.seen.filter((s) => s.kind !== "RawNode");
    expect(queries).toHaveLength(1);
    expect(queries[0]?.kind).toBe("SelectQueryNode");
    expect(queries[0]?.text).toContain("planner_state");
    expect(rec.seen.filter((s) => s.kind === "RawNode")).toHaveLength(d === "postgres" ? 2 : 0);
    expect(await keys()).toEqual(queued);
  });

  it.skipIf(skip)("picks up a new step written after its cursor, within the same quarter hour", async () => {
    const g = await goal();
    await planTick(ctxAt(NOW));
    const step = await addStep(ctxAt(SOON), f.owner, g.id, { text: "Call Dana", dueDate: "2026-11-22" });
    const tick = await planTick(ctxAt(SOON));
    expect(tick).toMatchObject({ planned: true, full: false });
    expect(tick.changes).toBeGreaterThan(0);
    expect(await keys("step-")).toEqual([`step-due-tomorrow:${step.id}:2026-11-22`]);
    // And once: the next tick has nothing new.
    expect(await planTick(ctxAt(LATER))).toMatchObject({ full: false, changes: 0, queued: 0 });
    expect(await keys("step-")).toEqual([`step-due-tomorrow:${step.id}:2026-11-22`]);
  });

  it.skipIf(skip)("picks up a check-in written after its cursor: the obstacle it hit", async () => {
    const dana = await createPerson(f.store.db, f.owner.workspaceId, "Dana", NOW);
    const g = await goal();
    const ctx = ctxAt("2026-11-01T09:00:00.000Z");
    await addResource(ctx, f.owner, g.id, { kind: "person", name: "Dana", ask: "Sign as deputy" });
    const barrier = await addBarrier(ctx, f.owner, g.id, {
      obstacle: "Sponsor approval slips past Friday",
      planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
    });
    await planTick(ctxAt(NOW));
    expect(await keys("obstacle-hit:")).toEqual([]);
    await createCheckin(ctxAt(SOON), f.owner, g.id, { date: "2026-11-21", barriersHit: [barrier.id] });
    expect(await planTick(ctxAt(SOON))).toMatchObject({ planned: true, full: false });
    expect((await keys("obstacle-hit:")).map((k) => k.split(":")[3])).toEqual([String(dana.id)]);
  });

  it.skipIf(skip)("queues what a full pass of the planner queues, in ticks", async () => {
    const g = await goal();
    await planTick(ctxAt(NOW));
    await addStep(ctxAt(SOON), f.owner, g.id, { text: "Draft the welcome email", dueDate: "2026-11-21" });
    await addStep(ctxAt(SOON), f.owner, g.id, { text: "Call Dana", dueDate: "2026-11-19" });
    await planTick(ctxAt(SOON));
    const byTicks = await keys();
    // A full pass now adds nothing the ticks missed.
    expect((await planNudges(ctxAt(LATER))).queued).toBe(0);
    expect(await keys()).toEqual(byTicks);
  });
});

describe("the nudge planner on two instances of one PostgreSQL", () => {
  const skip = !dialectAvailable("postgres");
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  const NOW = "2026-11-21T10:00:00.000Z";
  const ctxAt = (iso: string, store: Store = db.store): AppContext => fixedContext(store, iso);

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore("postgres");
    owner = (await actorFor(db.store, NOW)).actor;
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function keys(): Promise<string[]> {
    const rows = await db.store.db.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
    return rows.map((r) => r.dedupeKey);
  }

  async function goal() {
    return createGoal(ctxAt("2026-11-01T09:00:00.000Z"), owner, {
      title: "Launch the newsletter",
      startDate: "2026-11-18",
      dueDate: "2027-03-01",
      visibility: "workspace",
    });
  }

  it.skipIf(skip)("lets one of two instances on one PostgreSQL plan", async () => {
    const other = await openAndMigrate(db.config);
    try {
      const g = await goal();
      await addStep(ctxAt(NOW), owner, g.id, { text: "Email Raj the deck", dueDate: "2026-11-22" });
      // While one instance holds the planner's lock, the other's tick plans nothing.
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let entered = () => {};
      const inside = new Promise<void>((r) => {
        entered = r;
      });
      const holder = withPlannerLock(db.store.db, "postgres", async () => {
        entered();
        await held;
        return "held";
      });
      await inside;
      expect(await planTick(ctxAt(NOW, other))).toEqual({
        planned: false,
        full: false,
        changes: 0,
        queued: 0,
        people: 0,
        known: 0,
      });
      expect(await keys()).toEqual([]);
      release();
      expect(await holder).toBe("held");
      // Both at once: exactly one makes the full pass, and every nudge is queued once.
      const [a, b] = await Promise.all([planTick(ctxAt(NOW)), planTick(ctxAt(NOW, other))]);
      expect([a, b].filter((t) => t.full)).toHaveLength(1);
      const all = await keys();
      expect(new Set(all).size).toBe(all.length);
      expect(all.filter((k) => k.startsWith("step-due-tomorrow:"))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
