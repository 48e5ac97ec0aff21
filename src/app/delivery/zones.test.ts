/**
 * The planner's tick plans by time zone (issue 17): on a slot change only the people whose local
 * day changed (their zone passed midnight) or whose weekly hour came are planned; a restart is not
 * a full pass; the nudges and their dedupe keys are those of the full pass.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { openAndMigrate, type Store } from "../../store/db.js";
import { createPerson } from "../../store/repos/people.js";
import { logEnds, savePlannerState } from "../../store/repos/planner.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { updateSettings } from "../people/settings.js";
import { createGoal } from "../plans/goals.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep } from "../plans/steps.js";
import { NUDGE_PLANNER, planNudges, planTick } from "./nudges.js";

describe.each(DIALECTS)("the planner's tick by time zone on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let tokyo: Actor;
  let newYork: Actor;
  let tokyoStep: number;
  let newYorkStep: number;
  let timedStep: number;
  const ctxAt = (iso: string, store: Store = db.store): AppContext => fixedContext(store, iso);
  /** Saturday 2026-11-21, 12:00 UTC: 21:00 in Tokyo, 07:00 in New York. */
  const FIRST = "2026-11-21T12:00:00.000Z";

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    const before = "2026-11-20T09:00:00.000Z";
    tokyo = (await actorFor(db.store, before)).actor;
    const ny = await createPerson(db.store.db, tokyo.workspaceId, "Nia", before);
    newYork = { userId: ny.id, workspaceId: tokyo.workspaceId };
    await updateSettings(ctxAt(before), tokyo, { quietHours: null, timeZone: "Asia/Tokyo" });
    await updateSettings(ctxAt(before), newYork, {
      quietHours: null,
      timeZone: "America/New_York",
      weeklyPrompt: { day: 0, hour: 9 },
    });
    const goal = {
      title: "Launch the newsletter",
      startDate: "2026-11-18",
      visibility: "workspace",
    } as const;
    const tg = await createGoal(ctxAt(before), tokyo, goal);
    const ng = await createGoal(ctxAt(before), newYork, { ...goal, title: "Run the 10k" });
    // Due Sunday 2026-11-22 in each person's own zone.
    tokyoStep = (await addStep(ctxAt(before), tokyo, tg.id, { text: "Email Raj", dueDate: "2026-11-22" })).id;
    timedStep = (
      await addStep(ctxAt(before), tokyo, tg.id, {
        text: "Call Dana",
        dueDate: "2026-11-22",
        dueTime: "09:30",
      })
    ).id;
    newYorkStep = (await addStep(ctxAt(before), newYork, ng.id, { text: "Run 5 km", dueDate: "2026-11-22" }))
      .id;
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function jobs(prefix: string): Promise<{ key: string; runAt: string }[]> {
    const rows = await db.store.db
      .selectFrom("jobs")
      .select(["dedupeKey", "runAt"])
      .orderBy("dedupeKey")
      .execute();
    return rows
      .filter((r) => r.dedupeKey.startsWith(prefix))
      .map((r) => ({ key: r.dedupeKey, runAt: r.runAt }));
  }
  const keys = async (prefix: string) => (await jobs(prefix)).map((j) => j.key);

  it.skipIf(skip)(
    "plans each zone's people at their own midnight, and nobody in a slot where no zone changed",
    async () => {
      const first = await planTick(ctxAt(FIRST));
      expect(first).toMatchObject({ planned: true, full: true, people: 2 });
      expect(await keys("step-due-tomorrow:")).toEqual([
        `step-due-tomorrow:${tokyoStep}:2026-11-22`,
        `step-due-tomorrow:${timedStep}:2026-11-22`,
        `step-due-tomorrow:${newYorkStep}:2026-11-22`,
      ]);
      expect(await keys("step-due-today:")).toEqual([]);

      // 15:05 UTC: 00:05 on Sunday in Tokyo, still Saturday in New York.
      const tokyoMidnight = await planTick(ctxAt("2026-11-21T15:05:00.000Z"));
      expect(tokyoMidnight).toMatchObject({ full: false, people: 1 });
      expect(await keys("step-due-today:")).toEqual([`step-due-today:${tokyoStep}:2026-11-22`]);

      // The next quarter hour: no zone passed midnight, nobody's weekly hour came.
      expect(await planTick(ctxAt("2026-11-21T15:20:00.000Z"))).toEqual({
        planned: true,
        full: false,
        changes: 0,
        queued: 0,
        people: 0,
        known: 0,
      });

      // 09:31 in Tokyo: the timed step comes at its time, queued for 09:30 sharp.
      const timed = await planTick(ctxAt("2026-11-22T00:31:00.000Z"));
      expect(timed).toMatchObject({ people: 1 });
      // (and the day's stall scans: the UTC day changed too)
      expect(await keys("stall-scan:")).toEqual([
        `stall-scan:${tokyo.workspaceId}:2026-11-21`,
        `stall-scan:${tokyo.workspaceId}:2026-11-22`,
      ]);
      expect(await jobs(`step-due-today:${timedStep}:`)).toEqual([
        { key: `step-due-today:${timedStep}:2026-11-22`, runAt: "2026-11-22T00:30:00.000Z" },
      ]);

      // 23:50 on Saturday in New York: still nothing for Nia.
      expect(await planTick(ctxAt("2026-11-22T04:50:00.000Z"))).toMatchObject({ people: 0, queued: 0 });
      expect(await keys(`step-due-today:${newYorkStep}:`)).toEqual([]);

      // 00:01 on Sunday in New York (05:01 UTC): Nia's step due today, and only Nia planned.
      const nyMidnight = await planTick(ctxAt("2026-11-22T05:01:00.000Z"));
      expect(nyMidnight).toMatchObject({ full: false, people: 1 });
      expect(await keys("step-due-today:")).toEqual([
        `step-due-today:${tokyoStep}:2026-11-22`,
        `step-due-today:${timedStep}:2026-11-22`,
        `step-due-today:${newYorkStep}:2026-11-22`,
      ]);

      // A full pass now adds nothing the ticks missed: no nudge lost, none twice.
      const byTicks = await keys("");
      expect((await planNudges(ctxAt("2026-11-22T05:10:00.000Z"))).queued).toBe(0);
      expect(await keys("")).toEqual(byTicks);
    },
  );

  it.skipIf(skip)("does not plan everyone again after a restart", async () => {
    await planTick(ctxAt(FIRST));
    const before = await keys("");
    // A new instance on the same database, a few minutes later in the next slot.
    const again = await openAndMigrate(db.config);
    try {
      const tick = await planTick(ctxAt("2026-11-21T12:16:00.000Z", again));
      expect(tick).toMatchObject({ planned: true, full: false, people: 0, queued: 0 });
      expect(await keys("")).toEqual(before);
      // After a longer stop: only the zone that passed midnight meanwhile (Tokyo) is planned.
      const later = await planTick(ctxAt("2026-11-21T16:00:00.000Z", again));
      expect(later).toMatchObject({ full: false, people: 1 });
      expect(await keys("step-due-today:")).toEqual([`step-due-today:${tokyoStep}:2026-11-22`]);
    } finally {
      await again.close();
    }
  });

  it.skipIf(skip)("still prompts weekly on the chosen local day and hour", async () => {
    await planTick(ctxAt(FIRST));
    // Sunday 08:50 in New York: not yet.
    await planTick(ctxAt("2026-11-22T13:50:00.000Z"));
    expect(await keys("weekly-prompt:")).toEqual([]);
    // Sunday 09:00 in New York: Nia's prompt, once.
    const nine = await planTick(ctxAt("2026-11-22T14:00:00.000Z"));
    expect(nine).toMatchObject({ people: 1 });
    expect(await keys("weekly-prompt:")).toEqual([`weekly-prompt:${newYork.userId}:2026-11-22`]);
    expect(await planTick(ctxAt("2026-11-22T14:15:00.000Z"))).toMatchObject({ people: 0, queued: 0 });
    expect(await keys("weekly-prompt:")).toEqual([`weekly-prompt:${newYork.userId}:2026-11-22`]);
  });

  it.skipIf(skip)("plans a person who changed their time zone at the next slot", async () => {
    await planTick(ctxAt(FIRST));
    // Nia flies to Tokyo at 15:10 UTC, where it is already Sunday.
    await updateSettings(ctxAt("2026-11-21T15:10:00.000Z"), newYork, { timeZone: "Asia/Tokyo" });
    const tick = await planTick(ctxAt("2026-11-21T15:20:00.000Z"));
    expect(tick.people).toBe(2);
    expect(await keys(`step-due-today:${newYorkStep}:`)).toEqual([
      `step-due-today:${newYorkStep}:2026-11-22`,
    ]);
  });
});

