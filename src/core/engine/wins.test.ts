import { describe, expect, it } from "vitest";
import { buildCheckin, buildGoal, buildKeyResult, buildStep } from "./factories.js";
import type { GoalData } from "./status.js";
import { smallWins, streakWeeks } from "./wins.js";

// Starts 2024-01-01, due 2024-04-10: 100 days.
const goal = buildGoal();
const kr = buildKeyResult({ id: 7, title: "Subscribers" });
const data = (overrides: Partial<GoalData> = {}): GoalData => ({
  goal,
  keyResults: [],
  steps: [],
  checkins: [],
  ...overrides,
});

describe("streakWeeks", () => {
  it("counts consecutive ISO weeks ending this week", () => {
    expect(streakWeeks(["2024-01-02", "2024-01-10", "2024-01-15"], "2024-01-17")).toBe(3);
  });

  it("may end last week when this week has no step yet", () => {
    expect(streakWeeks(["2024-01-02", "2024-01-10"], "2024-01-17")).toBe(2);
  });

  it("is broken by a week without a step", () => {
    expect(streakWeeks(["2024-01-02", "2024-01-17"], "2024-01-17")).toBe(1);
    expect(streakWeeks(["2024-01-02"], "2024-01-17")).toBe(0);
  });

  it("ignores steps after the day asked", () => {
    expect(streakWeeks(["2024-01-10", "2024-01-17"], "2024-01-12")).toBe(1);
  });
});

describe("smallWins", () => {
  it("celebrates each step done in the window, for its owner", () => {
    const steps = [
      buildStep({ id: 1, text: "Draft the welcome email", ownerId: 30, doneOn: "2024-01-15" }),
      buildStep({ id: 2, doneOn: "2024-01-01" }),
      buildStep({ id: 3 }),
    ];
    const wins = smallWins([data({ steps })], "2024-01-16").filter((w) => w.type === "step-done");
    expect(wins).toEqual([
      {
        type: "step-done",
        stepId: 1,
        date: "2024-01-15",
        goalId: 1,
        userId: 30,
        text: "Done: Draft the welcome email",
      },
    ]);
  });

  it("celebrates a streak of two or more weeks with a step done", () => {
    const steps = [
      buildStep({ doneOn: "2024-01-03" }),
      buildStep({ doneOn: "2024-01-09" }),
      buildStep({ doneOn: "2024-01-16" }),
    ];
    const streak = smallWins([data({ steps })], "2024-01-17").find((w) => w.type === "streak");
    expect(streak).toMatchObject({ weeks: 3, date: "2024-01-16", userId: 10 });
  });

  it("celebrates each key-result milestone the first time it is passed", () => {
    const checkins = [
      buildCheckin("2024-01-08", { krValues: [{ keyResultId: 7, value: 20 }] }),
      buildCheckin("2024-01-09", { krValues: [{ keyResultId: 7, value: 30 }] }),
      buildCheckin("2024-01-10", { krValues: [{ keyResultId: 7, value: 20 }] }),
      buildCheckin("2024-01-11", { krValues: [{ keyResultId: 7, value: 28 }] }),
      buildCheckin("2024-01-12", { krValues: [{ keyResultId: 7, value: 80 }] }),
    ];
    const milestones = smallWins([data({ keyResults: [kr], checkins })], "2024-01-13").filter(
      (w) => w.type === "milestone",
    );
    expect(milestones.map((w) => [w.date, w.type === "milestone" && w.milestone, w.text])).toEqual([
      ["2024-01-12", 75, "Subscribers passed 75 %"],
      ["2024-01-09", 25, "Subscribers passed 25 %"],
    ]);
  });

  it("celebrates a milestone of a decrease key result", () => {
    const down = buildKeyResult({
      id: 8,
      title: "Churn",
      startValue: 10,
      targetValue: 2,
      direction: "decrease",
    });
    const checkins = [buildCheckin("2024-01-08", { krValues: [{ keyResultId: 8, value: 2 }] })];
    const wins = smallWins([data({ keyResults: [down], checkins })], "2024-01-09");
    expect(wins).toContainEqual(
      expect.objectContaining({ type: "milestone", keyResultId: 8, milestone: 100 }),
    );
  });

  it("celebrates buffer gained over the last week", () => {
    const checkins = [
      buildCheckin("2024-02-01", { krValues: [{ keyResultId: 7, value: 30 }] }),
      buildCheckin("2024-02-06", { krValues: [{ keyResultId: 7, value: 50 }] }),
    ];
    // 8 February (day 38): at 50 % safe until day 55, 17 days; a week earlier at 30 %, until day 35, 4 days.
    const wins = smallWins([data({ keyResults: [kr], checkins })], "2024-02-08");
    expect(wins[0]).toEqual({
      type: "buffer-gained",
      date: "2024-02-08",
      goalId: 1,
      userId: 10,
      bufferDays: 17,
      previousBufferDays: 4,
      text: "Buffer on Launch the newsletter up from 4 to 17 days",
    });
  });

  it("does not celebrate buffer when nothing moved", () => {
    const checkins = [buildCheckin("2024-01-20", { krValues: [{ keyResultId: 7, value: 50 }] })];
    expect(smallWins([data({ keyResults: [kr], checkins })], "2024-02-08")).toEqual([]);
  });

  it("orders the feed newest first and leaves out dropped goals", () => {
    // No due dates, so no buffer: only the steps done.
    const other = buildGoal({ id: 2, dueDate: null });
    const dropped = buildGoal({ id: 3, status: "dropped", dueDate: null });
    const wins = smallWins(
      [
        data({ goal: buildGoal({ dueDate: null }), steps: [buildStep({ id: 1, doneOn: "2024-01-10" })] }),
        data({ goal: other, steps: [buildStep({ id: 2, goalId: 2, doneOn: "2024-01-12" })] }),
        data({ goal: dropped, steps: [buildStep({ id: 3, goalId: 3, doneOn: "2024-01-13" })] }),
      ],
      "2024-01-14",
    );
    expect(wins.map((w) => [w.date, w.goalId])).toEqual([
      ["2024-01-12", 2],
      ["2024-01-10", 1],
    ]);
  });

  it("covers the days asked for", () => {
    const steps = [buildStep({ doneOn: "2024-01-02" })];
    expect(smallWins([data({ steps })], "2024-01-20")).toEqual([]);
    expect(smallWins([data({ steps })], "2024-01-20", { since: "2024-01-01" })).toHaveLength(1);
  });
});
