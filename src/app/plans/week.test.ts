import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildTeam, fixedContext, NOW } from "../../../test/helpers/factories.js";
import type { Step } from "../../core/types.js";
import { createPerson } from "../../store/repos/people.js";
import { type Actor, type AppContext, appContext, today } from "../context.js";
import { goalStatus } from "../evaluation/status.js";
import { addKeyResult, createGoal } from "./goals.js";
import { addStep, completeStep, myWeek } from "./steps.js";

const PROMPT = (title: string) => `Write one step for ${title} that you can finish in 60 minutes or less.`;

describe.each(DIALECTS)("my week and micro-goal mode on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let sam: Actor;
  let lee: Actor;
  let mia: Actor;
  let teamId: number;

  /** Saturday 2026-11-21: the week runs from Monday 16 to Sunday 22 November. */
  const ctx = (): AppContext => fixedContext(db.store, NOW);
  const ids = (steps: readonly Step[]) => steps.map((s) => s.id);

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
  });
  afterAll(async () => {
    await db?.dispose();
  });
  // Each test has its own people: Sam (a member of Lee's team), Lee who leads it, Mia in no team.
  beforeEach(async () => {
    if (skip) return;
    const ws = (await actorFor(db.store)).actor.workspaceId;
    const person = async (name: string) => ({
      userId: (await createPerson(db.store.db, ws, name, NOW)).id,
      workspaceId: ws,
    });
    [sam, lee, mia] = [await person("Sam"), await person("Lee"), await person("Mia")];
    teamId = await buildTeam(db.store, ws, `Growth ${sam.userId}`, [
      { userId: lee.userId, role: "leader" },
      { userId: sam.userId, role: "member" },
    ]);
  });

  /** A goal of `owner` far behind its line since October: today's status puts it in micro-goal mode. */
  async function stalledGoal(owner: Actor, title: string, over: Record<string, unknown> = {}) {
    const on = fixedContext(db.store, "2026-10-01T10:00:00.000Z");
    const goal = await createGoal(on, owner, {
      title,
      startDate: "2026-10-01",
      dueDate: "2026-12-31",
      visibility: "workspace",
      ...over,
    });
    await addKeyResult(on, owner, goal.id, { title: "Subscribers", startValue: 0, targetValue: 100 });
    return goal;
  }

  async function enterMicroMode(owner: Actor, goalId: number) {
    const st = await goalStatus(ctx(), owner, goalId);
    expect(st.mode).toBe("micro-goal");
    return st;
  }

  it.skipIf(skip)(
    "shows only the one micro-step of a stalled goal, even when it is not due this week",
    async () => {
      const stalled = await stalledGoal(sam, "Launch the newsletter");
      const on = fixedContext(db.store, "2026-10-01T10:00:00.000Z");
      const dueNow = await addStep(on, sam, stalled.id, { text: "Redesign the site", dueDate: "2026-11-20" });
      const later = await addStep(on, sam, stalled.id, {
        text: "Email Raj the deck",
        dueDate: "2026-12-10",
        estimateMinutes: 15,
      });
      await addStep(on, sam, stalled.id, { text: "Call Dana", dueDate: "2026-12-20", estimateMinutes: 15 });
      const calm = await createGoal(ctx(), sam, { title: "Read more", startDate: "2026-11-20" });
      const normal = await addStep(ctx(), sam, calm.id, { text: "Read one chapter", dueDate: "2026-11-22" });

      const before = await myWeek(ctx(), sam);
      expect(ids(before.steps)).toEqual([dueNow.id, normal.id]);
      expect(before.microGoals).toEqual([]);

      const st = await enterMicroMode(sam, stalled.id);
      const week = await myWeek(ctx(), sam);
      expect(week).toMatchObject({ from: "2026-11-16", to: "2026-11-22", prompt: null });
      expect(ids(week.steps)).toEqual([normal.id]);
      expect(week.microGoals).toEqual([
        {
          goalId: stalled.id,
          title: "Launch the newsletter",
          step: expect.objectContaining({ id: later.id }),
          prompt: null,
        },
      ]);
      // `status` shows the same one step.
      expect((st.nextSteps[0] as Step).id).toBe(later.id);
    },
  );

  it.skipIf(skip)("prompts for one small step when a stalled goal has no open step that fits", async () => {
    const stalled = await stalledGoal(sam, "Write the handbook");
    const on = fixedContext(db.store, "2026-10-01T10:00:00.000Z");
    const only = await addStep(on, sam, stalled.id, { text: "Write chapter one", estimateMinutes: 30 });
    await enterMicroMode(sam, stalled.id);
    await completeStep(ctx(), sam, only.id);

    const week = await myWeek(ctx(), sam);
    expect(week.steps).toEqual([]);
    expect(week.microGoals).toEqual([
      { goalId: stalled.id, title: "Write the handbook", step: null, prompt: PROMPT("Write the handbook") },
    ]);
    // Something is asked of me, so the "nothing is planned" question is not.
    expect(week.prompt).toBeNull();
    const st = await goalStatus(ctx(), sam, stalled.id);
    expect(st.nextSteps).toEqual([{ prompt: PROMPT("Write the handbook") }]);
  });

  it.skipIf(skip)(
    "shows someone else's stalled goal only through its one step, when that step is mine",
    async () => {
      const theirs = await stalledGoal(mia, "Ship the podcast");
      const on = fixedContext(db.store, "2026-10-01T10:00:00.000Z");
      const add = (text: string, ownerId: number, dueDate: string, estimateMinutes: number) =>
        addStep(on, mia, theirs.id, { text, ownerId, dueDate, estimateMinutes });
      const mine = await add("Book the studio", sam.userId, "2026-11-21", 10);
      const alsoMine = await add("Edit the whole season", sam.userId, "2026-11-20", 90);
      const hers = await add("Write the show notes", mia.userId, "2026-11-19", 50);
      expect(ids((await myWeek(ctx(), sam)).steps)).toEqual([alsoMine.id, mine.id]);

      await enterMicroMode(mia, theirs.id);
      const week = await myWeek(ctx(), sam);
      expect(week.steps).toEqual([]);
      expect(week.microGoals.map((g) => [g.goalId, g.step?.id])).toEqual([[theirs.id, mine.id]]);

      // Once that step is done the goal's one step is Mia's: nothing of the goal is in my week.
      await completeStep(ctx(), sam, mine.id);
      const after = await myWeek(ctx(), sam);
      expect(after.steps).toEqual([]);
      expect(after.microGoals).toEqual([]);
      expect((await myWeek(ctx(), mia)).microGoals.map((g) => g.step?.id)).toEqual([hers.id]);
    },
  );

  it.skipIf(skip)("gives the leader prompt only to the people who lead the goal's owner", async () => {
    // Filed under no team: Lee leads Sam through the team Sam is in.
    const goal = await stalledGoal(sam, "Launch the newsletter");
    const hers = await stalledGoal(mia, "Ship the podcast");
    const st = await enterMicroMode(sam, goal.id);
    expect(st.leaderPrompt).toBeNull();
    expect((await goalStatus(ctx(), lee, goal.id)).leaderPrompt).toBe(
      "Agree one micro-goal with Sam for Launch the newsletter",
    );
    expect((await goalStatus(ctx(), mia, goal.id)).leaderPrompt).toBeNull();
    // Mia is in no team and her goal in none: nobody leads her, Lee included.
    await enterMicroMode(mia, hers.id);
    expect((await goalStatus(ctx(), lee, hers.id)).leaderPrompt).toBeNull();
    expect((await goalStatus(ctx(), sam, hers.id)).leaderPrompt).toBeNull();
  });

  it.skipIf(skip)(
    "gives the leader prompt to the leaders of the goal's team, never to its owner",
    async () => {
      const leesOwn = await stalledGoal(lee, "Hire a designer", { teamId, visibility: "team" });
      expect((await enterMicroMode(lee, leesOwn.id)).leaderPrompt).toBeNull();
      // Sam is only a member of the team: a member leads nobody.
      expect((await goalStatus(ctx(), sam, leesOwn.id)).leaderPrompt).toBeNull();

      // Sam files a goal under the team and then leaves it: Lee still leads Sam on that goal.
      const filed = await stalledGoal(sam, "Launch the newsletter", { teamId, visibility: "workspace" });
      await db.store.db.deleteFrom("memberships").where("userId", "=", sam.userId).execute();
      await enterMicroMode(sam, filed.id);
      expect((await goalStatus(ctx(), lee, filed.id)).leaderPrompt).toBe(
        "Agree one micro-goal with Sam for Launch the newsletter",
      );
      expect((await goalStatus(ctx(), mia, filed.id)).leaderPrompt).toBeNull();
    },
  );

  it.skipIf(skip)(
    "starts my week where I am: Monday morning in Auckland while it is Sunday in UTC",
    async () => {
      // Sunday 22 November, 20:00 UTC: 09:00 on Monday the 23rd in Auckland (UTC+13).
      const at = () => new Date("2026-11-22T20:00:00.000Z");
      const utc = appContext(db.store, at);
      const auckland = appContext(db.store, at, "Pacific/Auckland");
      expect(today(utc)).toBe("2026-11-22");
      expect(today(auckland)).toBe("2026-11-23");
      const goal = await createGoal(utc, sam, { title: "Read more", startDate: "2026-11-20" });
      const monday = await addStep(utc, sam, goal.id, { text: "Read one chapter", dueDate: "2026-11-23" });
      expect(await myWeek(auckland, sam)).toMatchObject({ from: "2026-11-23", to: "2026-11-29" });
      expect(ids((await myWeek(auckland, sam)).steps)).toEqual([monday.id]);
      expect(await myWeek(utc, sam)).toMatchObject({ from: "2026-11-16", to: "2026-11-22", steps: [] });
    },
  );
});
