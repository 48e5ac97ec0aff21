/**
 * The cursor path reads what it plans from (issue 17, tick24): the events after the cursor are
 * grouped by the goal they name in the database, a statement per 2,000 events, and only the events
 * it tells from (stalls, obstacles hit) are read whole. A backlog after a burst is planned from in
 * the next tick, not 2,000 events a tick.
 */
import type { KyselyPlugin } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { LATER, NOW, plannerSuite, SOON, statements } from "../../../test/helpers/suites.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin, giveKudos } from "../checkins/checkins.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep } from "../plans/steps.js";
import { planTick } from "./nudges.js";

/** The statements that read the event log (their query names the `events` table). */
function eventReads(): { plugin: KyselyPlugin; count: () => number } {
  const { plugin, seen } = statements();
  return {
    plugin,
    count: () => seen.filter((s) => s.kind === "SelectQueryNode" && /"name":"events"/.test(s.text)).length,
  };
}

describe.each(DIALECTS)("what a tick reads of the event log on %s", (d) => {
  const f = plannerSuite(d);
  const { skip, ctxAt, keys, goal } = f;

  /** A burst of `n` check-in events on a goal, as many people checking in write them. */
  async function burst(goalId: number, n: number): Promise<void> {
    const rows = Array.from({ length: n }, () => ({
      workspaceId: f.owner.workspaceId,
      type: "checkin.created",
      actorId: f.owner.userId,
      subjectType: "checkin",
      subjectId: 1,
      payloadJson: JSON.stringify({ goalId, date: "2026-11-21", confidence: "on-track", barriersHit: [] }),
      createdAt: SOON,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await f.store.db
        .insertInto("events")
        .values(rows.slice(i, i + 500))
        .execute();
  }

  it.skipIf(skip)("plans a step written after a burst of 4,500 check-ins in the next tick", async () => {
    const g = await goal();
    expect((await planTick(ctxAt(NOW))).full).toBe(true);
    await burst(g.id, 4500);
    const step = await addStep(ctxAt(SOON), f.owner, g.id, {
      text: "Email Raj the deck",
      dueDate: "2026-11-21",
    });

    // Before tick24 a tick stopped at 2,000 events: the step waited three ticks.
    const tick = await planTick(ctxAt(LATER));
    expect(tick.changes).toBe(4501);
    expect(await keys("step-due-today:")).toEqual([`step-due-today:${step.id}:2026-11-21`]);
    expect(await planTick(ctxAt(LATER))).toMatchObject({ changes: 0, queued: 0 });
  });

  it.skipIf(skip)("tells an obstacle hit among thousands of check-ins, once", async () => {
    const g = await goal();
    const ctx = ctxAt("2026-11-01T09:00:00.000Z");
    const dana = await createPerson(f.store.db, f.owner.workspaceId, "Dana", "2026-11-01T09:00:00.000Z");
    await addResource(ctx, f.owner, g.id, { kind: "person", name: "Dana", ask: "Sign as deputy" });
    const barrier = await addBarrier(ctx, f.owner, g.id, {
      obstacle: "Sponsor approval slips past Friday",
      planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
    });
    expect((await planTick(ctxAt(NOW))).full).toBe(true);
    await burst(g.id, 1500);
    const hit = await createCheckin(ctxAt(SOON), f.owner, g.id, {
      date: "2026-11-21",
      barriersHit: [barrier.id],
    });
    await burst(g.id, 1000);
    // Events that cannot change a plan are passed over, and counted.
    await giveKudos(ctxAt(SOON), { userId: dana.id, workspaceId: f.owner.workspaceId }, hit.id);

    const tick = await planTick(ctxAt(LATER));
    // 2,501 check-ins, the kudos, and the kudos's notice to the owner.
    expect(tick.changes).toBe(2503);
    expect((await keys("obstacle-hit:")).map((k) => k.split(":").slice(2).join(":"))).toEqual([
      `${barrier.id}:${dana.id}`,
    ]);
    expect(await planTick(ctxAt(LATER))).toMatchObject({ changes: 0, queued: 0 });
  });

  it.skipIf(skip)("reads 1,000 check-ins after the cursor in one statement", async () => {
    const g = await goal();
    expect((await planTick(ctxAt(NOW))).full).toBe(true);
    await burst(g.id, 1000);
    const reads = eventReads();
    const tick = await planTick(ctxAt(LATER, { ...f.store, db: f.store.db.withPlugin(reads.plugin) }));
    expect(tick.changes).toBe(1000);
    // The planner's state (whether anything came after the cursor), then the run grouped by goal.
    expect(reads.count()).toBe(2);
  });
});