describe("the planner's slot change on PostgreSQL", () => {
  const skip = !dialectAvailable("postgres");
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  const ctxAt = (iso: string): AppContext => fixedContext(db.store, iso);
  const NOW = "2026-11-21T10:00:00.000Z";

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore("postgres");
    owner = (await actorFor(db.store, NOW)).actor;
  });
  afterEach(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("plans again an event its cursor passed over (an id that committed late)", async () => {
    const dana = await createPerson(db.store.db, owner.workspaceId, "Dana", NOW);
    const ctx = ctxAt("2026-11-01T09:00:00.000Z");
    const g = await createGoal(ctx, owner, {
      title: "Launch the newsletter",
      startDate: "2026-11-18",
      visibility: "workspace",
    });
    await addResource(ctx, owner, g.id, { kind: "person", name: "Dana", ask: "Sign as deputy" });
    const barrier = await addBarrier(ctx, owner, g.id, {
      obstacle: "Sponsor approval slips past Friday",
      planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
    });
    await planTick(ctxAt(NOW));
    await createCheckin(ctxAt("2026-11-21T10:05:00.000Z"), owner, g.id, {
      date: "2026-11-21",
      barriersHit: [barrier.id],
    });
    // The cursor moved past the check-in's event without planning it (it committed after a later id).
    const ends = await logEnds(db.store.db);
    await savePlannerState(db.store.db, NUDGE_PLANNER, { ...ends, slot: "2026-11-21T10:00" }, NOW);
    expect(await planTick(ctxAt("2026-11-21T10:07:00.000Z"))).toMatchObject({ changes: 0, queued: 0 });
    // The next slot plans it again: Dana hears of the obstacle, once.
    await planTick(ctxAt("2026-11-21T10:16:00.000Z"));
    await planTick(ctxAt("2026-11-21T10:31:00.000Z"));
    const keys = (await db.store.db.selectFrom("jobs").select("dedupeKey").execute())
      .map((r) => r.dedupeKey)
      .filter((k) => k.startsWith("obstacle-hit:"));
    expect(keys.map((k) => k.split(":")[3])).toEqual([String(dana.id)]);
  });
});
