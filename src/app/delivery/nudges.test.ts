import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildTeam, fixedContext } from "../../../test/helpers/factories.js";
import { runDueJobs } from "../../jobs/worker.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { snooze, updateSettings } from "../people/settings.js";
import { addKeyResult, createGoal } from "../plans/goals.js";
import { addBarrier, addResource } from "../plans/resources.js";
import { addStep } from "../plans/steps.js";
import { inbox } from "./notices.js";
import { planNudges } from "./nudges.js";

describe.each(DIALECTS)("nudge rules on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;

  const ctxAt = (iso: string): AppContext => fixedContext(db.store, iso);
  /** Saturday 2026-11-21, 10:00 UTC. */
  const NOW = "2026-11-21T10:00:00.000Z";

  beforeEach(async () => {
    if (skip) return;
    db = await freshStore(d);
    owner = (await actorFor(db.store, NOW)).actor;
    // Quiet hours off unless a test turns them on, so deliveries happen at the tick.
    await updateSettings(ctxAt(NOW), owner, { quietHours: null });
  });
  afterEach(async () => {
    await db?.dispose();
  });

  async function keys(prefix = ""): Promise<string[]> {
    const rows = await db.store.db.selectFrom("jobs").select("dedupeKey").orderBy("dedupeKey").execute();
    return rows.map((r) => r.dedupeKey).filter((k) => k.startsWith(prefix));
  }

  async function person(name: string): Promise<Actor> {
    const p = await createPerson(db.store.db, owner.workspaceId, name, NOW);
    await updateSettings(ctxAt(NOW), { userId: p.id, workspaceId: owner.workspaceId }, { quietHours: null });
    return { userId: p.id, workspaceId: owner.workspaceId };
  }

  async function goal(over: Record<string, unknown> = {}) {
    return createGoal(ctxAt("2026-11-01T09:00:00.000Z"), owner, {
      title: "Launch the newsletter",
      // Started on the 18th: the first check-in is due on the 25th, after these scenarios.
      startDate: "2026-11-18",
      dueDate: "2027-03-01",
      visibility: "workspace",
      ...over,
    });
  }

  it.skipIf(skip)("queues a step due tomorrow, due today and overdue once each, not an old one", async () => {
    const g = await goal();
    const ctx = ctxAt("2026-11-01T09:00:00.000Z");
    const tomorrow = await addStep(ctx, owner, g.id, { text: "Email Raj the deck", dueDate: "2026-11-22" });
    const today = await addStep(ctx, owner, g.id, { text: "Draft the welcome email", dueDate: "2026-11-21" });
    const late = await addStep(ctx, owner, g.id, { text: "Call Dana", dueDate: "2026-11-19" });
    await addStep(ctx, owner, g.id, { text: "Book the venue", dueDate: "2026-11-01" });
    await addStep(ctx, owner, g.id, { text: "Write the launch post", dueDate: "2026-11-30" });

    const first = await planNudges(ctxAt(NOW));
    expect(await keys("step-")).toEqual([
      `step-due-today:${today.id}:2026-11-21`,
      `step-due-tomorrow:${tomorrow.id}:2026-11-22`,
      `step-overdue:${late.id}:2026-11-19`,
    ]);
    expect(first.queued).toBeGreaterThanOrEqual(3);
    // Running the planner again (or from another instance) queues nothing new.
    expect((await planNudges(ctxAt(NOW))).queued).toBe(0);
    expect((await planNudges(ctxAt("2026-11-21T18:00:00.000Z"))).queued).toBe(0);

    await runDueJobs(ctxAt(NOW), new Date(NOW));
    const items = await inbox(ctxAt(NOW), owner, {});
    expect(items.map((i) => i.type).sort()).toEqual([
      "nudge.step-due-today",
      "nudge.step-due-tomorrow",
      "nudge.step-overdue",
    ]);
    const dueTomorrow = items.find((i) => i.type === "nudge.step-due-tomorrow");
    expect(dueTomorrow?.message).toContain("“Email Raj the deck” for Launch the newsletter is due tomorrow");
    expect(dueTomorrow?.payload).toMatchObject({
      stepId: tomorrow.id,
      link: `/goals/${g.id}#step-${tomorrow.id}`,
    });
  });

  it.skipIf(skip)("reads 'tomorrow' in the owner's time zone", async () => {
    const g = await goal();
    const step = await addStep(ctxAt(NOW), owner, g.id, {
      text: "Email Raj the deck",
      dueDate: "2026-11-22",
    });
    // 10:00 UTC is already 00:00 on the 22nd on Kiritimati (UTC+14): the step is due today there.
    await updateSettings(ctxAt(NOW), owner, { timeZone: "Pacific/Kiritimati" });
    await planNudges(ctxAt(NOW));
    expect(await keys("step-")).toEqual([`step-due-today:${step.id}:2026-11-22`]);
  });

  it.skipIf(skip)("nudges the step's owner, and not someone who may not read the goal", async () => {
    const sam = await person("Sam");
    const shared = await goal();
    const hidden = await goal({ visibility: "private", title: "Private plan" });
    const a = await addStep(ctxAt(NOW), owner, shared.id, {
      text: "Sam drafts",
      dueDate: "2026-11-22",
      ownerId: sam.userId,
    });
    await addStep(ctxAt(NOW), owner, hidden.id, {
      text: "Sam reviews",
      dueDate: "2026-11-22",
      ownerId: sam.userId,
    });
    await planNudges(ctxAt(NOW));
    expect(await keys("step-")).toEqual([`step-due-tomorrow:${a.id}:2026-11-22`]);
    await runDueJobs(ctxAt(NOW), new Date(NOW));
    expect((await inbox(ctxAt(NOW), sam, {})).map((i) => i.subjectId)).toEqual([a.id]);
    expect(await inbox(ctxAt(NOW), owner, {})).toEqual([]);
  });

  it.skipIf(skip)(
    "asks for a check-in on the day the cadence comes round, and says when it was missed",
    async () => {
      const g = await goal({ cadenceDays: 7, startDate: "2026-11-01" });
      await createCheckin(ctxAt("2026-11-14T10:00:00.000Z"), owner, g.id, {
        date: "2026-11-14",
        doneText: "Sent the deck",
      });
      await planNudges(ctxAt("2026-11-20T10:00:00.000Z"));
      expect(await keys("checkin-")).toEqual([]);
      await planNudges(ctxAt(NOW));
      expect(await keys("checkin-")).toEqual([`checkin-due:${g.id}:2026-11-21`]);
      await planNudges(ctxAt("2026-11-22T10:00:00.000Z"));
      await planNudges(ctxAt("2026-11-23T10:00:00.000Z"));
      expect(await keys("checkin-")).toEqual([
        `checkin-due:${g.id}:2026-11-21`,
        `checkin-missed:${g.id}:2026-11-21`,
      ]);
    },
  );

  it.skipIf(skip)(
    "tells the owner and the team's leader when a goal stalls, with one micro-step",
    async () => {
      const lee = await person("Lee Leader");
      const team = await db.store.db
        .insertInto("teams")
        .values({ workspaceId: owner.workspaceId, name: "Growth", createdAt: NOW })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.store.db
        .insertInto("memberships")
        .values([
          { teamId: team.id, userId: lee.userId, role: "leader", createdAt: NOW },
          { teamId: team.id, userId: owner.userId, role: "member", createdAt: NOW },
        ])
        .execute();
      const g = await goal({ teamId: team.id, visibility: "team", dueDate: "2026-12-01" });
      const ctx = ctxAt("2026-11-01T09:00:00.000Z");
      await addKeyResult(ctx, owner, g.id, { title: "Subscribers", startValue: 0, targetValue: 100 });
      await addStep(ctx, owner, g.id, { text: "Email one past reader", estimateMinutes: 10 });
      await addStep(ctx, owner, g.id, { text: "Rewrite the whole site", estimateMinutes: 600 });

      // Day 1: the planner queues the daily stall scan; the worker evaluates the goal (far behind, silent).
      await planNudges(ctxAt(NOW));
      await runDueJobs(ctxAt(NOW), new Date(NOW));
      // The next tick turns goal.stalled into nudges for the owner and the leader.
      await planNudges(ctxAt(NOW));
      expect(await keys("goal-stalled:")).toHaveLength(2);
      await runDueJobs(ctxAt(NOW), new Date(NOW));
      const mine = (await inbox(ctxAt(NOW), owner, {})).filter((i) => i.type === "nudge.goal-stalled");
      const leaders = (await inbox(ctxAt(NOW), lee, {})).filter((i) => i.type === "nudge.goal-stalled");
      expect(mine).toHaveLength(1);
      expect(mine[0]?.message).toContain("micro-goal mode");
      expect(mine[0]?.message).toContain("One small next step: “Email one past reader” (10 min).");
      expect(leaders).toHaveLength(1);
      expect(leaders[0]?.message).toContain("Agree one micro-goal with");
      expect(leaders[0]?.message).toContain("“Email one past reader”");
      // The scan runs once a day however often the planner ticks.
      await planNudges(ctxAt("2026-11-21T11:00:00.000Z"));
      expect(await keys("stall-scan:")).toHaveLength(1);
    },
  );

  /** A team with its members in the given roles. */
  const team = (name: string, members: [Actor, string][]) =>
    buildTeam(
      db.store,
      owner.workspaceId,
      name,
      members.map(([m, role]) => ({ userId: m.userId, role })),
    );

  /** A goal far behind by NOW, with a small step and a big one; the day's stall scan has run. */
  async function stalledGoal(over: Record<string, unknown>) {
    const g = await goal({ dueDate: "2026-12-01", ...over });
    const ctx = ctxAt("2026-11-01T09:00:00.000Z");
    await addKeyResult(ctx, owner, g.id, { title: "Subscribers", startValue: 0, targetValue: 100 });
    await addStep(ctx, owner, g.id, { text: "Email one past reader", estimateMinutes: 10 });
    await planNudges(ctxAt(NOW));
    await runDueJobs(ctxAt(NOW), new Date(NOW));
    return g;
  }

  it.skipIf(skip)(
    "prompts the people who lead the owner through another team to agree a micro-goal, not the owner",
    async () => {
      const lee = await person("Lee Leader");
      const kim = await person("Kim Member");
      await team("Design", [
        [lee, "leader"],
        [owner, "member"],
        [kim, "member"],
      ]);
      // Filed under no team and shown to the whole workspace: Lee leads the owner through Design.
      await stalledGoal({ visibility: "workspace" });
      await planNudges(ctxAt(NOW));
      await runDueJobs(ctxAt(NOW), new Date(NOW));
      const stalls = async (who: Actor) =>
        (await inbox(ctxAt(NOW), who, {})).filter((i) => i.type === "nudge.goal-stalled");
      const [mine] = await stalls(owner);
      expect(mine?.message).toContain("micro-goal mode");
      expect(mine?.message).not.toContain("Agree one micro-goal");
      const [leaders] = await stalls(lee);
      expect(leaders?.message).toContain("Agree one micro-goal with");
      expect(await stalls(kim)).toEqual([]);
    },
  );

  it.skipIf(skip)(
    "gives a leader's digest the micro-goal prompt of others' goals, not of their own",
    async () => {
      const lee = await person("Lee Leader");
      const growth = await team("Growth", [
        [owner, "leader"],
        [lee, "leader"],
      ]);
      await stalledGoal({ teamId: growth, visibility: "team" });
      for (const who of [owner, lee])
        await updateSettings(ctxAt(NOW), who, { weeklyPrompt: { day: "saturday", hour: 9 } });
      await planNudges(ctxAt(NOW));
      await runDueJobs(ctxAt(NOW), new Date(NOW));
      const digestOf = async (who: Actor) =>
        (await inbox(ctxAt(NOW), who, {})).find(
          (i) => i.type === "nudge.weekly-digest" && i.subjectId === growth,
        );
      expect((await digestOf(owner))?.message).toContain("Stalled goals: Launch the newsletter.");
      expect((await digestOf(lee))?.message).toContain(
        "Stalled goals: Launch the newsletter — Agree one micro-goal with",
      );
    },
  );

  it.skipIf(skip)(
    "names a stalled goal's one micro-step in the weekly prompt, as its status does",
    async () => {
      const g = await stalledGoal({ visibility: "workspace" });
      await addStep(ctxAt(NOW), owner, g.id, { text: "Rewrite the whole site", dueDate: "2026-11-22" });
      await updateSettings(ctxAt(NOW), owner, { weeklyPrompt: { day: "saturday", hour: 9 } });
      await planNudges(ctxAt(NOW));
      await runDueJobs(ctxAt(NOW), new Date(NOW));
      const n = (await inbox(ctxAt(NOW), owner, {})).find((i) => i.type === "nudge.weekly-prompt");
      expect(n?.message).toContain("Launch the newsletter: next is “Email one past reader”.");
    },
  );

  it.skipIf(skip)(
    "tells the people listed as resources when an obstacle is hit, with the Plan B",
    async () => {
      const dana = await person("Dana");
      const kim = await person("Kim");
      const g = await goal();
      const ctx = ctxAt("2026-11-01T09:00:00.000Z");
      await addResource(ctx, owner, g.id, { kind: "person", name: "dana", ask: "Sign as deputy" });
      const byId = await addResource(ctx, owner, g.id, { kind: "person", name: "K. (design)", ask: null });
      await db.store.db
        .updateTable("resources")
        .set({ userId: kim.userId })
        .where("id", "=", byId.id)
        .execute();
      await addResource(ctx, owner, g.id, { kind: "person", name: "Nobody we know" });
      const barrier = await addBarrier(ctx, owner, g.id, {
        obstacle: "Sponsor approval slips past Friday",
        planB: "If approval slips past Friday, then I ask Dana to sign as deputy",
      });
      await createCheckin(ctxAt(NOW), owner, g.id, { date: "2026-11-21", barriersHit: [barrier.id] });
      await planNudges(ctxAt(NOW));
      expect((await keys("obstacle-hit:")).map((k) => k.split(":")[3])).toEqual(
        [String(dana.userId), String(kim.userId)].sort(),
      );
      await runDueJobs(ctxAt(NOW), new Date(NOW));
      const [n] = await inbox(ctxAt(NOW), dana, {});
      expect(n?.message).toContain("Sponsor approval slips past Friday");
      expect(n?.message).toContain(
        "Plan B: If approval slips past Friday, then I ask Dana to sign as deputy",
      );
      expect(n?.message).toContain("Sign as deputy");
      expect(await inbox(ctxAt(NOW), owner, {})).toEqual([]);
    },
  );

  it.skipIf(skip)("sends the weekly prompt on the person's own day, hour and time zone", async () => {
    await goal();
    await updateSettings(ctxAt(NOW), owner, {
      timeZone: "America/New_York",
      weeklyPrompt: { day: "monday", hour: 9 },
    });
    // Monday 2026-11-23 08:30 in New York: not yet.
    await planNudges(ctxAt("2026-11-23T13:30:00.000Z"));
    expect(await keys("weekly-prompt:")).toEqual([]);
    // 09:10 in New York.
    await planNudges(ctxAt("2026-11-23T14:10:00.000Z"));
    await planNudges(ctxAt("2026-11-23T20:00:00.000Z"));
    expect(await keys("weekly-prompt:")).toEqual([`weekly-prompt:${owner.userId}:2026-11-23`]);
    await runDueJobs(ctxAt("2026-11-23T14:10:00.000Z"), new Date("2026-11-23T14:10:00.000Z"));
    const n = (await inbox(ctxAt(NOW), owner, {})).find((i) => i.type === "nudge.weekly-prompt");
    expect(n?.message).toContain("Launch the newsletter: no open step yet. What is one small step?");
  });

  it.skipIf(skip)("sends each leader a weekly digest of their team", async () => {
    const team = await db.store.db
      .insertInto("teams")
      .values({ workspaceId: owner.workspaceId, name: "Growth", createdAt: NOW })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.store.db
      .insertInto("memberships")
      .values({ teamId: team.id, userId: owner.userId, role: "leader", createdAt: NOW })
      .execute();
    const g = await goal({ teamId: team.id, visibility: "team" });
    const ctx = ctxAt("2026-11-16T09:00:00.000Z");
    await addStep(ctx, owner, g.id, { text: "Ship the signup form", dueDate: "2026-11-18" });
    await updateSettings(ctxAt(NOW), owner, { weeklyPrompt: { day: "saturday", hour: 9 } });
    await planNudges(ctxAt(NOW));
    expect((await keys("weekly-digest:")).filter((k) => k.includes(`:${team.id}:`))).toEqual([
      `weekly-digest:${owner.userId}:${team.id}:2026-11-21`,
    ]);
    await runDueJobs(ctxAt(NOW), new Date(NOW));
    const digest = (await inbox(ctxAt(NOW), owner, {})).find(
      (i) => i.type === "nudge.weekly-digest" && i.subjectId === team.id,
    );
    expect(digest?.message).toContain("Follow-through: 0 % (0 kept, 1 missed");
    expect(digest?.message).toContain("“Ship the signup form” (due 2026-11-18)");
  });

  it.skipIf(skip)(
    "defers a nudge in quiet hours to their end, and one while snoozed to the snooze's end",
    async () => {
      const g = await goal();
      await addStep(ctxAt(NOW), owner, g.id, { text: "Email Raj", dueDate: "2026-11-22" });
      await updateSettings(ctxAt(NOW), owner, { quietHours: { start: 21, end: 8 } });
      const night = "2026-11-21T22:00:00.000Z";
      await planNudges(ctxAt(night));
      const r = await runDueJobs(ctxAt(night), new Date(night));
      expect(r).toMatchObject({ deferred: 1, done: 1 }); // the stall scan runs; the nudge waits
      expect(await inbox(ctxAt(night), owner, {})).toEqual([]);
      const job = await db.store.db
        .selectFrom("jobs")
        .selectAll()
        .where("kind", "=", "nudge")
        .executeTakeFirstOrThrow();
      expect(job).toMatchObject({ state: "queued", runAt: "2026-11-22T08:00:00.000Z", attempts: 0 });

      await snooze(ctxAt("2026-11-22T07:00:00.000Z"), owner, { until: "2026-11-22T12:00:00Z" });
      await runDueJobs(ctxAt("2026-11-22T08:00:00.000Z"), new Date("2026-11-22T08:00:00.000Z"));
      expect(await inbox(ctxAt(NOW), owner, {})).toEqual([]);
      await runDueJobs(ctxAt("2026-11-22T12:00:00.000Z"), new Date("2026-11-22T12:00:00.000Z"));
      expect((await inbox(ctxAt(NOW), owner, {})).map((i) => i.type)).toEqual(["nudge.step-due-tomorrow"]);
    },
  );

  it.skipIf(skip)("leaves out a channel turned off for a kind of nudge, or altogether", async () => {
    const g = await goal();
    await addStep(ctxAt(NOW), owner, g.id, { text: "Email Raj", dueDate: "2026-11-22" });
    await addStep(ctxAt(NOW), owner, g.id, { text: "Draft", dueDate: "2026-11-21" });
    await updateSettings(ctxAt(NOW), owner, { nudges: { "step-due-tomorrow": { inbox: false } } });
    await planNudges(ctxAt(NOW));
    await runDueJobs(ctxAt(NOW), new Date(NOW));
    expect((await inbox(ctxAt(NOW), owner, {})).map((i) => i.type)).toEqual(["nudge.step-due-today"]);
    expect(
      (await db.store.db.selectFrom("jobs").select("state").where("kind", "=", "nudge").execute()).map(
        (j) => j.state,
      ),
    ).toEqual(["done", "done"]);
  });
});
