import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildTeam, fixedContext, NOW } from "../../../test/helpers/factories.js";
import type { Step } from "../../core/types.js";
import { listEvents } from "../../store/repos/events.js";
import { createPerson } from "../../store/repos/people.js";
import { rollupsOf } from "../../store/repos/rollups.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { addKeyResult, createGoal, getGoalOrThrow, updateGoal, updateKeyResult } from "../plans/goals.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep, completeStep } from "../plans/steps.js";
import { followThroughReport, winsFeed } from "../reports/report.js";
import { addReviewSteps, weeklyReview } from "../reports/review.js";
import { stampOf } from "./rollup.js";
import { goalRollups } from "./rollups.js";
import { goalStatus } from "./status.js";

describe.each(DIALECTS)("follow-through through the app layer on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let actor: Actor;

  /** A context whose clock reads 10:00 UTC on `day`: things happen on the day they happen. */
  const on = (day: string): AppContext => fixedContext(db.store, `${day}T10:00:00.000Z`);

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
  });
  afterAll(async () => {
    await db?.dispose();
  });
  // Each test acts as a new person, whose private goals nobody else's report sees.
  beforeEach(async () => {
    if (skip) return;
    const local = (await actorFor(db.store)).actor;
    const person = await createPerson(db.store.db, local.workspaceId, "Sam", NOW);
    actor = { userId: person.id, workspaceId: local.workspaceId };
  });

  /** A goal from 1 November to 1 December 2026 (30 days) with one key result from 0 to 100. */
  async function goalWithKr(over: Record<string, unknown> = {}) {
    const ctx = on("2026-11-01");
    const goal = await createGoal(ctx, actor, {
      title: "Launch the newsletter",
      startDate: "2026-11-01",
      dueDate: "2026-12-01",
      ...over,
    });
    const kr = await addKeyResult(ctx, actor, goal.id, {
      title: "Subscribers",
      startValue: 0,
      targetValue: 100,
    });
    return { goal, kr };
  }

  /** A new team with `member` in it and a new person leading it. */
  async function leaderOf(member: Actor): Promise<{ actor: Actor; teamId: number }> {
    const lead = await createPerson(db.store.db, member.workspaceId, "Lee", NOW);
    const teamId = await buildTeam(db.store, member.workspaceId, `Team of ${member.userId}`, [
      { userId: lead.id, role: "leader" },
      { userId: member.userId, role: "member" },
    ]);
    return { actor: { userId: lead.id, workspaceId: member.workspaceId }, teamId };
  }

  async function checkin(day: string, goalId: number, body: Record<string, unknown>) {
    return createCheckin(on(day), actor, goalId, { date: day, ...body });
  }

  it.skipIf(skip)("reports a goal on track when progress follows the line to the due date", async () => {
    const { goal, kr } = await goalWithKr();
    await addStep(on("2026-11-01"), actor, goal.id, {
      text: "Draft the welcome email",
      dueDate: "2026-11-20",
    });
    await checkin("2026-11-16", goal.id, { krValues: [{ keyResultId: kr.id, value: 50 }] });
    const st = await goalStatus(on("2026-11-16"), actor, goal.id);
    expect(st).toMatchObject({
      asOf: "2026-11-16",
      progress: 0.5,
      expected: 0.5,
      pace: "on-track",
      stalled: false,
      stallReasons: [],
      mode: "normal",
      leaderPrompt: null,
    });
    expect(st.bufferDays).toBeGreaterThan(0);
    expect(st.nextSteps.map((s) => (s as Step).text)).toEqual(["Draft the welcome email"]);
  });

  it.skipIf(skip)("reports a goal behind pace, not yet stalled, 10 points below the line", async () => {
    const { goal, kr } = await goalWithKr();
    await checkin("2026-11-16", goal.id, { krValues: [{ keyResultId: kr.id, value: 40 }] });
    const st = await goalStatus(on("2026-11-16"), actor, goal.id);
    expect(st).toMatchObject({ pace: "behind", bufferDays: 0, stalled: false, mode: "normal" });
  });

  it.skipIf(skip)("stalls a goal that was silent for longer than its cadence allows", async () => {
    const goal = await createGoal(on("2026-11-01"), actor, {
      title: "Write the handbook",
      startDate: "2026-11-01",
    });
    const quiet = await goalStatus(on("2026-11-11"), actor, goal.id);
    expect(quiet.stalled).toBe(false);
    const silent = await goalStatus(on("2026-11-12"), actor, goal.id);
    expect(silent).toMatchObject({
      stalled: true,
      stallReasons: ["silent"],
      expected: null,
      pace: "on-track",
    });
  });

  it.skipIf(skip)("stalls a goal whose last two check-ins carry over the same next step", async () => {
    const goal = await createGoal(on("2026-11-01"), actor, {
      title: "Write the handbook",
      startDate: "2026-11-01",
    });
    const kr = await addKeyResult(on("2026-11-01"), actor, goal.id, {
      title: "Chapters",
      startValue: 0,
      targetValue: 10,
    });
    await checkin("2026-11-08", goal.id, {
      krValues: [{ keyResultId: kr.id, value: 1 }],
      nextStep: "Call Dana",
    });
    await checkin("2026-11-15", goal.id, {
      krValues: [{ keyResultId: kr.id, value: 2 }],
      nextStep: "call dana.",
    });
    const st = await goalStatus(on("2026-11-15"), actor, goal.id);
    expect(st).toMatchObject({ stalled: true, stallReasons: ["carried-over"] });
  });

  it.skipIf(skip)(
    "enters micro-goal mode with one small step and a leader prompt, and leaves it after three micro-steps",
    async () => {
      // Sam is in a team Lee leads: the leader prompt is Lee's to read (Sam's own view has none).
      const lee = await leaderOf(actor);
      const { goal } = await goalWithKr({
        startDate: "2026-10-01",
        dueDate: "2026-12-31",
        teamId: lee.teamId,
        visibility: "team",
      });
      const add = (text: string, estimateMinutes: number) =>
        addStep(on("2026-11-01"), actor, goal.id, { text, estimateMinutes });
      const big = await add("Redesign the site", 240);
      const s30 = await add("Draft the welcome email", 30);
      const s15 = await add("Email Raj the deck", 15);
      const s45 = await add("Book the podcast slot", 45);

      const entered = await goalStatus(on("2026-11-16"), lee.actor, goal.id);
      expect(entered).toMatchObject({ stalled: true, mode: "micro-goal", modeSince: "2026-11-16" });
      expect(entered.stallReasons).toContain("behind");
      expect(entered.nextSteps).toHaveLength(1);
      expect((entered.nextSteps[0] as Step).id).toBe(s15.id);
      expect(entered.leaderPrompt).toBe("Agree one micro-goal with Sam for Launch the newsletter");

      // A second look the same day neither re-enters nor tells the leader twice.
      await goalStatus(on("2026-11-16"), actor, goal.id);
      const events = (await listEvents(db.store.db, actor.workspaceId, 0, 1000)).filter(
        (e) => e.type === "goal.stalled" && e.subjectId === goal.id,
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.payload).toMatchObject({ goalId: goal.id, leaderPrompt: entered.leaderPrompt });

      await completeStep(on("2026-11-17"), actor, s15.id);
      const one = await goalStatus(on("2026-11-17"), actor, goal.id);
      expect(one).toMatchObject({ mode: "micro-goal", microStepsDone: 1 });
      expect(one.nextSteps.map((s) => (s as Step).id)).toEqual([s30.id]);

      await completeStep(on("2026-11-18"), actor, s30.id);
      await completeStep(on("2026-11-19"), actor, s45.id);
      const left = await goalStatus(on("2026-11-19"), actor, goal.id);
      expect(left).toMatchObject({ mode: "normal", modeSince: "2026-11-19", leaderPrompt: null });
      expect(left.stalled).toBe(true); // still far behind: the cooldown keeps it out of the mode
      expect(left.nextSteps.map((s) => (s as Step).id)).toEqual([big.id]);

      // The past is read from the mode history, not from today's mode.
      const past = await goalStatus(on("2026-11-19"), actor, goal.id, { asOf: "2026-11-17" });
      expect(past).toMatchObject({ mode: "micro-goal", modeSince: "2026-11-16", microStepsDone: 1 });
      expect(past.nextSteps.map((s) => (s as Step).id)).toEqual([s30.id]);
    },
  );

  it.skipIf(skip)("reads today's status from the goal's stored roll-up until something changes", async () => {
    const { goal, kr } = await goalWithKr();
    await addStep(on("2026-11-01"), actor, goal.id, { text: "Email Raj the deck", dueDate: "2026-11-25" });
    await checkin("2026-11-20", goal.id, { krValues: [{ keyResultId: kr.id, value: 70 }] });
    const ctx = on("2026-11-21");
    const rollup = () =>
      db.store.db.selectFrom("goalRollups").selectAll().where("goalId", "=", goal.id).executeTakeFirst();
    const first = await goalStatus(ctx, actor, goal.id);
    expect(JSON.parse((await rollup())?.statusJson ?? "null")).toEqual(first);
    // The next read is the stored text itself: mark it, and the mark comes back.
    await db.store.db
      .updateTable("goalRollups")
      .set({ statusJson: JSON.stringify({ ...first, title: "served from the store" }) })
      .where("goalId", "=", goal.id)
      .execute();
    expect((await goalStatus(ctx, actor, goal.id)).title).toBe("served from the store");
    // Any write to the goal or its rows shows at once, as computing afresh shows it.
    const fresh = async () => {
      await db.store.db.deleteFrom("goalRollups").where("goalId", "=", goal.id).execute();
      return goalStatus(ctx, actor, goal.id);
    };
    await checkin("2026-11-21", goal.id, { krValues: [{ keyResultId: kr.id, value: 80 }] });
    const moved = await goalStatus(ctx, actor, goal.id);
    expect(moved.progress).toBeCloseTo(0.8);
    expect(moved).toEqual(await fresh());
    await db.store.db
      .updateTable("goals")
      .set({ title: "Launch the weekly newsletter" })
      .where("id", "=", goal.id)
      .execute();
    const renamed = await goalStatus(ctx, actor, goal.id);
    expect(renamed.title).toBe("Launch the weekly newsletter");
    expect(renamed).toEqual(await fresh());
    const tomorrow = await goalStatus(on("2026-11-22"), actor, goal.id);
    expect(tomorrow.asOf).toBe("2026-11-22");
    expect((await rollup())?.asOf).toBe("2026-11-22");
  });

  it.skipIf(skip)("does not serve a status stored by another version of the code", async () => {
    const { goal, kr } = await goalWithKr();
    await checkin("2026-11-20", goal.id, { krValues: [{ keyResultId: kr.id, value: 70 }] });
    const ctx = on("2026-11-21");
    const first = await goalStatus(ctx, actor, goal.id);
    const row = () =>
      db.store.db
        .selectFrom("goalRollups")
        .selectAll()
        .where("goalId", "=", goal.id)
        .executeTakeFirstOrThrow();
    const mine = (await row()).stamp;
    // The same goal, rows and owner, stamped by another version of the code, with its own status.
    const [stored] = await rollupsOf(db.store.db, [goal.id], false);
    const theirs = stampOf(await getGoalOrThrow(ctx, actor, goal.id), stored, "Sam", "rollup.0/rules.0");
    expect(theirs).not.toBe(mine);
    await db.store.db
      .updateTable("goalRollups")
      .set({ stamp: theirs, statusJson: JSON.stringify({ ...first, title: "stored by another version" }) })
      .where("goalId", "=", goal.id)
      .execute();
    const read = await goalStatus(ctx, actor, goal.id);
    expect(read.title).toBe("Launch the newsletter");
    expect(read).toEqual(first);
    // Computed again and stored under this version's stamp.
    expect((await row()).stamp).toBe(mine);
    expect(JSON.parse((await row()).statusJson ?? "null")).toEqual(first);
  });

  it.skipIf(skip)("stores the micro-goal mode a view over many goals found first", async () => {
    const { goal } = await goalWithKr({ startDate: "2026-10-01", dueDate: "2026-12-31" });
    await addStep(on("2026-11-01"), actor, goal.id, { text: "Email Raj the deck", estimateMinutes: 15 });
    // The team view's roll-ups evaluate the goal (it has stalled) but store no mode.
    const ctx = on("2026-11-16");
    const [rolled] = await goalRollups(
      ctx.store.db,
      actor.workspaceId,
      [await getGoalOrThrow(ctx, actor, goal.id)],
      new Map([[actor.userId, "Sam"]]),
      "2026-11-16",
      "2026-11-16",
      "2026-11-16T10:00:00.000Z",
      "2026-11-16",
    );
    expect(rolled?.rollup.mode).toBe("micro-goal");
    const modeOf = async () =>
      (
        await db.store.db
          .selectFrom("goals")
          .select("mode")
          .where("id", "=", goal.id)
          .executeTakeFirstOrThrow()
      ).mode;
    expect(await modeOf()).toBe("normal");
    // The goal's own status stores it, and tells the leader once.
    expect((await goalStatus(ctx, actor, goal.id)).mode).toBe("micro-goal");
    expect(await modeOf()).toBe("micro-goal");
    await goalStatus(ctx, actor, goal.id);
    const events = (await listEvents(db.store.db, actor.workspaceId, 0, 1000)).filter(
      (e) => e.type === "goal.stalled" && e.subjectId === goal.id,
    );
    expect(events).toHaveLength(1);
  });

  it.skipIf(skip)("stores nothing when the status is asked for a past day", async () => {
    const { goal } = await goalWithKr({ startDate: "2026-10-01", dueDate: "2026-12-31" });
    const past = await goalStatus(on("2026-11-21"), actor, goal.id, { asOf: "2026-11-16" });
    expect(past.mode).toBe("micro-goal");
    const events = await listEvents(db.store.db, actor.workspaceId, 0, 1000);
    expect(events.filter((e) => e.type === "goal.stalled" && e.subjectId === goal.id)).toHaveLength(0);
    const row = await db.store.db
      .selectFrom("goals")
      .select(["mode", "modeSince"])
      .where("id", "=", goal.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ mode: "normal", modeSince: null });
  });

  it.skipIf(skip)("forecasts the finish from the trend of the last check-ins", async () => {
    const { goal, kr } = await goalWithKr({ dueDate: "2027-03-01" });
    await checkin("2026-11-01", goal.id, { krValues: [{ keyResultId: kr.id, value: 10 }] });
    await checkin("2026-11-08", goal.id, { krValues: [{ keyResultId: kr.id, value: 20 }] });
    await checkin("2026-11-15", goal.id, { krValues: [{ keyResultId: kr.id, value: 30 }] });
    const st = await goalStatus(on("2026-11-15"), actor, goal.id);
    // 10 points a week, 70 to go: 7 more weeks.
    expect(st.forecastDate).toBe("2027-01-03");
    const early = await goalStatus(on("2026-11-15"), actor, goal.id, { asOf: "2026-11-01" });
    expect(early.forecastDate).toBeNull();
  });

  it.skipIf(skip)(
    "reproduces the past: later key-result edits and due-date moves do not leak into it",
    async () => {
      const { goal, kr } = await goalWithKr();
      await checkin("2026-11-16", goal.id, { krValues: [{ keyResultId: kr.id, value: 50 }] });
      await updateKeyResult(on("2026-11-20"), actor, kr.id, { currentValue: 90 });
      await updateGoal(on("2026-11-20"), actor, goal.id, { dueDate: "2026-12-31", reason: "Sponsor moved" });
      const before = await goalStatus(on("2026-11-21"), actor, goal.id, { asOf: "2026-11-16" });
      expect(before).toMatchObject({ progress: 0.5, expected: 0.5 });
      const after = await goalStatus(on("2026-11-21"), actor, goal.id, { asOf: "2026-11-20" });
      expect(after.progress).toBeCloseTo(0.9);
      expect(after.expected).toBeCloseTo(19 / 60);
    },
  );

  it.skipIf(skip)(
    "counts a step done late as missed, an undone overdue step as missed, today's as pending",
    async () => {
      const goal = await createGoal(on("2026-11-01"), actor, {
        title: "Ship the release",
        startDate: "2026-11-01",
      });
      const add = (text: string, dueDate: string) =>
        addStep(on("2026-11-01"), actor, goal.id, { text, dueDate });
      const late = await add("Write the changelog", "2026-11-10");
      const onTime = await add("Tag the release", "2026-11-11");
      await add("Announce it", "2026-11-13");
      await add("Thank the testers", "2026-11-21");
      await completeStep(on("2026-11-12"), actor, late.id);
      await completeStep(on("2026-11-11"), actor, onTime.id);

      const report = await followThroughReport(on("2026-11-21"), actor);
      expect(report).toMatchObject({
        from: "2026-10-25",
        to: "2026-11-21",
        weeks: 4,
        kept: 1,
        missed: 2,
        pending: 1,
      });
      expect(report.followThroughRate).toBeCloseTo(1 / 3);
      expect(report.byUser).toEqual([
        expect.objectContaining({ userId: actor.userId, kept: 1, missed: 2, name: expect.any(String) }),
      ]);
      expect(report.byWeek.map((w) => w.weekStart)).toEqual([
        "2026-10-19",
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
      ]);
      expect(report.wins.filter((w) => w.type === "step-done").map((w) => w.date)).toEqual([
        "2026-11-12",
        "2026-11-11",
      ]);

      // As known on 11 November, the changelog was overdue and the announcement not due yet.
      const then = await followThroughReport(on("2026-11-21"), actor, { asOf: "2026-11-11", weeks: 1 });
      expect(then).toMatchObject({ kept: 1, missed: 1, pending: 0 });
    },
  );

  it.skipIf(skip)(
    "lists stalled goals in the report and leaves dropped goals' steps out of the rate",
    async () => {
      const silent = await createGoal(on("2026-11-01"), actor, {
        title: "Write the handbook",
        startDate: "2026-11-01",
      });
      const dropped = await createGoal(on("2026-11-01"), actor, {
        title: "Old idea",
        startDate: "2026-11-01",
      });
      await addStep(on("2026-11-01"), actor, dropped.id, { text: "Sketch it", dueDate: "2026-11-05" });
      await updateGoal(on("2026-11-15"), actor, dropped.id, {
        status: "dropped",
        reason: "No longer needed",
      });
      const report = await followThroughReport(on("2026-11-21"), actor);
      expect(report.stalled).toEqual([
        expect.objectContaining({ goalId: silent.id, title: "Write the handbook", reasons: ["silent"] }),
      ]);
      expect(report).toMatchObject({ kept: 0, missed: 0, followThroughRate: null });
      // Before it was dropped, the missed sketch counted.
      const before = await followThroughReport(on("2026-11-21"), actor, { asOf: "2026-11-10" });
      expect(before).toMatchObject({ missed: 1 });
    },
  );

  it.skipIf(skip)("gives the wins feed of the window, newest first", async () => {
    const { goal, kr } = await goalWithKr();
    const step = await addStep(on("2026-11-01"), actor, goal.id, { text: "Draft the welcome email" });
    await completeStep(on("2026-11-18"), actor, step.id);
    await checkin("2026-11-19", goal.id, { krValues: [{ keyResultId: kr.id, value: 80 }] });
    const feed = await winsFeed(on("2026-11-21"), actor);
    expect(feed).toMatchObject({ asOf: "2026-11-21", from: "2026-11-15", to: "2026-11-21" });
    expect(feed.items.map((w) => [w.type, w.date])).toEqual([
      ["buffer-gained", "2026-11-21"],
      ["milestone", "2026-11-19"],
      ["step-done", "2026-11-18"],
    ]);
    const older = await winsFeed(on("2026-11-21"), actor, { asOf: "2026-11-17" });
    expect(older.items).toEqual([]);
  });

  it.skipIf(skip)("reviews the week and adds next week's small steps in one go", async () => {
    const goal = await createGoal(on("2026-11-01"), actor, {
      title: "Ship the release",
      startDate: "2026-11-14",
    });
    const missed = await addStep(on("2026-11-01"), actor, goal.id, {
      text: "Announce it",
      dueDate: "2026-11-18",
    });
    const review = await weeklyReview(on("2026-11-21"), actor);
    expect(review).toMatchObject({
      from: "2026-11-15",
      to: "2026-11-21",
      kept: 0,
      missed: 1,
      followThroughRate: 0,
      nextWeek: { from: "2026-11-22", to: "2026-11-28" },
    });
    expect(review.misses).toEqual([
      expect.objectContaining({ kind: "step", id: missed.id, text: "Announce it", doneOn: null }),
    ]);
    expect(review.plan).toEqual([
      expect.objectContaining({ goalId: goal.id, question: expect.stringMatching(/one small step/) }),
    ]);

    const added = await addReviewSteps(on("2026-11-21"), actor, {
      steps: [{ goalId: goal.id, text: "Post the announcement" }],
    });
    expect(added).toEqual([
      expect.objectContaining({ text: "Post the announcement", dueDate: "2026-11-28" }),
    ]);
    await expect(
      addReviewSteps(on("2026-11-21"), actor, {
        steps: [
          { goalId: goal.id, text: "Thank the testers" },
          { goalId: 999, text: "Nothing" },
        ],
      }),
    ).rejects.toMatchObject({ code: "goal_not_found" });
    const after = await weeklyReview(on("2026-11-21"), actor);
    expect(after.plan[0]?.nextSteps.map((s) => (s as Step).text)).toEqual([
      "Announce it",
      "Post the announcement",
    ]);
  });

  it.skipIf(skip)("returns the Plan B and the people to ask when a check-in hits a barrier", async () => {
    const { goal } = await goalWithKr();
    await addResource(on("2026-11-01"), actor, goal.id, {
      name: "Dana",
      kind: "person",
      ask: "Sign as deputy",
    });
    await addResource(on("2026-11-01"), actor, goal.id, { name: "Canva", kind: "tool" });
    const barrier = await addBarrier(on("2026-11-01"), actor, goal.id, {
      obstacle: "Sponsor approval slips",
      planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
      likelihood: "high",
    });
    const c = await checkin("2026-11-16", goal.id, { barriersHit: [barrier.id, barrier.id] });
    expect(c.planB).toEqual([
      {
        barrierId: barrier.id,
        obstacle: "Sponsor approval slips",
        planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
        askPeople: [{ name: "Dana", ask: "Sign as deputy" }],
      },
    ]);
  });

  it.skipIf(skip)("refuses a bad day and an unknown goal with clear errors", async () => {
    const { goal } = await goalWithKr();
    await expect(goalStatus(on("2026-11-21"), actor, goal.id, { asOf: "2026-02-31" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/asOf: is not a date/),
    });
    await expect(goalStatus(on("2026-11-21"), actor, 999)).rejects.toMatchObject({ code: "goal_not_found" });
    await expect(followThroughReport(on("2026-11-21"), actor, { weeks: 0 })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });
});
