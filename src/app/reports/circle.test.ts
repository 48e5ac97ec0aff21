import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildTeam, fixedContext, NOW } from "../../../test/helpers/factories.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import { shareGoal } from "../collaboration/collaboration.js";
import type { Actor, AppContext } from "../context.js";
import { addKeyResult, createGoal } from "../plans/goals.js";
import { addStep, completeStep } from "../plans/steps.js";
import { OPEN_LIST_CAP } from "./circle.js";
import {
  followThroughReport,
  followThroughReportByEvaluation,
  winsFeed,
  winsFeedByEvaluation,
} from "./report.js";
import { reportReplyFromRows } from "./report-rows.js";
import { weeklyReview, weeklyReviewByEvaluation } from "./review.js";

/**
 * report22 (issue 17): a report lists the reader's circle in full (own goals, their team's, their
 * teammates', shared with them) and of everyone else's goals open to the workspace only the first
 * `OPEN_LIST_CAP` of each list, with how many were left out; `all` lists everything. The totals
 * count every goal either way.
 */
describe.each(DIALECTS)("a report's lists cut to the reader's circle on %s", { timeout: 180_000 }, (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let member: Actor;
  let mate: Actor;
  let sharer: Actor;
  const outsiders: Actor[] = [];
  const circleGoals = new Set<number>();
  const openGoals: number[] = [];
  const EXTRA = 3;
  const on = (day: string): AppContext => fixedContext(db.store, `${day}T10:00:00.000Z`);
  const TODAY = NOW.slice(0, 10);

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    const owner = (await actorFor(db.store)).actor;
    const ws = owner.workspaceId;
    const person = async (name: string): Promise<Actor> => ({
      userId: (await createPerson(db.store.db, ws, name, NOW)).id,
      workspaceId: ws,
    });
    member = await person("Mia");
    mate = await person("Tom");
    sharer = await person("Sam");
    for (let i = 0; i < OPEN_LIST_CAP + EXTRA; i++) outsiders.push(await person(`Out ${i}`));
    const teamId = await buildTeam(db.store, ws, "Core", [
      { userId: member.userId, role: "member" },
      { userId: mate.userId, role: "member" },
    ]);
    await buildTeam(db.store, ws, "Elsewhere", [{ userId: sharer.userId, role: "member" }]);
    const start = on("2026-09-01");
    // A goal with a key result nobody moved (so it stalls) and a step kept on 2026-11-18 (a win).
    const goal = async (actor: Actor, title: string, over: Record<string, unknown>) => {
      const g = await createGoal(start, actor, {
        title,
        startDate: "2026-09-01",
        dueDate: "2027-01-31",
        ...over,
      });
      await addKeyResult(start, actor, g.id, { title: `KR ${title}`, startValue: 0, targetValue: 100 });
      const s = await addStep(on("2026-09-02"), actor, g.id, {
        text: `Step of ${title}`,
        dueDate: "2026-11-18",
      });
      await completeStep(on("2026-11-18"), actor, s.id, { date: "2026-11-18" });
      return g.id;
    };
    circleGoals.add(await goal(member, "Mine", { visibility: "private" }));
    circleGoals.add(await goal(mate, "Team's", { visibility: "team", teamId }));
    circleGoals.add(await goal(mate, "Mate's open", { visibility: "workspace" }));
    const shared = await goal(sharer, "Shared", { visibility: "private" });
    await shareGoal(start, sharer, shared, { userId: member.userId });
    circleGoals.add(shared);
    // Everyone else's goals open to the workspace: more than the cap.
    for (const o of outsiders)
      openGoals.push(await goal(o, `Open of ${o.userId}`, { visibility: "workspace" }));
    // An older win of theirs, past the most recent ten: left out, and not even read, yet counted.
    const first = outsiders[0] as Actor;
    const old = await addStep(on("2026-09-02"), first, openGoals[0] as number, {
      text: "An early one",
      dueDate: "2026-11-02",
    });
    await completeStep(on("2026-11-02"), first, old.id, { date: "2026-11-02" });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.skipIf(skip)(
    "lists the member's own, team, teammates' and shared goals in full, others' open goals up to the cap with the count of the rest, and everything with all",
    async () => {
      const ctx = on(TODAY);
      const cut = await followThroughReport(ctx, member, { weeks: 4 });
      const full = await followThroughReport(ctx, member, { weeks: 4, all: true });
      expect(full.omitted).toEqual({ wins: 0, stalled: 0, byUser: 0 });
      expect(new Set(full.wins.map((w) => w.goalId))).toEqual(new Set([...circleGoals, ...openGoals]));

      // Wins: every one of the circle, then others' up to the cap, in the feed's order.
      const mine = (goalId: number) => circleGoals.has(goalId);
      expect(cut.wins.filter((w) => mine(w.goalId))).toEqual(full.wins.filter((w) => mine(w.goalId)));
      const others = full.wins.filter((w) => !mine(w.goalId));
      expect(cut.wins.filter((w) => !mine(w.goalId))).toEqual(others.slice(0, OPEN_LIST_CAP));
      expect(cut.omitted.wins).toBe(others.length - OPEN_LIST_CAP);
      expect(cut.omitted.wins).toBeGreaterThanOrEqual(EXTRA);

      // People: the member, the teammate and the sharer (a promise on a goal shared with the member),
      // then others up to the cap.
      const people = cut.byUser.map((u) => u.userId);
      expect(people).toEqual(expect.arrayContaining([member.userId, mate.userId, sharer.userId]));
      expect(full.byUser).toHaveLength(3 + outsiders.length);
      expect(cut.byUser).toHaveLength(3 + OPEN_LIST_CAP);
      expect(cut.omitted.byUser).toBe(EXTRA);

      // Stalled goals: the circle's all listed, others' cut at the cap.
      expect(cut.stalled.filter((s) => mine(s.goalId))).toEqual(full.stalled.filter((s) => mine(s.goalId)));
      expect(full.stalled.filter((s) => mine(s.goalId)).length).toBe(circleGoals.size);
      expect(cut.stalled.filter((s) => !mine(s.goalId))).toHaveLength(OPEN_LIST_CAP);
      expect(cut.omitted.stalled).toBe(full.stalled.length - cut.stalled.length);

      // The totals count every goal either way.
      const totals = (r: typeof cut) => [r.followThroughRate, r.kept, r.missed, r.pending, r.moved, r.byWeek];
      expect(totals(cut)).toEqual(totals(full));
      expect(cut.kept).toBe(circleGoals.size + outsiders.length + 1);
      expect(cut.omitted.wins).toBe(EXTRA + 1);

      // The stored path and the evaluation agree, cut and full.
      expect(cut).toEqual(await followThroughReportByEvaluation(ctx, member, { weeks: 4 }));
      expect(full).toEqual(await followThroughReportByEvaluation(ctx, member, { weeks: 4, all: "true" }));
      // A past day's report (evaluated) is cut the same way.
      const past = await followThroughReport(ctx, member, { weeks: 4, asOf: "2026-11-20" });
      expect(past.omitted.wins).toBe(cut.omitted.wins);
    },
  );

  it.skipIf(skip)("cuts the wins feed and the weekly review the same way", async () => {
    const ctx = on(TODAY);
    const feed = await winsFeed(ctx, member);
    const allFeed = await winsFeed(ctx, member, { all: true });
    expect(allFeed.items).toHaveLength(circleGoals.size + outsiders.length);
    expect(feed.items).toHaveLength(circleGoals.size + OPEN_LIST_CAP);
    expect(feed.omitted).toBe(EXTRA);
    expect(allFeed.omitted).toBe(0);
    expect(feed).toEqual(await winsFeedByEvaluation(ctx, member));

    const review = await weeklyReview(ctx, member);
    const allReview = await weeklyReview(ctx, member, { all: true });
    expect(review.omitted.wins).toBe(EXTRA);
    expect(review.wins).toHaveLength(circleGoals.size + OPEN_LIST_CAP);
    expect(allReview.wins).toHaveLength(circleGoals.size + outsiders.length);
    expect(allReview.omitted).toEqual({ wins: 0, misses: 0, stalled: 0 });
    expect(review.kept).toBe(allReview.kept);
    expect(review).toEqual(await weeklyReviewByEvaluation(ctx, member));
  });

  it.skipIf(skip)(
    "tags a cut and a full answer apart, and a check-in on a goal cut from the lists changes the tag and the totals",
    async () => {
      const ctx = on(TODAY);
      const tag = async (q: Record<string, unknown>) => (await reportReplyFromRows(ctx, member, q))?.etag;
      const cutTag = await tag({ weeks: 4 });
      const fullTag = await tag({ weeks: 4, all: true });
      expect(cutTag).toBeTruthy();
      expect(fullTag).toBeTruthy();
      expect(cutTag).not.toBe(fullTag);
      expect(await tag({ weeks: 4 })).toBe(cutTag);

      const before = await followThroughReport(ctx, member, { weeks: 4 });
      const last = openGoals.at(-1) as number;
      const owner = outsiders.at(-1) as Actor;
      expect(before.wins.some((w) => w.goalId === last)).toBe(false);
      const kr = (
        await db.store.db
          .selectFrom("keyResults")
          .select("id")
          .where("goalId", "=", last)
          .executeTakeFirstOrThrow()
      ).id;
      await createCheckin(ctx, owner, last, { date: TODAY, krValues: [{ keyResultId: kr, value: 60 }] });
      expect(await tag({ weeks: 4 })).not.toBe(cutTag);
      const s = await addStep(ctx, owner, last, { text: "One more", dueDate: TODAY });
      await completeStep(ctx, owner, s.id, { date: TODAY });
      const after = await followThroughReport(ctx, member, { weeks: 4 });
      expect(after.kept).toBe(before.kept + 1);
      expect(after.omitted.wins).toBeGreaterThan(before.omitted.wins);
      // Others' wins are the most recent first: today's of that goal now lead them.
      expect(after.wins.filter((w) => !circleGoals.has(w.goalId))[0]?.goalId).toBe(last);
      expect(after).toEqual(await followThroughReportByEvaluation(ctx, member, { weeks: 4 }));

      // A goal cut from the lists, shared with the member, joins the circle: a new tag, listed in full.
      const cutOut = openGoals.find((id) => !after.wins.some((w) => w.goalId === id)) as number;
      const afterTag = await tag({ weeks: 4 });
      const sharedBy = outsiders[openGoals.indexOf(cutOut)] as Actor;
      await shareGoal(ctx, sharedBy, cutOut, { userId: member.userId });
      expect(await tag({ weeks: 4 })).not.toBe(afterTag);
      const shared = await followThroughReport(ctx, member, { weeks: 4 });
      expect(shared.wins.some((w) => w.goalId === cutOut)).toBe(true);
      expect(shared.kept).toBe(after.kept);
    },
  );
});
