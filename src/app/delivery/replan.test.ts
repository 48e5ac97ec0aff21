/**
 * The planner's cursor path writes only what changed (issue 17, sched17: the scheduler costs the
 * check-in little). A goal checked in again whose reminders are the ones already queued is checked
 * in one read and writes nothing; a reminder whose occurrence moved (a step's new due date) is
 * planned as before.
 */
import { InsertQueryNode, type KyselyPlugin } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { LATER, NOW, plannerSuite, SOON, statements } from "../../../test/helpers/suites.js";
import { createCheckin } from "../checkins/checkins.js";
import { addStep, updateStep } from "../plans/steps.js";
import { planTick } from "./nudges.js";

/** The tables every INSERT run through a Kysely names. */
function inserts(): { plugin: KyselyPlugin; tables: () => string[] } {
  const { plugin, seen } = statements();
  return {
    plugin,
    tables: () =>
      seen.flatMap(({ node }) => {
        if (!InsertQueryNode.is(node)) return [];
        const into = JSON.stringify(node.into);
        return [/"name":"([a-z_A-Z]+)"/.exec(into)?.[1] ?? into];
      }),
  };
}

describe.each(DIALECTS)("the planner's cursor path on %s", (d) => {
  const f = plannerSuite(d);
  const { skip, ctxAt, keys } = f;

  async function goalWithStepDueToday() {
    const g = await f.goal({ visibility: "private" });
    const step = await addStep(ctxAt(NOW), f.owner, g.id, {
      text: "Email Raj the deck",
      dueDate: "2026-11-21",
    });
    await planTick(ctxAt(NOW));
    return { g, step };
  }

  it.skipIf(skip)("writes no reminder for a goal checked in again whose plan did not change", async () => {
    const { g, step } = await goalWithStepDueToday();
    await createCheckin(ctxAt(SOON), f.owner, g.id, { note: "Drafted the deck" });
    await planTick(ctxAt(SOON));
    const before = await keys();
    expect(before).toContain(`step-due-today:${step.id}:2026-11-21`);

    await createCheckin(ctxAt(LATER), f.owner, g.id, { note: "Sent half of it" });
    const rec = inserts();
    const tick = await planTick(ctxAt(LATER, { ...f.store, db: f.store.db.withPlugin(rec.plugin) }));
    expect(tick).toMatchObject({ planned: true, full: false, queued: 0 });
    expect(tick.changes).toBeGreaterThan(0);
    // A check-in changes no step (a step it does or writes has an event of its own): the step's
    // reminder is not even looked up again (tick24), and nothing is written to the queue.
    expect(tick.known).toBe(0);
    expect(rec.tables()).not.toContain("jobs");
    expect(await keys()).toEqual(before);
  });

  it.skipIf(skip)("plans again a step whose due date moved", async () => {
    const { g, step } = await goalWithStepDueToday();
    expect(await keys()).toContain(`step-due-today:${step.id}:2026-11-21`);
    await updateStep(ctxAt(SOON), f.owner, step.id, { dueDate: "2026-11-22", reason: "Raj is away today" });
    await createCheckin(ctxAt(SOON), f.owner, g.id, { note: "Moved the deck to tomorrow" });
    const tick = await planTick(ctxAt(LATER));
    expect(tick.queued).toBeGreaterThanOrEqual(1);
    expect(await keys()).toContain(`step-due-tomorrow:${step.id}:2026-11-22`);
  });
});
