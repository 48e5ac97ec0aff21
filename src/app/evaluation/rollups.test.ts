import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { rollupsOf } from "../../store/repos/rollups.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { createTeam } from "../people/accounts.js";
import { addKeyResult, createGoal, getGoalOrThrow, updateGoal, updateKeyResult } from "../plans/goals.js";
import { addBarrier } from "../plans/resources.js";
import { addStep, completeStep, updateStep } from "../plans/steps.js";
import { type TeamOverview, teamOverview } from "../reports/teamview.js";
import { stampOf } from "./rollup.js";
import { goalRollups } from "./rollups.js";

// The team view reads stored per-goal roll-ups. After every kind of write, what it shows must be
// exactly what evaluating every goal afresh shows.
describe.each(DIALECTS)("stored goal roll-ups on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let actor: Actor;
  let teamId: number;
  const goals: { id: number; krId: number; stepId: number }[] = [];
  const on = (day: string): AppContext => fixedContext(db.store, `${day}T10:00:00.000Z`);

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    actor = (await actorFor(db.store)).actor;
    const ctx = on("2026-11-01");
    teamId = (await createTeam(ctx, actor, { name: "Growth" })).id;
    for (const title of ["Grow the newsletter", "Launch the podcast", "Hire a designer"]) {
      const goal = await createGoal(
        ctx,
        actor,
        buildGoal({ title, teamId, visibility: "team", startDate: "2026-11-01", dueDate: "2026-12-31" }),
      );
      const kr = await addKeyResult(ctx, actor, goal.id, {
        title: "Progress",
        startValue: 0,
        targetValue: 10,
      });
      const step = await addStep(ctx, actor, goal.id, { text: "Email Raj the deck", dueDate: "2026-11-18" });
      goals.push({ id: goal.id, krId: kr.id, stepId: step.id });
    }
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const stored = () =>
    db.store.db
      .selectFrom("goalRollups")
      .select(["goalId", "asOf", "computedAt"])
      .orderBy("goalId")
      .execute();

  /** The overview read through the roll-ups, and the same overview with every roll-up dropped first. */
  async function readBoth(ctx: AppContext, query: Record<string, unknown> = {}) {
    const cached = await teamOverview(ctx, actor, teamId, query);
    await db.store.db.deleteFrom("goalRollups").execute();
    const fresh = await teamOverview(ctx, actor, teamId, query, { stored: false });
    return { cached, fresh };
  }

  it.skipIf(skip)("stores one roll-up per goal and reuses it while nothing changes", async () => {
    const ctx = on("2026-11-21");
    const first = await teamOverview(ctx, actor, teamId);
    const rows = await stored();
    expect(rows.map((r) => r.goalId)).toEqual(goals.map((g) => g.id));
    expect(rows.every((r) => r.asOf === "2026-11-21")).toBe(true);
    // Read again an hour later: the same answer, from the same roll-ups.
    const later = fixedContext(db.store, "2026-11-21T11:00:00.000Z");
    expect(await teamOverview(later, actor, teamId)).toEqual(first);
    expect(await stored()).toEqual(rows);
  });

  it.skipIf(skip)("does not serve a roll-up stored by another version of the code", async () => {
    const ctx = on("2026-11-21");
    const id = (goals[0] as (typeof goals)[0]).id;
    const goal = await getGoalOrThrow(ctx, actor, id);
    const owner = await db.store.db
      .selectFrom("users")
      .select("name")
      .where("id", "=", goal.ownerId)
      .executeTakeFirstOrThrow();
    const read = async () =>
      (
        await goalRollups(
          db.store.db,
          actor.workspaceId,
          [goal],
          new Map([[goal.ownerId, owner.name]]),
          "2026-11-21",
          "2026-11-21",
          "2026-11-21T10:00:00.000Z",
          "2026-10-25",
        )
      )[0]?.rollup;
    const first = await read();
    const row = () =>
      db.store.db.selectFrom("goalRollups").selectAll().where("goalId", "=", id).executeTakeFirstOrThrow();
    const mine = (await row()).stamp;
    const { wins: _, ...data } = first as NonNullable<typeof first>;
    const mark = (stamp: string) =>
      db.store.db
        .updateTable("goalRollups")
        .set({ stamp, dataJson: JSON.stringify({ ...data, progress: 0.4242 }) })
        .where("goalId", "=", id)
        .execute();
    // Under this version's stamp the stored row is what is read: a mark in it comes back.
    await mark(mine);
    expect((await read())?.progress).toBe(0.4242);
    // The same goal and rows, stamped by another version of the code: computed again, restamped.
    const [stored] = await rollupsOf(db.store.db, [id], false);
    const theirs = stampOf(goal, stored, owner.name, "rollup.0/rules.0");
    expect(theirs).not.toBe(mine);
    await mark(theirs);
    expect(await read()).toEqual(first);
    expect((await row()).stamp).toBe(mine);
  });

  it.skipIf(skip)("shows every kind of write at once, as a fresh evaluation does", async () => {
    const ctx = on("2026-11-21");
    const [a, b, c] = goals as [(typeof goals)[0], (typeof goals)[0], (typeof goals)[0]];
    let before: TeamOverview = await teamOverview(ctx, actor, teamId);
    const writes: [string, () => Promise<unknown>, (o: TeamOverview) => void][] = [
      [
        "a check-in at risk",
        () =>
          createCheckin(ctx, actor, a.id, {
            confidence: "at-risk",
            krValues: [{ keyResultId: a.krId, value: 2 }],
          }),
        (o) => expect(o.atRisk.find((g) => g.goalId === a.id)?.confidence).toBe("at-risk"),
      ],
      [
        "a step done",
        () => completeStep(ctx, actor, b.stepId),
        (o) => expect(o.wins.some((w) => w.type === "step-done" && w.goalId === b.id)).toBe(true),
      ],
      [
        "a key result moved by hand",
        () => updateKeyResult(ctx, actor, c.krId, { currentValue: 9, reason: "Counted again" }),
        (o) => expect(o.alignment.goals.find((g) => g.goalId === c.id)?.progress).toBeCloseTo(0.9),
      ],
      [
        "a due date moved",
        () => updateGoal(ctx, actor, b.id, { dueDate: "2026-11-25", reason: "Launch moved" }),
        (o) => expect(o.atRisk.some((g) => g.goalId === b.id)).toBe(true),
      ],
      [
        "a new step due in the window",
        () => addStep(ctx, actor, c.id, { text: "Call the recruiter", dueDate: "2026-11-19" }),
        (o) => expect(o.missed).toBeGreaterThan(before.missed),
      ],
      [
        // Moved after it was due: still missed for the week it was due (issue 14), and counted as moved.
        "a step's due date",
        () => updateStep(ctx, actor, a.stepId, { dueDate: "2026-12-20", reason: "The venue moved the date" }),
        (o) => expect([o.missed, o.moved]).toEqual([before.missed, before.moved + 1]),
      ],
      [
        "an obstacle hit",
        async () => {
          const barrier = await addBarrier(ctx, actor, c.id, {
            obstacle: "No budget",
            planB: "Ask the board",
          });
          await createCheckin(ctx, actor, c.id, { barriersHit: [barrier.id] });
        },
        (o) => expect(o.obstacles.map((x) => x.goalId)).toContain(c.id),
      ],
      [
        "a goal done",
        () => updateGoal(ctx, actor, a.id, { status: "done" }),
        (o) => expect(o.atRisk.some((g) => g.goalId === a.id)).toBe(false),
      ],
    ];
    for (const [what, write, shows] of writes) {
      await write();
      const { cached, fresh } = await readBoth(ctx);
      expect(cached, what).toEqual(fresh);
      shows(cached);
      before = cached;
    }
  });

  it.skipIf(skip)("evaluates again on the next day, and stores nothing for a past day", async () => {
    await teamOverview(on("2026-11-21"), actor, teamId);
    const next = await readBoth(on("2026-11-24"));
    expect(next.cached).toEqual(next.fresh);
    expect((await stored()).every((r) => r.asOf === "2026-11-24")).toBe(true);
    // A window longer than four weeks reads the older wins too; they were stored above.
    // On 30 December the November wins are older than four weeks.
    await teamOverview(on("2026-12-30"), actor, teamId);
    const long = await readBoth(on("2026-12-30"), { weeks: 12 });
    expect(long.cached).toEqual(long.fresh);
    expect(long.cached.wins.some((w) => w.date < "2026-12-03")).toBe(true);
    expect(
      (await teamOverview(on("2026-12-30"), actor, teamId)).wins.some((w) => w.date < "2026-12-03"),
    ).toBe(false);
    const past = await readBoth(on("2026-11-24"), { asOf: "2026-11-15" });
    expect(past.cached).toEqual(past.fresh);
    expect(past.cached.asOf).toBe("2026-11-15");
    // readBoth dropped every roll-up between its reads, and reading a past day stored none.
    expect(await stored()).toEqual([]);
  });
});
