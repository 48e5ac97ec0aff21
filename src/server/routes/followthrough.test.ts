import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, fixedContext } from "../../../test/helpers/factories.js";
import { type Client, ownerClient } from "../../../test/helpers/http.js";
import { createCheckin } from "../../app/checkins/checkins.js";
import { addKeyResult, createGoal } from "../../app/plans/goals.js";
import { addStep, completeStep } from "../../app/plans/steps.js";

describe.each(DIALECTS)("the follow-through routes on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let app: Client;
  let goalId: number;
  let krId: number;
  let owner: Awaited<ReturnType<typeof actorFor>>;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    owner = await actorFor(db.store);
    const { ctx, actor } = owner;
    const on = (day: string) => fixedContext(db.store, `${day}T10:00:00.000Z`);
    const goal = await createGoal(on("2026-11-01"), actor, {
      title: "Launch the newsletter",
      startDate: "2026-11-01",
      dueDate: "2026-12-01",
    });
    goalId = goal.id;
    const kr = await addKeyResult(on("2026-11-01"), actor, goal.id, {
      title: "Subscribers",
      startValue: 0,
      targetValue: 100,
    });
    krId = kr.id;
    const step = await addStep(on("2026-11-01"), actor, goal.id, {
      text: "Draft the welcome email",
      dueDate: "2026-11-10",
    });
    await completeStep(on("2026-11-12"), actor, step.id);
    await createCheckin(on("2026-11-16"), actor, goal.id, {
      date: "2026-11-16",
      krValues: [{ keyResultId: kr.id, value: 50 }],
    });
    app = await ownerClient(ctx);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const get = async (path: string) => {
    const r = await app.request(path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it.skipIf(skip)("GET /api/goals/{id}/status gives the status as of a day", async () => {
    const r = await get(`/api/goals/${goalId}/status?asOf=2026-11-16`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      goalId,
      asOf: "2026-11-16",
      progress: 0.5,
      expected: 0.5,
      pace: "on-track",
      stalled: false,
      mode: "normal",
      nextSteps: [],
    });
    for (const key of ["bufferDays", "forecastDate", "stallReasons", "leaderPrompt"])
      expect(r.body).toHaveProperty(key);
    const today = await get(`/api/goals/${goalId}/status`);
    expect(today.body.asOf).toBe("2026-11-21");
  });

  it.skipIf(skip)("GET /api/report gives the rate, wins and stalled goals of the window", async () => {
    const r = await get("/api/report?asOf=2026-11-21&weeks=2");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: "2026-11-08", to: "2026-11-21", weeks: 2, kept: 0, missed: 1 });
    expect(r.body.followThroughRate).toBe(0);
    expect(r.body.wins).toEqual(expect.arrayContaining([expect.objectContaining({ type: "step-done" })]));
    // Half way at 16 November, then quiet: by the 21st it is more than 15 points behind.
    expect(r.body.stalled).toEqual([expect.objectContaining({ goalId, reasons: ["behind"] })]);
    // Every ISO week the window touches, oldest first.
    expect((r.body.byWeek as { weekStart: string }[]).map((w) => w.weekStart)).toEqual([
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
    ]);
  });

  it.skipIf(skip)(
    "GET /api/report answers 304 with no body to a reader holding the current ETag, and 200 with a new one after a write",
    async () => {
      const ask = (path: string, tag?: string) =>
        app.request(path, tag === undefined ? {} : { headers: { "if-none-match": tag } });
      const first = await ask("/api/report?weeks=4");
      expect(first.status).toBe(200);
      const tag = first.headers.get("etag") as string;
      expect(tag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get("cache-control")).toBe("private, no-cache");
      const again = await ask("/api/report?weeks=4", tag);
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(tag);
      expect(await again.text()).toBe("");
      expect((await ask("/api/report?weeks=4", `W/${tag}`)).status).toBe(304);
      // Another window is another answer.
      expect((await ask("/api/report?weeks=2", tag)).status).toBe(200);
      // A past day is evaluated: no tag.
      const past = await ask("/api/report?asOf=2026-11-10", tag);
      expect(past.status).toBe(200);
      expect(past.headers.get("etag")).toBeNull();
      await createCheckin(owner.ctx, owner.actor, goalId, {
        krValues: [{ keyResultId: krId, value: 60 }],
      });
      const after = await ask("/api/report?weeks=4", tag);
      expect(after.status).toBe(200);
      const newTag = after.headers.get("etag") as string;
      expect(newTag).not.toBe(tag);
      expect((await ask("/api/report?weeks=4", newTag)).status).toBe(304);
      // The wins feed is tagged the same way (a tag of the report is not one of the feed).
      const wins = await ask("/api/wins");
      expect(wins.status).toBe(200);
      const winsTag = wins.headers.get("etag") as string;
      expect(winsTag).not.toBe(newTag);
      expect((await ask("/api/wins", newTag)).status).toBe(200);
      expect((await ask("/api/wins", winsTag)).status).toBe(304);
    },
  );

  it.skipIf(skip)(
    "GET /api/report?all=true is another answer with its own ETag; omitted counts what the lists left out; all=maybe is a 400",
    async () => {
      const ask = (path: string, tag?: string) =>
        app.request(path, tag === undefined ? {} : { headers: { "if-none-match": tag } });
      const cut = await ask("/api/report?weeks=4");
      const full = await ask("/api/report?weeks=4&all=true");
      expect(full.status).toBe(200);
      const cutTag = cut.headers.get("etag") as string;
      const fullTag = full.headers.get("etag") as string;
      expect(fullTag).toMatch(/^"[^"]+"$/);
      expect(fullTag).not.toBe(cutTag);
      expect((await ask("/api/report?weeks=4&all=true", fullTag)).status).toBe(304);
      expect((await ask("/api/report?weeks=4&all=true", cutTag)).status).toBe(200);
      expect((await cut.json()).omitted).toEqual({ wins: 0, stalled: 0, byUser: 0 });
      expect((await full.json()).omitted).toEqual({ wins: 0, stalled: 0, byUser: 0 });
      expect((await (await ask("/api/wins?all=1")).json()).omitted).toBe(0);
      const bad = await ask("/api/report?all=maybe");
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toMatch(/all/);
    },
  );

  it.skipIf(skip)(
    "GET /api/review answers 304 to a reader holding its ETag, and a step done or a check-in shows in the next review at once",
    async () => {
      const ask = (tag?: string) =>
        app.request("/api/review", tag === undefined ? {} : { headers: { "if-none-match": tag } });
      type Review = {
        kept: number;
        pending: number;
        wins: { type: string }[];
        plan: { goalId: number; progress: number }[];
      };
      const step = await addStep(owner.ctx, owner.actor, goalId, {
        text: "Send the first issue",
        dueDate: "2026-11-21",
      });
      const first = await ask();
      expect(first.status).toBe(200);
      const tag = first.headers.get("etag") as string;
      expect(tag).toMatch(/^"[^"]+"$/);
      expect(first.headers.get("cache-control")).toBe("private, no-cache");
      const before = (await first.json()) as Review;
      const again = await ask(tag);
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      // Asked again without the tag: the same answer (kept under it).
      expect(await (await ask()).json()).toEqual(before);
      // A report's tag is not the review's.
      const reportTag = (await app.request("/api/report")).headers.get("etag") as string;
      expect((await ask(reportTag)).status).toBe(200);

      // The step due today is done: kept, no longer pending, a win — on the very next read.
      await completeStep(owner.ctx, owner.actor, step.id);
      const done = await ask();
      expect(done.status).toBe(200);
      expect(done.headers.get("etag")).not.toBe(tag);
      const afterStep = (await done.json()) as Review;
      expect(afterStep.kept).toBe(before.kept + 1);
      expect(afterStep.pending).toBe(before.pending - 1);
      expect(afterStep.wins.filter((w) => w.type === "step-done").length).toBeGreaterThan(
        before.wins.filter((w) => w.type === "step-done").length,
      );
      // A check-in moves the goal's progress in the plan, without the reader sending a tag.
      const progressOf = (r: Review) => r.plan.find((p) => p.goalId === goalId)?.progress;
      await createCheckin(owner.ctx, owner.actor, goalId, {
        krValues: [{ keyResultId: krId, value: 90 }],
      });
      const afterCheckin = (await (await ask()).json()) as Review;
      expect(progressOf(afterCheckin)).toBe(0.9);
      expect(progressOf(afterStep)).not.toBe(0.9);
      // A past day's review is evaluated: no tag.
      const past = await app.request("/api/review?asOf=2026-11-16");
      expect(past.status).toBe(200);
      expect(past.headers.get("etag")).toBeNull();
    },
  );

  it.skipIf(skip)("GET /api/wins gives the wins feed of the window", async () => {
    const r = await get("/api/wins?asOf=2026-11-16&weeks=1");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: "2026-11-10", to: "2026-11-16" });
    expect((r.body.items as { type: string }[]).map((w) => w.type)).toEqual([
      "milestone",
      "buffer-gained",
      "step-done",
    ]);
  });

  it.skipIf(skip)(
    "answers 400 naming the field for a bad asOf or weeks, 404 for an unknown goal",
    async () => {
      const bad = await get(`/api/goals/${goalId}/status?asOf=2026-02-31`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        code: "invalid_input",
        message: expect.stringMatching(/^asOf: /),
      });
      expect((await get("/api/report?asOf=yesterday")).status).toBe(400);
      expect((await get("/api/wins?weeks=0")).status).toBe(400);
      const missing = await get("/api/goals/999/status");
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ code: "goal_not_found" });
    },
  );

  it.skipIf(skip)("documents the three routes in the OpenAPI document", async () => {
    const doc = await get("/api/openapi.json");
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(["/api/goals/{id}/status", "/api/report", "/api/wins"]));
  });
});
