import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Person, signUp, testApp } from "../../../test/helpers/http.js";

/** Counts the statements a database handle runs. */
function counter() {
  const c = { queries: 0 };
  // Counted as they run (a query built once, src/store/prepared.ts, is transformed only once).
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      c.queries += 1;
      return args.result;
    },
  };
  return { c, plugin };
}

type Item = { id: number; title: string; summary?: Record<string, unknown> | null };

describe.each(DIALECTS)("the goals list with status on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Person;
  const count = counter();

  const post = async (path: string, body: unknown) => {
    const r = await owner.api.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as { id: number };
  };
  const list = async (query: string) => {
    const before = count.c.queries;
    const r = await owner.api.request(`/api/goals${query}`);
    expect(r.status).toBe(200);
    return { body: (await r.json()) as { items: Item[] }, queries: count.c.queries - before };
  };
  /** A goal 0 → 100 started in `start`, with a check-in at `value` (none when null). */
  const goal = async (title: string, start: string, due: string, value: number | null) => {
    const g = await post("/api/goals", buildGoal({ title, startDate: start, dueDate: due }));
    const kr = await post(`/api/goals/${g.id}/key-results`, {
      title: "Done",
      startValue: 0,
      targetValue: 100,
    });
    if (value !== null) {
      await post(`/api/goals/${g.id}/checkins`, {
        date: "2026-11-20",
        krValues: [{ keyResultId: kr.id, value }],
        confidence: "on-track",
      });
    }
    return g.id;
  };

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const ctx = fixedContext({ ...db.store, db: db.store.db.withPlugin(count.plugin) });
    owner = await signUp(testApp(ctx), { email: "owner@example.com", name: "Olu" });
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "keeps the plain shape unless asked, and adds progress, pace and stall when asked",
    async () => {
      const moving = await goal("Ship the newsletter redesign", "2026-11-01", "2027-03-31", 60);
      const stalled = await goal("Run 5 km in under 30 minutes", "2026-06-01", "2026-12-31", null);
      const plain = await list("");
      expect(plain.body.items.map((g) => "summary" in g)).toEqual([false, false]);

      const { body } = await list("?include=status");
      const byId = new Map(body.items.map((g) => [g.id, g]));
      expect(byId.get(moving)?.summary).toMatchObject({
        progress: 0.6,
        pace: "ahead",
        stalled: false,
        lastCheckin: { date: "2026-11-20", confidence: "on-track" },
      });
      expect(byId.get(stalled)?.summary).toMatchObject({
        progress: 0,
        pace: "behind",
        stalled: true,
        lastCheckin: null,
      });
    },
  );

  it.skipIf(skip)(
    "reads the statuses in a fixed number of queries, whatever the number of goals",
    async () => {
      await list("?include=status");
      const warmFew = (await list("?include=status")).queries;
      for (let i = 0; i < 6; i++) await goal(`Goal number ${i + 3}`, "2026-10-01", "2027-02-01", i * 10);
      const cold = await list("?include=status");
      expect(cold.body.items).toHaveLength(8);
      expect(cold.body.items.every((g) => g.summary)).toBe(true);
      const warmMany = (await list("?include=status")).queries;
      expect(warmMany).toBe(warmFew);
      expect(warmMany).toBeLessThanOrEqual(6);
      // Evaluating changed goals again is a fixed number of queries too: 2 changed or all 8.
      for (const g of cold.body.items.slice(0, 2))
        await post(`/api/goals/${g.id}/steps`, { text: "Call Raj" });
      const twoChanged = (await list("?include=status")).queries;
      for (const g of cold.body.items) await post(`/api/goals/${g.id}/steps`, { text: "Email Mei" });
      const allChanged = (await list("?include=status")).queries;
      expect(allChanged).toBe(twoChanged);
    },
  );
});
