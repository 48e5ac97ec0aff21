import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal } from "../../../test/helpers/factories.js";
import { failure } from "../../../test/helpers/failure.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import { follow } from "../collaboration/collaboration.js";
import type { Actor, AppContext } from "../context.js";
import { inbox } from "../delivery/notices.js";
import * as goals from "./goals.js";
import * as resources from "./resources.js";

describe.each(DIALECTS)("changing and removing resources and barriers on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let me: Actor;
  let mia: Actor;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ({ ctx, actor: me } = await actorFor(db.store));
    const person = await createPerson(db.store.db, me.workspaceId, "Mia", "2026-11-01T00:00:00.000Z");
    mia = { userId: person.id, workspaceId: me.workspaceId };
  });
  afterAll(async () => db?.dispose());

  /** A goal everyone in the workspace can read, with a person to ask and a barrier. */
  async function plan() {
    const goal = await goals.createGoal(ctx, me, buildGoal({ visibility: "workspace" }));
    const dana = await resources.addResource(ctx, me, goal.id, {
      kind: "person",
      name: "Dana",
      ask: "Sign as deputy",
    });
    const rain = await resources.addBarrier(ctx, me, goal.id, {
      obstacle: "Sponsor approval slips past Friday",
      planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
    });
    return { goal, dana, rain };
  }

  it.skipIf(skip)(
    "removes a barrier with a reason: gone from the plan, kept for check-ins and the history",
    async () => {
      const { goal, rain } = await plan();
      const checkin = await createCheckin(ctx, me, goal.id, { date: "2026-11-20", barriersHit: [rain.id] });
      await follow(ctx, mia, goal.id);

      const removed = await resources.removeBarrier(ctx, me, rain.id, { reason: "The sponsor signed early" });
      expect(removed).toMatchObject({
        id: rain.id,
        obstacle: rain.obstacle,
        removedAt: "2026-11-21T10:00:00.000Z",
      });

      const after = await goals.getPlanOrThrow(ctx, me, goal.id);
      expect(after.barriers).toEqual([]);
      expect(await resources.listBarriers(ctx, me, goal.id)).toEqual([]);
      // The check-in that hit it still says so.
      expect(after.checkins.find((c) => c.id === checkin.id)?.barriersHit).toEqual([rain.id]);
      const history = await goals.goalHistory(ctx, me, goal.id);
      expect(
        history.map((h) => [h.entity, h.entityId, h.field, h.oldValue, h.newValue, h.reason, h.userId]),
      ).toEqual([
        ["barrier", rain.id, "removed", rain.obstacle, null, "The sponsor signed early", me.userId],
      ]);
      expect((await inbox(ctx, mia, {})).map((n) => n.message)).toContain(
        `"${goal.title}": removed the barrier "${rain.obstacle}" because The sponsor signed early.`,
      );
      // Gone means gone: it can neither be hit, changed nor removed again.
      expect((await failure(createCheckin(ctx, me, goal.id, { barriersHit: [rain.id] }))).code).toBe(
        "barrier_not_in_goal",
      );
      expect((await failure(resources.updateBarrier(ctx, me, rain.id, { likelihood: "low" }))).code).toBe(
        "barrier_not_found",
      );
      expect((await failure(resources.removeBarrier(ctx, me, rain.id, { reason: "again" }))).code).toBe(
        "barrier_not_found",
      );
    },
  );

  it.skipIf(skip)("removes a resource with a reason; a check-in's Plan B no longer asks them", async () => {
    const { goal, dana, rain } = await plan();
    const removed = await resources.removeResource(ctx, me, dana.id, { reason: "Dana left the company" });
    expect(removed).toMatchObject({ id: dana.id, name: "Dana", removedAt: expect.any(String) });
    expect(await resources.listResources(ctx, me, goal.id)).toEqual([]);
    const checkin = await createCheckin(ctx, me, goal.id, { barriersHit: [rain.id] });
    expect(checkin.planB).toEqual([expect.objectContaining({ barrierId: rain.id, askPeople: [] })]);
    const [change] = await goals.goalHistory(ctx, me, goal.id);
    expect(change).toMatchObject({
      entity: "resource",
      entityId: dana.id,
      field: "removed",
      oldValue: "Dana",
      reason: "Dana left the company",
    });
  });

  it.skipIf(skip)("refuses a removal without a reason and changes nothing", async () => {
    const { goal, dana, rain } = await plan();
    for (const attempt of [
      () => resources.removeBarrier(ctx, me, rain.id, {}),
      () => resources.removeBarrier(ctx, me, rain.id, { reason: "   " }),
      () => resources.removeResource(ctx, me, dana.id, { reason: null }),
    ]) {
      const e = await failure(attempt);
      expect(e.code).toBe("reason_required");
      expect(e.message).toMatch(/^Removing a (barrier|resource) needs a reason.*--reason/);
    }
    const after = await goals.getPlanOrThrow(ctx, me, goal.id);
    expect(after.barriers.map((b) => b.id)).toEqual([rain.id]);
    expect(after.resources.map((r) => r.id)).toEqual([dana.id]);
    expect(await goals.goalHistory(ctx, me, goal.id)).toEqual([]);
  });

  it.skipIf(skip)("changes a barrier and a resource, keeping each changed field in the history", async () => {
    const { goal, dana, rain } = await plan();
    const b = await resources.updateBarrier(ctx, me, rain.id, {
      likelihood: "high",
      planB: "If approval slips past Friday, then I ask Raj to sign",
      reason: "Dana is on leave",
    });
    expect(b).toMatchObject({
      likelihood: "high",
      planB: "If approval slips past Friday, then I ask Raj to sign",
    });
    const r = await resources.updateResource(ctx, me, dana.id, { name: "Raj", ask: "Sign as deputy" });
    expect(r).toMatchObject({ name: "Raj", ask: "Sign as deputy", kind: "person" });
    const history = await goals.goalHistory(ctx, me, goal.id);
    expect(history.map((h) => [h.entity, h.field, h.oldValue, h.newValue, h.reason])).toEqual([
      [
        "barrier",
        "planB",
        "If approval slips past Friday, then I ask Dana to sign as deputy",
        "If approval slips past Friday, then I ask Raj to sign",
        "Dana is on leave",
      ],
      ["barrier", "likelihood", "medium", "high", "Dana is on leave"],
      ["resource", "name", "Dana", "Raj", null],
    ]);
    // Marking it hit by its goal's route still stamps when.
    const hit = await resources.updateBarrier(ctx, me, rain.id, { status: "hit" }, goal.id);
    expect(hit.hitAt).toBe("2026-11-21T10:00:00.000Z");
    const other = await goals.createGoal(ctx, me, buildGoal());
    expect(
      (await failure(resources.updateBarrier(ctx, me, rain.id, { status: "resolved" }, other.id))).code,
    ).toBe("barrier_not_found");
  });

  it.skipIf(skip)("lets only the goal's owner change or remove its parts", async () => {
    const { goal, dana, rain } = await plan();
    for (const attempt of [
      () => resources.removeBarrier(ctx, mia, rain.id, { reason: "Not needed" }),
      () => resources.removeResource(ctx, mia, dana.id, { reason: "Not needed" }),
      () => resources.updateBarrier(ctx, mia, rain.id, { likelihood: "low" }),
      () => resources.updateResource(ctx, mia, dana.id, { ask: "Nothing" }),
    ]) {
      expect((await failure(attempt)).code).toBe("goal_not_found");
    }
    const after = await goals.getPlanOrThrow(ctx, me, goal.id);
    expect(after.barriers).toEqual([rain]);
    expect(after.resources).toEqual([dana]);
  });
});
