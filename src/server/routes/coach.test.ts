import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { buildGoal, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, ownerClient } from "../../../test/helpers/http.js";

type Json = Record<string, unknown> & { warnings?: { code: string }[] };

describe.each(DIALECTS)("the coach over HTTP on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: Client;
  const post = async (path: string, body: unknown) => {
    const r = await app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as Json };
  };

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    app = await ownerClient(fixedContext(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("lints texts as steps relative to now", async () => {
    const r = await post("/api/coach/lint", {
      texts: ["increase revenue by 20%", "Book the venue by Friday"],
      as: "step",
      now: "2026-11-21",
    });
    expect(r.status).toBe(200);
    const items = r.json.items as { kind: string; due: string | null; measure: unknown }[];
    expect(items.map((i) => i.kind)).toEqual(["outcome", "action"]);
    expect(items[0]?.measure).toEqual({ from: null, to: 20, unit: "%" });
    expect(items[1]?.due).toBe("2026-11-27");
  });

  it.skipIf(skip)("refuses an empty list or an unknown kind with 400", async () => {
    expect((await post("/api/coach/lint", { texts: [] })).status).toBe(400);
    expect((await post("/api/coach/lint", { texts: ["x"], as: "task" })).status).toBe(400);
  });

  it.skipIf(skip)("returns findings as warnings on writes without blocking them", async () => {
    const goal = await post(
      "/api/goals",
      buildGoal({ title: "Be a better leader", why: null, dueDate: null }),
    );
    expect(goal.status).toBe(201);
    expect(goal.json.warnings?.map((w) => w.code)).toEqual(
      expect.arrayContaining(["not-measurable", "no-due-date", "no-why"]),
    );
    const step = await post(`/api/goals/${goal.json.id}/steps`, {
      text: "get the budget approved by finance",
    });
    expect(step.status).toBe(201);
    expect(step.json.warnings?.map((w) => w.code)).toContain("outcome-not-action");
    const fixed = await app.request(`/api/steps/${step.json.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Call three clients to ask for referrals", dueDate: "2026-11-27" }),
    });
    expect(((await fixed.json()) as Json).warnings).toEqual([]);
  });
});
