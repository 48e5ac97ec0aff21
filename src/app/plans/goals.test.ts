import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, dialectAvailable, freshStore } from "../../../test/helpers/dialects.js";
import { actorFor, buildGoal } from "../../../test/helpers/factories.js";
import { failure } from "../../../test/helpers/failure.js";
import { createPerson } from "../../store/repos/people.js";
import { createCheckin } from "../checkins/checkins.js";
import type { Actor, AppContext } from "../context.js";
import { createTeam } from "../people/accounts.js";
import * as goals from "./goals.js";
import { createPlan } from "./plan.js";
import * as steps from "./steps.js";

describe.each(DIALECTS)("goals on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let me: Actor;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ({ ctx, actor: me } = await actorFor(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)("creates a goal owned by the actor with defaults filled in", async () => {
    const g = await goals.createGoal(ctx, me, { title: "Run a 10k by June", dueDate: "2027-06-01" });
    expect(g).toMatchObject({
      ownerId: me.userId,
      status: "active",
      visibility: "private",
      cadenceDays: 7,
      startDate: "2026-11-21",
    });
  });

  it.skipIf(skip)("refuses a due date before the start", async () => {
    const e = await failure(
      goals.createGoal(ctx, me, buildGoal({ startDate: "2027-01-10", dueDate: "2027-01-01" })),
    );
    expect(e.code).toBe("due_before_start");
  });

  it.skipIf(skip)("needs a reason to move the due date, change the priority or drop the goal", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal());
    expect((await failure(goals.updateGoal(ctx, me, g.id, { dueDate: "2027-05-01" }))).code).toBe(
      "reason_required",
    );
    expect((await failure(goals.updateGoal(ctx, me, g.id, { priority: "high" }))).code).toBe(
      "reason_required",
    );
    expect((await failure(goals.dropGoal(ctx, me, g.id, undefined))).code).toBe("reason_required");
    expect(await goals.goalHistory(ctx, me, g.id)).toEqual([]);
    const unchanged = await goals.getGoalOrThrow(ctx, me, g.id);
    expect(unchanged.dueDate).toBe("2027-03-31");

    await goals.updateGoal(ctx, me, g.id, { dueDate: "2027-05-01", reason: "The sponsor moved launch" });
    await goals.dropGoal(ctx, me, g.id, "Merged into the Q2 plan");
    const history = await goals.goalHistory(ctx, me, g.id);
    expect(history.map((h) => [h.field, h.oldValue, h.newValue, h.reason])).toEqual([
      ["dueDate", "2027-03-31", "2027-05-01", "The sponsor moved launch"],
      ["status", "active", "dropped", "Merged into the Q2 plan"],
    ]);
  });

  it.skipIf(skip)("records ordinary edits in the history without demanding a reason", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal());
    await goals.updateGoal(ctx, me, g.id, { title: "Grow the newsletter to 2,500 subscribers" });
    const [change] = await goals.goalHistory(ctx, me, g.id);
    expect(change).toMatchObject({
      field: "title",
      reason: null,
      newValue: "Grow the newsletter to 2,500 subscribers",
    });
  });

  it.skipIf(skip)("needs a reason to change a key result's target", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal());
    const kr = await goals.addKeyResult(ctx, me, g.id, {
      title: "Subscribers",
      startValue: 1200,
      targetValue: 2000,
    });
    expect(kr.direction).toBe("increase");
    expect((await failure(goals.updateKeyResult(ctx, me, kr.id, { targetValue: 2500 }))).code).toBe(
      "reason_required",
    );
    const changed = await goals.updateKeyResult(ctx, me, kr.id, {
      targetValue: 2500,
      reason: "Sponsor doubled budget",
    });
    expect(changed.targetValue).toBe(2500);
    const history = await goals.goalHistory(ctx, me, g.id);
    expect(history.at(-1)).toMatchObject({
      entity: "key_result",
      field: "targetValue",
      oldValue: "2000",
      newValue: "2500",
    });
  });

  it.skipIf(skip)(
    "retires a key result with a reason: it stays on the record and stops counting",
    async () => {
      const g = await goals.createGoal(
        ctx,
        me,
        buildGoal({ startDate: "2026-11-01", dueDate: "2027-03-31" }),
      );
      const kept = await goals.addKeyResult(ctx, me, g.id, {
        title: "Subscribers",
        startValue: 0,
        targetValue: 10,
      });
      const old = await goals.addKeyResult(ctx, me, g.id, {
        title: "Podcast plays",
        startValue: 0,
        targetValue: 10,
      });
      await goals.updateKeyResult(ctx, me, kept.id, { currentValue: 10 });
      const { goalStatus } = await import("../evaluation/status.js");
      expect((await goalStatus(ctx, me, g.id)).progress).toBeCloseTo(0.5);
      expect((await failure(goals.updateKeyResult(ctx, me, old.id, { retired: true }))).code).toBe(
        "reason_required",
      );
      const retired = await goals.updateKeyResult(ctx, me, old.id, {
        retired: true,
        reason: "We stopped the podcast",
      });
      expect(retired.retiredAt).not.toBeNull();
      expect((await goals.getPlanOrThrow(ctx, me, g.id)).keyResults).toHaveLength(2);
      expect((await goalStatus(ctx, me, g.id)).progress).toBeCloseTo(1);
      expect((await goals.goalHistory(ctx, me, g.id)).at(-1)).toMatchObject({
        entity: "key_result",
        field: "retired",
        oldValue: "false",
        newValue: "true",
        reason: "We stopped the podcast",
      });
    },
  );

  it.skipIf(skip)("infers a decreasing key result and refuses a target equal to the start", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal());
    const kr = await goals.addKeyResult(ctx, me, g.id, {
      title: "Churn",
      startValue: 3,
      targetValue: 1,
      unit: "%",
    });
    expect(kr.direction).toBe("decrease");
    const e = await failure(
      goals.addKeyResult(ctx, me, g.id, { title: "Flat", startValue: 5, targetValue: 5 }),
    );
    expect(e.code).toBe("target_equals_start");
  });

  it.skipIf(skip)("lists goals with filters and a cursor", async () => {
    for (const due of ["2027-01-15", "2027-02-15", "2027-04-15"]) {
      await goals.createGoal(ctx, me, buildGoal({ title: `Due ${due}`, dueDate: due }));
    }
    const early = await goals.listGoals(ctx, me, { dueBefore: "2027-02-28", dueAfter: "2027-01-01" });
    expect(early.items.map((g) => g.title)).toEqual(["Due 2027-01-15", "Due 2027-02-15"]);
    const all: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await goals.listGoals(ctx, me, { limit: 2, cursor });
      all.push(...page.items.map((g) => g.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    const dropped = await goals.listGoals(ctx, me, { status: "dropped" });
    expect(dropped.items.every((g) => g.status === "dropped")).toBe(true);
  });

  it.skipIf(skip)("archives a finished goal out of the list and keeps it on the record", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal({ title: "Ship the beta" }));
    const refused = await failure(goals.updateGoal(ctx, me, g.id, { archived: true }));
    expect(refused.status).toBe(422);
    expect(refused.message).toContain("Mark it done or drop it first");
    await goals.updateGoal(ctx, me, g.id, { status: "done" });
    const archived = await goals.updateGoal(ctx, me, g.id, { archived: true });
    expect(archived.archivedAt).toBeTruthy();
    const listed = async (q: goals.GoalListQuery) =>
      (await goals.listGoals(ctx, me, q)).items.some((x) => x.id === g.id);
    expect(await listed({})).toBe(false);
    expect(await listed({ archived: "only" })).toBe(true);
    expect(await listed({ archived: "include" })).toBe(true);
    expect((await goals.getGoalOrThrow(ctx, me, g.id)).title).toBe("Ship the beta");

    // Re-opening takes it out of the archive: an open goal is never hidden.
    const reopened = await goals.updateGoal(ctx, me, g.id, { status: "active" });
    expect(reopened.archivedAt).toBeNull();
    expect(await listed({})).toBe(true);
    const history = await goals.goalHistory(ctx, me, g.id);
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual([
      ["status", "active", "done"],
      ["archived", "false", "true"],
      ["status", "done", "active"],
      ["archived", "true", "false"],
    ]);
  });

  it.skipIf(skip)("hides a private goal from another person as not found", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal({ visibility: "private" }));
    const other = await createPerson(db.store.db, me.workspaceId, "Sam", "2026-11-21T10:00:00.000Z");
    const sam: Actor = { userId: other.id, workspaceId: me.workspaceId };
    expect((await failure(goals.getGoalOrThrow(ctx, sam, g.id))).status).toBe(404);
    const listed = await goals.listGoals(ctx, sam, {});
    expect(listed.items.some((x) => x.id === g.id)).toBe(false);
    expect((await failure(steps.addStep(ctx, sam, g.id, { text: "Call Dana" }))).status).toBe(404);
  });

  it.skipIf(skip)(
    "shows a workspace goal to everyone in the workspace but lets only the owner change it",
    async () => {
      const g = await goals.createGoal(ctx, me, buildGoal({ visibility: "workspace" }));
      const other = await createPerson(db.store.db, me.workspaceId, "Ana", "2026-11-21T10:00:00.000Z");
      const ana: Actor = { userId: other.id, workspaceId: me.workspaceId };
      expect((await goals.getGoalOrThrow(ctx, ana, g.id)).id).toBe(g.id);
      expect((await failure(goals.updateGoal(ctx, ana, g.id, { title: "Mine now" }))).status).toBe(404);
    },
  );
});

