import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "./dates.js";
import { buildCommitment, buildGoal, buildStep } from "./factories.js";
import { followThrough, outcomeOf, type RateSummary, rateOf } from "./followthrough.js";

const goals = [buildGoal({ id: 1, ownerId: 10 }), buildGoal({ id: 2, ownerId: 20 })];
const march = { from: "2024-03-04", to: "2024-03-17" };

describe("outcomeOf", () => {
  it("keeps an item done on or before its due date", () => {
    expect(outcomeOf("2024-03-08", "2024-03-08", "2024-03-20")).toBe("kept");
  });

  it("counts an item done late as missed", () => {
    expect(outcomeOf("2024-03-08", "2024-03-09", "2024-03-20")).toBe("missed");
  });

  it("counts an item not done after its due date as missed, and due today or later as pending", () => {
    expect(outcomeOf("2024-03-08", null, "2024-03-09")).toBe("missed");
    expect(outcomeOf("2024-03-08", null, "2024-03-08")).toBe("pending");
  });

  it("ignores completions after the day asked", () => {
    expect(outcomeOf("2024-03-08", "2024-03-07", "2024-03-06")).toBe("pending");
  });
});

describe("followThrough", () => {
  it("counts a step done late as missed, while it is still done", () => {
    const late = buildStep({ id: 1, goalId: 1, dueDate: "2024-03-06", doneOn: "2024-03-07" });
    const onTime = buildStep({ id: 2, goalId: 1, dueDate: "2024-03-06", doneOn: "2024-03-06" });
    const report = followThrough({ goals, steps: [late, onTime], commitments: [] }, march, "2024-03-18");
    expect(report).toMatchObject({ followThroughRate: 0.5, kept: 1, missed: 1, pending: 0 });
    expect(report.items.find((i) => i.id === 1)).toMatchObject({ doneOn: "2024-03-07", outcome: "missed" });
  });

  it("gives a step without an owner to its goal's owner, and skips dropped and undated steps", () => {
    const steps = [
      buildStep({ id: 1, goalId: 2, dueDate: "2024-03-06", doneOn: "2024-03-05" }),
      buildStep({ id: 2, goalId: 2, ownerId: 30, dueDate: "2024-03-06" }),
      buildStep({ id: 3, goalId: 1, dueDate: "2024-03-06", status: "dropped" }),
      buildStep({ id: 4, goalId: 1 }),
    ];
    const report = followThrough({ goals, steps, commitments: [] }, march, "2024-03-18");
    expect(report.byUser).toEqual([
      { userId: 20, followThroughRate: 1, kept: 1, missed: 0, moved: 0 },
      { userId: 30, followThroughRate: 0, kept: 0, missed: 1, moved: 0 },
    ]);
  });

  it("leaves items not yet due out of the rate, and items outside the window out entirely", () => {
    const steps = [
      buildStep({ id: 1, goalId: 1, dueDate: "2024-03-12" }),
      buildStep({ id: 2, goalId: 1, dueDate: "2024-03-05" }),
      buildStep({ id: 3, goalId: 1, dueDate: "2024-03-30" }),
    ];
    const report = followThrough({ goals, steps, commitments: [] }, march, "2024-03-10");
    expect(report).toMatchObject({ followThroughRate: 0, kept: 0, missed: 1, pending: 1 });
  });

  it("is null when nothing was due", () => {
    expect(
      followThrough({ goals, steps: [], commitments: [] }, march, "2024-03-18").followThroughRate,
    ).toBeNull();
  });

  it("counts explicit commitments, by their status and resolution day", () => {
    const commitments = [
      buildCommitment("2024-03-06", { userId: 10, status: "kept", resolvedAt: "2024-03-06T20:00:00Z" }),
      buildCommitment("2024-03-06", { userId: 10, status: "kept", resolvedAt: "2024-03-08T09:00:00Z" }),
      buildCommitment("2024-03-06", { userId: 10, status: "missed", resolvedAt: "2024-03-07T09:00:00Z" }),
      buildCommitment("2024-03-06", { userId: 10, status: "open" }),
      buildCommitment("2024-03-20", { userId: 10, status: "kept" }),
    ];
    const report = followThrough({ goals, steps: [], commitments }, march, "2024-03-18");
    expect(report).toMatchObject({ kept: 1, missed: 3, pending: 0 });
  });

  it("counts a step with a commitment once, through the commitment", () => {
    const step = buildStep({ id: 9, goalId: 1, dueDate: "2024-03-06", doneOn: "2024-03-08" });
    const commitment = buildCommitment("2024-03-08", { stepId: 9 });
    const report = followThrough({ goals, steps: [step], commitments: [commitment] }, march, "2024-03-18");
    expect(report.items).toHaveLength(1);
    expect(report.items[0]).toMatchObject({ kind: "commitment", outcome: "kept", doneOn: "2024-03-08" });
  });

  it("breaks the window into ISO weeks, oldest first, empty weeks included", () => {
    const steps = [
      buildStep({ id: 1, goalId: 1, dueDate: "2024-03-05", doneOn: "2024-03-05" }),
      buildStep({ id: 2, goalId: 1, dueDate: "2024-03-06" }),
    ];
    const report = followThrough(
      { goals, steps, commitments: [] },
      { from: "2024-03-04", to: "2024-03-24" },
      "2024-03-25",
    );
    expect(report.byWeek).toEqual([
      { weekStart: "2024-03-04", followThroughRate: 0.5, kept: 1, missed: 1, moved: 0 },
      { weekStart: "2024-03-11", followThroughRate: null, kept: 0, missed: 0, moved: 0 },
      { weekStart: "2024-03-18", followThroughRate: null, kept: 0, missed: 0, moved: 0 },
    ]);
  });

  it("reproduces a past day: later completions and later steps are unknown then", () => {
    const steps = [
      buildStep({ id: 1, goalId: 1, dueDate: "2024-03-06", doneOn: "2024-03-12" }),
      buildStep({ id: 2, goalId: 1, dueDate: "2024-03-14", createdAt: "2024-03-11T09:00:00Z" }),
    ];
    const report = followThrough({ goals, steps, commitments: [] }, march, "2024-03-09");
    expect(report.items).toEqual([
      { kind: "step", id: 1, userId: 10, dueDate: "2024-03-06", doneOn: null, outcome: "missed" },
    ]);
  });

  it("always reports rate = kept / (kept + missed), within 0..1, overall, per person and per week", () => {
    const day = (n: number) => addDays("2024-03-01", n);
    const step = fc.record({
      id: fc.integer({ min: 1, max: 10_000 }),
      goalId: fc.constantFrom(1, 2, 3),
      ownerId: fc.option(fc.constantFrom(10, 20, 30), { nil: null }),
      due: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      done: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      dropped: fc.boolean(),
    });
    const commitment = fc.record({
      userId: fc.constantFrom(10, 20),
      due: fc.integer({ min: 0, max: 40 }),
      status: fc.constantFrom("open" as const, "kept" as const, "missed" as const),
      resolved: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    });
    const check = (r: RateSummary) => {
      if (r.kept + r.missed === 0) expect(r.followThroughRate).toBeNull();
      else {
        expect(r.followThroughRate).toBeCloseTo(r.kept / (r.kept + r.missed), 12);
        expect(r.followThroughRate).toBeGreaterThanOrEqual(0);
        expect(r.followThroughRate).toBeLessThanOrEqual(1);
      }
    };
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 20 }),
        fc.array(commitment, { maxLength: 8 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (rawSteps, rawCommitments, a, b, asOf) => {
          const steps = rawSteps.map((s) =>
            buildStep({
              id: s.id,
              goalId: s.goalId,
              ownerId: s.ownerId,
              dueDate: s.due === null ? null : day(s.due),
              ...(s.done === null ? {} : { doneOn: day(s.done) }),
              ...(s.dropped ? { status: "dropped" as const } : {}),
            }),
          );
          const commitments = rawCommitments.map((c) =>
            buildCommitment(day(c.due), {
              userId: c.userId,
              status: c.status,
              resolvedAt: c.resolved === null ? null : `${day(c.resolved)}T10:00:00Z`,
            }),
          );
          const window = { from: day(Math.min(a, b)), to: day(Math.max(a, b)) };
          const report = followThrough({ goals, steps, commitments }, window, day(asOf));
          check(report);
          report.byUser.forEach(check);
          report.byWeek.forEach(check);
          expect(report.byUser.reduce((n, u) => n + u.kept + u.missed, 0)).toBe(report.kept + report.missed);
          expect(report.byWeek.reduce((n, w) => n + w.kept + w.missed, 0)).toBe(report.kept + report.missed);
          expect(report.kept + report.missed + report.pending).toBe(report.items.length);
        },
      ),
    );
  });
});

describe("rateOf", () => {
  it("ignores pending items", () => {
    expect(rateOf(["kept", "pending", "missed", "kept"])).toEqual({
      followThroughRate: 2 / 3,
      kept: 2,
      missed: 1,
    });
  });
});
