import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliJson } from "../../../test/helpers/cli.js";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { goalStatus } from "../../app/evaluation/status.js";
import { addKeyResult, createGoal } from "../../app/plans/goals.js";
import type { Week } from "../../app/plans/steps.js";
import { addStep } from "../../app/plans/steps.js";
import { dayIn } from "../../core/dates.js";

describe.each(DIALECTS)("the week command on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let stalledId: number;
  let microStepId: number;
  let otherStepId: number;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const { actor } = await actorFor(db.store);
    // Far behind by 16 March 2024, when its status put it in micro-goal mode; it is still in it.
    const on = fixedContext(db.store, "2024-03-01T10:00:00.000Z");
    const goal = await createGoal(on, actor, {
      title: "Launch the newsletter",
      startDate: "2024-03-01",
      dueDate: "2024-03-31",
    });
    stalledId = goal.id;
    await addKeyResult(on, actor, goal.id, { title: "Subscribers", startValue: 0, targetValue: 100 });
    // Due long ago, so it would be in any week as overdue: micro-goal mode shows the small step instead.
    otherStepId = (await addStep(on, actor, goal.id, { text: "Redesign the site", dueDate: "2024-03-05" }))
      .id;
    microStepId = (
      await addStep(on, actor, goal.id, {
        text: "Email Raj the deck",
        dueDate: "2099-12-31",
        estimateMinutes: 15,
      })
    ).id;
    const st = await goalStatus(fixedContext(db.store, "2024-03-16T10:00:00.000Z"), actor, goal.id);
    expect(st.mode).toBe("micro-goal");
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)("--json gives a stalled goal's one step, even one due years from now, and no other", () => {
    const week = cliJson<Week>(["week"], db.config);
    expect(week.steps.map((s) => s.id)).not.toContain(otherStepId);
    expect(week.microGoals).toEqual([
      {
        goalId: stalledId,
        title: "Launch the newsletter",
        step: expect.objectContaining({ id: microStepId }),
        prompt: null,
      },
    ]);
    expect(week.prompt).toBeNull();
  });

  it.skipIf(skip)("prints the goal's one step under its own heading", () => {
    const r = cli(["week"], db.config);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Your week \(\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\):$/m);
    expect(r.stdout).toContain("One step at a time (micro-goal mode):");
    expect(r.stdout).toContain(
      `Launch the newsletter: [ ] #${microStepId} Email Raj the deck (by 2099-12-31) ~15 min`,
    );
    expect(r.stdout).not.toContain("Redesign the site");
  });

  it.skipIf(skip)("reads 'today' in the zone of TZ, not in UTC", () => {
    // UTC+14 and UTC-12 (POSIX names flip the sign): at any hour one of them is on another day than UTC.
    for (const tz of ["Etc/GMT-14", "Etc/GMT+12"]) {
      const before = dayIn(new Date(), tz);
      const r = cli(
        ["step", "add", String(stalledId), "Call Dana", "--due", "today", "--json"],
        db.config,
        "",
        {
          TZ: tz,
        },
      );
      const after = dayIn(new Date(), tz);
      expect(r.code, r.stderr).toBe(0);
      // The clock is real: a run across midnight there may see either day.
      expect([before, after]).toContain((JSON.parse(r.stdout) as { dueDate: string }).dueDate);
      const week = JSON.parse(cli(["week", "--json"], db.config, "", { TZ: tz }).stdout) as Week;
      expect([before, after].some((day) => week.from <= day && day <= week.to)).toBe(true);
    }
  });
});