describe.each(DIALECTS)("steps on %s", (d) => {
  const skip = !dialectAvailable(d);
  let db: Awaited<ReturnType<typeof freshStore>>;
  let ctx: AppContext;
  let me: Actor;

  beforeAll(async () => {
    if (skip) return;
    db = await freshStore(d);
    ({ ctx, actor: me } = await actorFor(db.store));
  });
  afterAll(async () => db?.dispose());

  it.skipIf(skip)(
    "puts open steps due by Sunday, overdue included, in my week; done and later ones out",
    async () => {
      // The plan was written on Monday; it is Saturday now.
      const monday = { ...ctx, now: () => new Date("2026-11-16T09:00:00.000Z") };
      const g = await goals.createGoal(ctx, me, buildGoal());
      const overdue = await steps.addStep(ctx, me, g.id, {
        text: "Send the invoice to Acme",
        dueDate: "2026-11-18",
      });
      const sunday = await steps.addStep(ctx, me, g.id, { text: "Book the venue", dueDate: "2026-11-22" });
      await steps.addStep(ctx, me, g.id, { text: "Call Raj", dueDate: "2026-11-30" });
      const done = await steps.addStep(monday, me, g.id, { text: "Email Dana", dueDate: "2026-11-20" });
      await steps.completeStep(ctx, me, done.id, { date: "2026-11-19" });
      const week = await steps.myWeek(ctx, me);
      expect(week).toMatchObject({ from: "2026-11-16", to: "2026-11-22", prompt: null });
      expect(week.steps.map((s) => s.id)).toEqual([overdue.id, sunday.id]);
    },
  );

  it.skipIf(skip)("takes a step's due date from its text when none is given, and says so", async () => {
    // It is Saturday 21 November.
    const g = await goals.createGoal(ctx, me, buildGoal());
    const read = await steps.addStep(ctx, me, g.id, { text: "Call Dana by Friday" });
    expect(read.dueDate).toBe("2026-11-27");
    expect(read.warnings).toContainEqual(
      expect.objectContaining({ code: "due-from-text", message: "Due Fri 27 Nov, read from the text." }),
    );
    expect(read.warnings.map((w) => w.code)).not.toContain("no-due-date");

    const both = await steps.addStep(ctx, me, g.id, { text: "Email Raj by Friday", dueDate: "2026-12-02" });
    expect(both.dueDate).toBe("2026-12-02");
    expect(both.warnings).toContainEqual(
      expect.objectContaining({ code: "due-disagrees", message: expect.stringContaining("Fri 27 Nov") }),
    );
    const agree = await steps.addStep(ctx, me, g.id, {
      text: "Book the room by Friday",
      dueDate: "2026-11-27",
    });
    // Only the date's findings here; whether the step serves the goal (R) is judged apart.
    expect(agree.warnings.map((w) => w.code).filter((c) => c !== "step-not-relevant")).toEqual([]);

    const plan = await createPlan(ctx, me, {
      goal: { title: "Open the second café by March" },
      steps: [{ text: "Sign the lease by 2026-12-15" }, { text: "Hire a barista" }],
    });
    expect(plan.steps.map((s) => s.dueDate)).toEqual(["2026-12-15", null]);
    expect(plan.steps[0].warnings.map((w) => w.code)).toContain("due-from-text");
  });

  it.skipIf(skip)("judges the plan achievable and relevant (SMART's A and R) in its warnings", async () => {
    // It is Saturday 21 November; the goal is due Friday: five working days of 8 hours.
    const plan = await createPlan(ctx, me, {
      goal: buildGoal({ title: "Ship 3 case studies by Friday", why: null, dueDate: "2026-11-27" }),
      keyResults: [{ title: "Case studies live", startValue: 0, targetValue: 3, unit: "studies" }],
      steps: [
        { text: "Interview the Acme team for the first case study", estimateMinutes: 1500 },
        { text: "Draft the second case study from the Nova call notes", estimateMinutes: 1200 },
      ],
    });
    const codes = plan.warnings.map((w) => w.code);
    expect(codes).toContain("due-before-steps-fit");
    expect(codes).toContain("not-relevant");
    expect(plan.warnings.find((w) => w.code === "due-before-steps-fit")?.message).toContain(
      "estimated at 45 hours, but only 40 hours",
    );

    // Check-ins show one study in a fortnight (0.5 a week at best); 19 more by 15 January need 2.42.
    const g = await goals.createGoal(
      ctx,
      me,
      buildGoal({
        title: "Publish 20 case studies by January",
        startDate: "2026-11-01",
        dueDate: "2027-01-15",
      }),
    );
    const kr = await goals.addKeyResult(ctx, me, g.id, {
      title: "Case studies live",
      startValue: 0,
      targetValue: 20,
    });
    await createCheckin(ctx, me, g.id, { date: "2026-11-07", krValues: [{ keyResultId: kr.id, value: 0 }] });
    await createCheckin(ctx, me, g.id, { date: "2026-11-21", krValues: [{ keyResultId: kr.id, value: 1 }] });
    const read = await goals.updateGoal(ctx, me, g.id, { successLooksLike: "Twenty stories on the site" });
    const pace = read.warnings.find((w) => w.code === "target-out-of-reach");
    expect(pace?.message).toContain('"Case studies live" needs 2.42 a week');
    expect(read.warnings.map((w) => w.code)).not.toContain("not-relevant");
  });

  it.skipIf(skip)(
    "judges a new key result against the team's similar ones it may read (SMART's A)",
    async () => {
      const team = await createTeam(ctx, me, { name: "Sales" });
      const mia = await createPerson(db.store.db, me.workspaceId, "Mia", "2026-11-21T10:00:00.000Z");
      await db.store.db
        .insertInto("memberships")
        .values({ teamId: team.id, userId: mia.id, role: "member", createdAt: "2026-11-21T10:00:00.000Z" })
        .execute();
      const miaActor = { userId: mia.id, workspaceId: me.workspaceId };
      // Mia's team goal signed 4 clients in six weeks: at best 1 a week over two weeks.
      const shown = await goals.createGoal(
        ctx,
        miaActor,
        buildGoal({ title: "Sign 10 clients", teamId: team.id, visibility: "team", startDate: "2026-10-01" }),
      );
      const clients = await goals.addKeyResult(ctx, miaActor, shown.id, {
        title: "Signed clients",
        unit: "clients",
        startValue: 0,
        targetValue: 10,
      });
      await createCheckin(ctx, miaActor, shown.id, {
        date: "2026-10-15",
        krValues: [{ keyResultId: clients.id, value: 2 }],
      });
      await createCheckin(ctx, miaActor, shown.id, {
        date: "2026-11-12",
        krValues: [{ keyResultId: clients.id, value: 4 }],
      });
      // Her private goal, which nobody else may read, went much faster: it must not count.
      const hidden = await goals.createGoal(
        ctx,
        miaActor,
        buildGoal({ title: "Sign the partner clients", teamId: team.id, startDate: "2026-10-01" }),
      );
      const fast = await goals.addKeyResult(ctx, miaActor, hidden.id, {
        title: "Partner clients",
        unit: "clients",
        startValue: 0,
        targetValue: 100,
      });
      await createCheckin(ctx, miaActor, hidden.id, {
        date: "2026-10-29",
        krValues: [{ keyResultId: fast.id, value: 80 }],
      });

      // 40 clients in 4 weeks needs 10 a week: more than 3 times the 1 a week the team has shown.
      const plan = await createPlan(ctx, me, {
        goal: buildGoal({
          title: "Sign 40 new clients before Christmas",
          teamId: team.id,
          visibility: "team",
          startDate: "2026-11-21",
          dueDate: "2026-12-19",
        }),
        keyResults: [{ title: "New clients", startValue: 0, targetValue: 40, unit: "Clients" }],
      });
      const beyond = plan.warnings.find((w) => w.code === "beyond-team-pace");
      expect(beyond?.message).toBe(
        'The key result "New clients" needs 10 Clients a week to be reached by 2026-12-19; the team\'s one similar key result managed 1 Clients a week.',
      );
      // Within reach of the team's pace, or in another unit, it is not flagged.
      const modest = await createPlan(ctx, me, {
        goal: buildGoal({
          title: "Sign 8 new clients",
          teamId: team.id,
          visibility: "team",
          startDate: "2026-11-21",
          dueDate: "2026-12-19",
        }),
        keyResults: [{ title: "New clients", startValue: 0, targetValue: 8, unit: "clients" }],
      });
      expect(modest.warnings.map((w) => w.code)).not.toContain("beyond-team-pace");
      const calls = await createPlan(ctx, me, {
        goal: buildGoal({
          title: "Make 40 calls",
          teamId: team.id,
          visibility: "team",
          startDate: "2026-11-21",
          dueDate: "2026-12-19",
        }),
        keyResults: [{ title: "Calls made", startValue: 0, targetValue: 400, unit: "calls" }],
      });
      expect(calls.warnings.map((w) => w.code)).not.toContain("beyond-team-pace");
    },
  );

  it.skipIf(skip)("keeps the most overdue steps in a week of more than 1,000", async () => {
    const person = await createPerson(db.store.db, me.workspaceId, "Ines", "2026-11-21T10:00:00.000Z");
    const ines = { userId: person.id, workspaceId: me.workspaceId };
    const g = await goals.createGoal(ctx, ines, buildGoal());
    // 1,000 steps due on Sunday are written first; the overdue one, written last, has the highest id.
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      goalId: g.id,
      text: `Call supplier ${i}`,
      status: "todo",
      dueDate: "2026-11-22",
      position: i + 1,
      createdAt: "2026-11-21T10:00:00.000Z",
      updatedAt: "2026-11-21T10:00:00.000Z",
    }));
    for (let i = 0; i < rows.length; i += 100)
      await db.store.db
        .insertInto("steps")
        .values(rows.slice(i, i + 100))
        .execute();
    const overdue = await steps.addStep(ctx, ines, g.id, { text: "Send the invoice", dueDate: "2026-11-17" });
    const week = await steps.myWeek(ctx, ines);
    expect(week.steps).toHaveLength(1000);
    expect(week.steps[0]?.id).toBe(overdue.id);
  });

  it.skipIf(skip)("asks for one small step when nothing is planned", async () => {
    const fresh = await createPerson(db.store.db, me.workspaceId, "Noor", "2026-11-21T10:00:00.000Z");
    const week = await steps.myWeek(ctx, { userId: fresh.id, workspaceId: me.workspaceId });
    expect(week.steps).toEqual([]);
    expect(week.prompt).toMatch(/one small step/);
  });

  it.skipIf(skip)("backfills a done date but refuses one in the future", async () => {
    const g = await goals.createGoal(ctx, me, buildGoal());
    // Written on the 5th; it is the 21st now.
    const fifth = { ...ctx, now: () => new Date("2026-11-05T09:00:00.000Z") };
    const s = await steps.addStep(fifth, me, g.id, { text: "Draft the agenda" });
    const e = await failure(steps.completeStep(ctx, me, s.id, { date: "2026-12-01" }));
    expect(e.code).toBe("date_in_future");
    const done = await steps.completeStep(ctx, me, s.id, { date: "2026-11-10" });
    expect(done.doneAt?.slice(0, 10)).toBe("2026-11-10");
    const open = await steps.listSteps(ctx, me, { goal: g.id });
    expect(open.items.map((x) => x.id)).not.toContain(s.id);
    const all = await steps.listSteps(ctx, me, { goal: g.id, all: true });
    expect(all.items.map((x) => x.id)).toContain(s.id);
  });
});
