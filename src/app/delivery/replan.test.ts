/**
 * The planner's cursor path writes only what changed (issue 17, sched17: the scheduler costs the
 * check-in little). A goal checked in again whose reminders are the ones already queued is checked
 * in one read and writes nothing; a reminder whose occurrence moved (a step's new due date) is
 * planned as before.
 */
import type { KyselyPlugin } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import type { Store } from "../../store/db.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { updateSettings } from "../people/settings.js";
import { createGoal } from "../plans/goals.js";
import { addStep, updateStep } from "../plans/steps.js";
import { planTick } from "./nudges.js";

/** The tables every INSERT run through a Kysely names. */
function inserts(): { plugin: KyselyPlugin; tables: string[] } {
  const tables: string[] = [];
  return {
    tables,
    plugin: {
      transformQuery(args) {
        const node = args.node;
        if (node.kind === "InsertQueryNode") {
          const into = JSON.stringify(node.into);
          tables.push(/"name":"([a-z_A-Z]+)"/.exec(into)?.[1] ?? into);
        }
        return node;
      },
      async transformResult(args) {
        return args.result;
      },
    },
  };
}

describe.each(DIALECTS)("the planner's cursor path on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  /** Saturday 2026-11-21, all in one quarter hour. */
  const NOW = "2026-11-21T10:00:00.000Z";
  const SOON = "2026-11-21T10:05:00.000Z";
  const LATER = "2026-11-21T10:10:00.000Z";
  const ctxAt = (iso: string, store: Store = db.store): AppContext => fixedContext(store, iso);

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    owner = (await actorFor(db.store, NOW)).actor;
    await updateSettings(ctxAt(NOW), owner, { quietHours: null });
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function keys(): Promise<string[]> {
    const rows = await db.store.db.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
    return rows.map((r) => r.dedupeKey);
  }

  async function goalWithStepDueToday() {
    const g = await createGoal(ctxAt("2026-11-01T09:00:00.000Z"), owner, {
      title: "Launch the newsletter",
      startDate: "2026-11-18",
      visibility: "private",
    });
    const step = await addStep(ctxAt(NOW), owner, g.id, {
      text: "Email Raj the deck",
      dueDate: "2026-11-21",
    });
    await planTick(ctxAt(NOW));
    return { g, step };
  }

  it.skipIf(skip)("writes no reminder for a goal checked in again whose plan did not change", async () => {
    const { g, step } = await goalWithStepDueToday();
    await createCheckin(ctxAt(SOON), owner, g.id, { note: "Drafted the deck" });
    await planTick(ctxAt(SOON));
    const before = await keys();
    expect(before).toContain(`step-due-today:${step.id}:2026-11-21`);

    await createCheckin(ctxAt(LATER), owner, g.id, { note: "Sent half of it" });
    const rec = inserts();
    const tick = await planTick(ctxAt(LATER, { ...db.store, db: db.store.db.withPlugin(rec.plugin) }));
    expect(tick).toMatchObject({ planned: true, full: false, queued: 0 });
    expect(tick.changes).toBeGreaterThan(0);
    // A check-in changes no step (a step it does or writes has an event of its own): the step's
    // reminder is not even looked up again (tick24), and nothing is written to the queue.
    expect(tick.known).toBe(0);
    expect(rec.tables).not.toContain("jobs");
    expect(await keys()).toEqual(before);
  });

  it.skipIf(skip)("plans again a step whose due date moved", async () => {
    const { g, step } = await goalWithStepDueToday();
    expect(await keys()).toContain(`step-due-today:${step.id}:2026-11-21`);
    await updateStep(ctxAt(SOON), owner, step.id, { dueDate: "2026-11-22", reason: "Raj is away today" });
    await createCheckin(ctxAt(SOON), owner, g.id, { note: "Moved the deck to tomorrow" });
    const tick = await planTick(ctxAt(LATER));
    expect(tick.queued).toBeGreaterThanOrEqual(1);
    expect(await keys()).toContain(`step-due-tomorrow:${step.id}:2026-11-22`);
  });
});
