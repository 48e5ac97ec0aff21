/**
 * Reminders at a chosen time (issue 19): a step with a time of day is nudged on its due day at
 * that time on its owner's wall clock, not at the start of the day; steps without one are not moved.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { runDueJobs } from "../../jobs/worker.js";
import type { Actor, AppContext } from "../context.js";
import { updateSettings } from "../people/settings.js";
import { createGoal } from "../plans/goals.js";
import { addStep, updateStep } from "../plans/steps.js";
import { inbox } from "./notices.js";
import { planNudges } from "./nudges.js";

describe.each(DIALECTS)("nudges at a step's time of day on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  const ctxAt = (iso: string): AppContext => fixedContext(db.store, iso);
  /** Saturday 2026-11-21, 08:00 UTC: 09:00 in Berlin. */
  const MORNING = "2026-11-21T08:00:00.000Z";

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    owner = (await actorFor(db.store, MORNING)).actor;
    await updateSettings(ctxAt(MORNING), owner, { quietHours: null, timeZone: "Europe/Berlin" });
  });
  afterEach(async () => db?.dispose());

  async function dueToday(): Promise<{ key: string; runAt: string }[]> {
    const rows = await db.store.db
      .selectFrom("jobs")
      .select(["dedupeKey", "runAt"])
      .orderBy("dedupeKey")
      .execute();
    return rows
      .filter((r) => r.dedupeKey.startsWith("step-due-today"))
      .map((r) => ({ key: r.dedupeKey, runAt: r.runAt }));
  }

  it.skipIf(skip)(
    "nudges a timed step at its time in the owner's zone, and an untimed one in the morning",
    async () => {
      const ctx = ctxAt("2026-11-01T09:00:00.000Z");
      const g = await createGoal(ctx, owner, { title: "Launch the newsletter", startDate: "2026-11-18" });
      const timed = await addStep(ctx, owner, g.id, {
        text: "Call the printer",
        dueDate: "2026-11-21",
        dueTime: "15:30",
      });
      const plain = await addStep(ctx, owner, g.id, {
        text: "Draft the welcome email",
        dueDate: "2026-11-21",
      });

      await planNudges(ctxAt(MORNING));
      expect(await dueToday()).toEqual([{ key: `step-due-today:${plain.id}:2026-11-21`, runAt: MORNING }]);
      // 15:29 in Berlin: not yet.
      await planNudges(ctxAt("2026-11-21T14:29:00.000Z"));
      expect((await dueToday()).map((j) => j.key)).not.toContain(`step-due-today:${timed.id}:2026-11-21`);
      // 15:31 in Berlin (14:31 UTC): queued for 15:30 sharp, once.
      await planNudges(ctxAt("2026-11-21T14:31:00.000Z"));
      await planNudges(ctxAt("2026-11-21T14:45:00.000Z"));
      expect(await dueToday()).toContainEqual({
        key: `step-due-today:${timed.id}:2026-11-21`,
        runAt: "2026-11-21T14:30:00.000Z",
      });
      expect((await dueToday()).length).toBe(2);
      await runDueJobs(ctxAt("2026-11-21T14:31:00.000Z"), new Date("2026-11-21T14:31:00.000Z"));
      const items = await inbox(ctxAt("2026-11-21T14:31:00.000Z"), owner, {});
      const nudge = items.find((i) => i.payload.stepId === timed.id);
      expect(nudge?.type).toBe("nudge.step-due-today");
      expect(nudge?.payload).toMatchObject({ dueTime: "15:30", link: `/goals/${g.id}#step-${timed.id}` });
      // The inbox line says the time too (and the email's subject, made from the same words).
      expect(nudge?.message).toContain("is due today at 15:30");
    },
  );

  it.skipIf(skip)("follows a time changed earlier on the due day", async () => {
    const ctx = ctxAt("2026-11-01T09:00:00.000Z");
    const g = await createGoal(ctx, owner, { title: "Launch the newsletter", startDate: "2026-11-18" });
    const step = await addStep(ctx, owner, g.id, {
      text: "Call the printer",
      dueDate: "2026-11-21",
      dueTime: "11:00",
    });
    await updateStep(ctxAt(MORNING), owner, step.id, { dueTime: "17:00" });
    // 11:05 in Berlin: the old time has passed, the new one has not.
    await planNudges(ctxAt("2026-11-21T10:05:00.000Z"));
    expect(await dueToday()).toEqual([]);
    await planNudges(ctxAt("2026-11-21T16:00:00.000Z"));
    expect(await dueToday()).toEqual([
      { key: `step-due-today:${step.id}:2026-11-21`, runAt: "2026-11-21T16:00:00.000Z" },
    ]);
  });
});
