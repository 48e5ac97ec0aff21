/**
 * The PostgreSQL check-in's floor (bench/bare-checkin-pg.ts, pgfloor26) writes what the product
 * writes for the bench's request: the same check-in, values, key results' current values, event,
 * token's last use and goal revision bump. A floor that wrote less would be a floor under less work.
 * PostgreSQL only (the floor is PostgreSQL's): registered on that dialect alone (a suite of no test
 * on SQLite fails as "no test found").
 */
import { describe, expect, it } from "vitest";
import { appContext } from "../src/app/context.js";
import { createApiToken } from "../src/app/people/accounts.js";
import { addKeyResult, createGoal } from "../src/app/plans/goals.js";
import { createHttpApp } from "../src/server/app.js";
import type { Store } from "../src/store/db.js";
import { actorFor, buildGoal } from "../test/helpers/factories.js";
import { suiteStore } from "../test/helpers/suites.js";
import { checkinAppPg, floorPool } from "./bare-checkin-pg.js";

/** What one check-in wrote, without its ids and instants (which differ between two check-ins). */
async function written(store: Store, checkinId: number, goalId: number) {
  const db = store.db;
  const c = await db.selectFrom("checkins").selectAll().where("id", "=", checkinId).executeTakeFirstOrThrow();
  const values = await db
    .selectFrom("checkinKrValues")
    .select(["keyResultId", "value"])
    .where("checkinId", "=", checkinId)
    .orderBy("keyResultId")
    .execute();
  const krs = await db
    .selectFrom("keyResults")
    .select(["id", "currentValue", "updatedAt"])
    .where("goalId", "=", goalId)
    .orderBy("id")
    .execute();
  const events = await db
    .selectFrom("events")
    .selectAll()
    .where("subjectType", "=", "checkin")
    .where("subjectId", "=", checkinId)
    .execute();
  return {
    checkin: { ...c, id: undefined, createdAt: undefined },
    checkinAt: c.createdAt,
    values: values.map((v) => ({ keyResultId: v.keyResultId, value: Number(v.value) })),
    keyResults: krs.map((k) => ({ id: k.id, currentValue: Number(k.currentValue), updatedAt: k.updatedAt })),
    events: events.map((e) => ({
      workspaceId: e.workspaceId,
      type: e.type,
      actorId: e.actorId,
      payload: JSON.parse(e.payloadJson) as unknown,
      createdAt: e.createdAt,
    })),
  };
}

describe("the PostgreSQL check-in's hand-written floor", () => {
  const db = suiteStore("postgres", { each: true });

  it.skipIf(db.skip)(
    "writes the rows the product writes for the same request, and bumps the goal's revision once as it does",
    async () => {
      const store = db.store;
      const { ctx, actor } = await actorFor(store);
      const goal = await createGoal(ctx, actor, buildGoal({ visibility: "private" }));
      const kr1 = await addKeyResult(ctx, actor, goal.id, {
        title: "Signups",
        startValue: 0,
        targetValue: 10,
      });
      const kr2 = await addKeyResult(ctx, actor, goal.id, { title: "Posts", startValue: 0, targetValue: 5 });
      const { token } = await createApiToken(ctx, actor, { name: "floor" }, { ip: null });
      // Both on the wall clock: the floor has no other.
      const product = createHttpApp(appContext(store), { log: () => {} });
      const pool = floorPool(db.config.databaseUrl as string);
      const floor = checkinAppPg(pool);
      const revision = async () =>
        Number(
          (
            await store.db
              .selectFrom("goals")
              .select("revision")
              .where("id", "=", goal.id)
              .executeTakeFirstOrThrow()
          ).revision,
        );
      const post = async (
        app: { request: typeof product.request },
        values: [number, number],
        auth = token,
      ) => {
        const r = await app.request(`/api/goals/${goal.id}/checkins`, {
          method: "POST",
          headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
          body: JSON.stringify({
            // In the reverse order of the ids: both write them in id order.
            krValues: [
              { keyResultId: kr2.id, value: values[1] },
              { keyResultId: kr1.id, value: values[0] },
            ],
            confidence: "on-track",
            doneText: "Sent the deck to Raj",
            nextStep: "Draft the welcome email",
          }),
        });
        return { status: r.status, body: (await r.json()) as { id: number } };
      };
      try {
        await store.db.updateTable("apiTokens").set({ lastUsedAt: null }).execute();
        const r0 = await revision();
        const p = await post(product, [3, 1]);
        expect(p.status).toBe(201);
        const r1 = await revision();
        const byProduct = await written(store, p.body.id, goal.id);
        const touchedByProduct = (
          await store.db.selectFrom("apiTokens").select("lastUsedAt").executeTakeFirst()
        )?.lastUsedAt;
        await store.db.updateTable("apiTokens").set({ lastUsedAt: null }).execute();

        const f = await post(floor, [3, 1]);
        expect(f.status).toBe(201);
        const r2 = await revision();
        const byFloor = await written(store, f.body.id, goal.id);
        const touchedByFloor = (
          await store.db.selectFrom("apiTokens").select("lastUsedAt").executeTakeFirst()
        )?.lastUsedAt;

        expect(byFloor.checkin).toEqual(byProduct.checkin);
        expect(byFloor.checkin.nextStep).toBe("Draft the welcome email");
        expect(byFloor.values).toEqual([
          { keyResultId: kr1.id, value: 3 },
          { keyResultId: kr2.id, value: 1 },
        ]);
        expect(byFloor.values).toEqual(byProduct.values);
        // The key results' current values, stamped with the check-in's instant, by each.
        expect(byProduct.keyResults.map((k) => k.updatedAt)).toEqual([
          byProduct.checkinAt,
          byProduct.checkinAt,
        ]);
        expect(byFloor.keyResults).toEqual(
          byProduct.keyResults.map((k) => ({ ...k, updatedAt: byFloor.checkinAt })),
        );
        expect(byFloor.events).toEqual(byProduct.events.map((e) => ({ ...e, createdAt: byFloor.checkinAt })));
        expect(byFloor.events).toHaveLength(1);
        // One revision bump each (migration 0031's triggers fire for the floor's statement too).
        expect(r1 - r0).toBe(1);
        expect(r2 - r1).toBe(1);
        expect(touchedByProduct).toBeTruthy();
        expect(touchedByFloor).toBe(byFloor.checkinAt);

        // Refusals: an unknown token, a goal that is not the caller's.
        expect((await post(floor, [1, 1], "tl_unknown")).status).toBe(401);
        const other = await floor.request("/api/goals/999999/checkins", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ krValues: [] }),
        });
        expect(other.status).toBe(404);
        const foreign = await floor.request(`/api/goals/${goal.id}/checkins`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ krValues: [{ keyResultId: 999999, value: 1 }] }),
        });
        expect(foreign.status).toBe(400);
        expect(await revision()).toBe(r2);
      } finally {
        await pool.end();
      }
    },
  );
});
