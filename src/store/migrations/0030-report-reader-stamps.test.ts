/**
 * Migration 0030: the stamp of a workspace's names takes a new value, never one it held before,
 * whenever a person joins, leaves or is renamed (on both databases), and no other write to a person
 * moves it; the goals shared with a person are found by index.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../test/helpers/dialects.js";
import { actorFor } from "../../../test/helpers/factories.js";
import { suiteStore } from "../../../test/helpers/suites.js";
import { namesStampOfWorkspace } from "../repos/reportrows.js";

const AT = "2026-12-01T09:00:00.000Z";

describe.each(DIALECTS)("migration 0030 (the names' stamp) on %s", (d) => {
  const db = suiteStore(d);
  const { skip } = db;

  it.skipIf(skip)("moves the stamp on every join, rename and leave, and on nothing else", async () => {
    const s = db.store.db;
    const { actor } = await actorFor(db.store);
    const ws = actor.workspaceId;
    const other = await s
      .insertInto("workspaces")
      .values({ name: "Elsewhere", createdAt: AT })
      .returning("id")
      .executeTakeFirstOrThrow();
    const seen: string[] = [await namesStampOfWorkspace(s, ws)];
    const moved = async (workspaceId = ws) => {
      const now = await namesStampOfWorkspace(s, workspaceId);
      expect(seen).not.toContain(now);
      seen.push(now);
    };
    const dana = await s
      .insertInto("users")
      .values({ workspaceId: ws, name: "Dana", email: "dana@example.com", createdAt: AT })
      .returning("id")
      .executeTakeFirstOrThrow();
    await moved();
    await s.updateTable("users").set({ name: "Dana K." }).where("id", "=", dana.id).execute();
    await moved();
    // Not a rename: the same name, or another column.
    const held = await namesStampOfWorkspace(s, ws);
    await s.updateTable("users").set({ name: "Dana K." }).where("id", "=", dana.id).execute();
    await s.updateTable("users").set({ email: "dk@example.com" }).where("id", "=", dana.id).execute();
    expect(await namesStampOfWorkspace(s, ws)).toBe(held);
    // Moving to another workspace moves both stamps.
    const otherBefore = await namesStampOfWorkspace(s, other.id);
    await s.updateTable("users").set({ workspaceId: other.id }).where("id", "=", dana.id).execute();
    await moved();
    expect(await namesStampOfWorkspace(s, other.id)).not.toBe(otherBefore);
    await s.updateTable("users").set({ workspaceId: ws }).where("id", "=", dana.id).execute();
    await moved();
    await s.deleteFrom("users").where("id", "=", dana.id).execute();
    await moved();
  });

  it.skipIf(skip)("finds the goals shared with a person by index", async () => {
    if (d === "sqlite") {
      const plan = await sql<{ detail: string }>`explain query plan
        select goal_id from goal_shares where user_id = ${1}`.execute(db.store.db);
      expect(plan.rows.map((r) => r.detail).join(" ")).toContain("goal_shares_user");
    } else {
      // A planner on a near-empty table scans; what matters is that the index is there to use.
      const found = await sql<{ indexdef: string }>`select indexdef from pg_indexes
        where tablename = 'goal_shares' and indexname like 'goal_shares_user%'`.execute(db.store.db);
      expect(found.rows.map((r) => r.indexdef).join(" ")).toMatch(/\(user_id, goal_id\)/);
    }
  });
});
