import { describe, expect, it } from "vitest";
import { addDays } from "./dates.js";
import { buildCheckin, buildGoal, buildKeyResult, buildStep } from "./factories.js";
import { INITIAL_MODE, isMicroPrompt, type ModeState } from "./micro.js";
import { type GoalStatusInput, goalStatus } from "./status.js";

// Starts 2024-01-01, due 2024-04-10: 100 days, so 1 point a day is exactly on pace.
const goal = buildGoal();
const kr = buildKeyResult({ id: 7, startValue: 0, targetValue: 100, currentValue: 28 });
const weekly = [
  buildCheckin("2024-01-08", { krValues: [{ keyResultId: 7, value: 7 }] }),
  buildCheckin("2024-01-15", { krValues: [{ keyResultId: 7, value: 14 }] }),
  buildCheckin("2024-01-22", { krValues: [{ keyResultId: 7, value: 21 }] }),
  buildCheckin("2024-01-29", { krValues: [{ keyResultId: 7, value: 28 }] }),
];
const input = (overrides: Partial<GoalStatusInput> = {}): GoalStatusInput => ({
  goal,
  keyResults: [kr],
  steps: [],
  checkins: weekly,
  ...overrides,
});

describe("goalStatus", () => {
  it("reports a goal on track, with its buffer and forecast from the check-in trend", () => {
    const status = goalStatus(input(), "2024-02-01");
    expect(status).toMatchObject({
      progress: 0.28,
      expected: 0.31,
      pace: "on-track",
      // Falls behind once expected passes 33 %, on 4 February.
      bufferDays: 2,
      // 1 point a day, 72 to go.
      forecastDate: "2024-04-13",
      stalled: false,
      mode: "normal",
      stallReasons: [],
      leaderPrompt: null,
    });
  });

  it("reports a goal ahead of its pace", () => {
    const checkins = [...weekly, buildCheckin("2024-01-31", { krValues: [{ keyResultId: 7, value: 40 }] })];
    expect(goalStatus(input({ checkins }), "2024-02-01").pace).toBe("ahead");
  });

  it("reports a goal behind, stalls it past 15 points and enters micro-goal mode", () => {
    const checkins = [...weekly, buildCheckin("2024-02-19", { krValues: [{ keyResultId: 7, value: 30 }] })];
    const steps = [
      buildStep({ id: 1, estimateMinutes: 90, position: 0 }),
      buildStep({ id: 2, estimateMinutes: 20, position: 1 }),
    ];
    const status = goalStatus(input({ checkins, steps, ownerName: "Sam" }), "2024-02-20");
    expect(status).toMatchObject({
      progress: 0.3,
      expected: 0.5,
      pace: "behind",
      bufferDays: 0,
      stalled: true,
      stallReasons: ["behind"],
      mode: "micro-goal",
      enteredMicroMode: true,
      leaderPrompt: "Agree one micro-goal with Sam for Launch the newsletter",
      modeState: { mode: "micro-goal", since: "2024-02-20", microStepsDone: 0 },
    });
    expect(status.nextSteps).toEqual([steps[1]]);
  });

  it("reports behind without stalling when less than 15 points behind", () => {
    const status = goalStatus(input(), "2024-02-08");
    expect(status).toMatchObject({
      progress: 0.28,
      expected: 0.38,
      pace: "behind",
      stalled: false,
      mode: "normal",
    });
  });

  it("stalls a goal that went silent for longer than its cadence plus 3 days", () => {
    const noDue = buildGoal({ dueDate: null });
    const steps = [buildStep({ doneOn: "2024-01-10" }), buildStep({ estimateMinutes: 30 })];
    const quiet = input({ goal: noDue, keyResults: [], checkins: [], steps });
    expect(goalStatus(quiet, "2024-01-20")).toMatchObject({
      pace: "on-track",
      expected: null,
      stalled: false,
    });
    expect(goalStatus(quiet, "2024-01-21")).toMatchObject({
      pace: "on-track",
      bufferDays: null,
      stalled: true,
      stallReasons: ["silent"],
      lastMovement: "2024-01-10",
      mode: "micro-goal",
    });
  });

  it("does not count a check-in that repeats the same values as movement", () => {
    const checkins = [...weekly, buildCheckin("2024-02-05", { krValues: [{ keyResultId: 7, value: 28 }] })];
    const status = goalStatus(input({ checkins }), "2024-02-09");
    expect(status.lastMovement).toBe("2024-01-29");
    expect(status.stallReasons).toContain("silent");
  });

  it("stalls a goal whose next step was carried over in two check-ins in a row", () => {
    const checkins = [
      buildCheckin("2024-01-22", {
        nextStep: "Ask Dana for the list",
        krValues: [{ keyResultId: 7, value: 21 }],
      }),
      buildCheckin("2024-01-29", {
        nextStep: "ask Dana for the list.",
        krValues: [{ keyResultId: 7, value: 28 }],
      }),
    ];
    expect(goalStatus(input({ checkins }), "2024-02-01")).toMatchObject({
      pace: "on-track",
      stalled: true,
      stallReasons: ["carried-over"],
    });
  });

  it("runs micro-goal mode: one step at a time, leaving after three steps done", () => {
    // Ten steps and none done by 20 February, half way to the due date: far behind and silent.
    const sized = [10, 25, 40, 45, 90, 90, 90, 90, 90, 90];
    const open = sized.map((estimateMinutes, i) =>
      buildStep({ id: i + 1, estimateMinutes, position: 10 - i }),
    );
    const base = input({ keyResults: [], checkins: [] });
    const doneBy: Record<number, string> = { 1: "2024-02-21", 2: "2024-02-22", 3: "2024-02-23" };
    const stepsOn = (day: string) =>
      open.map((s) => (doneBy[s.id] && doneBy[s.id] <= day ? buildStep({ ...s, doneOn: doneBy[s.id] }) : s));
    const shown = (status: ReturnType<typeof goalStatus>) =>
      status.nextSteps.map((s) => !isMicroPrompt(s) && s.id);

    let state: ModeState = INITIAL_MODE;
    let status = goalStatus({ ...base, steps: stepsOn("2024-02-20"), previousMode: state }, "2024-02-20");
    expect(status).toMatchObject({
      mode: "micro-goal",
      enteredMicroMode: true,
      stallReasons: ["behind", "silent"],
    });
    expect(shown(status)).toEqual([1]);
    state = status.modeState;

    status = goalStatus({ ...base, steps: stepsOn("2024-02-21"), previousMode: state }, "2024-02-21");
    expect(status).toMatchObject({ mode: "micro-goal", enteredMicroMode: false, stallReasons: ["behind"] });
    expect(status.modeState.microStepsDone).toBe(1);
    expect(shown(status)).toEqual([2]);
    state = status.modeState;

    status = goalStatus({ ...base, steps: stepsOn("2024-02-22"), previousMode: state }, "2024-02-22");
    expect(status.mode).toBe("micro-goal");
    expect(shown(status)).toEqual([3]);
    state = status.modeState;

    status = goalStatus({ ...base, steps: stepsOn("2024-02-23"), previousMode: state }, "2024-02-23");
    expect(status).toMatchObject({ mode: "normal", pace: "behind", stalled: true, leaderPrompt: null });
    expect(status.modeState).toEqual({ mode: "normal", since: "2024-02-23", microStepsDone: 0 });
    expect(shown(status)).toEqual([10, 9, 8, 7, 6, 5, 4]);
    state = status.modeState;

    // Still far behind, but the cooldown gives one cadence in normal mode before re-entering.
    expect(
      goalStatus({ ...base, steps: stepsOn("2024-02-29"), previousMode: state }, "2024-02-29").mode,
    ).toBe("normal");
    expect(
      goalStatus({ ...base, steps: stepsOn("2024-03-01"), previousMode: state }, "2024-03-01").mode,
    ).toBe("micro-goal");
  });

  it("ends micro-goal mode entered for silence once a step breaks the silence on pace", () => {
    const noDue = buildGoal({ dueDate: null });
    const steps = [buildStep({ id: 1, estimateMinutes: 10 }), buildStep({ id: 2, estimateMinutes: 20 })];
    const base = input({ goal: noDue, keyResults: [], checkins: [] });
    const entered = goalStatus({ ...base, steps }, "2024-01-12");
    expect(entered).toMatchObject({ mode: "micro-goal", stallReasons: ["silent"], pace: "on-track" });

    const stillQuiet = goalStatus({ ...base, steps, previousMode: entered.modeState }, "2024-01-14");
    expect(stillQuiet.mode).toBe("micro-goal");

    const moved = [buildStep({ ...steps[0], doneOn: "2024-01-15" }), steps[1]];
    const status = goalStatus({ ...base, steps: moved, previousMode: stillQuiet.modeState }, "2024-01-15");
    expect(status).toMatchObject({ mode: "normal", stalled: false });
  });

  it("leaves micro-goal mode when the goal is back on pace", () => {
    const behind = [...weekly, buildCheckin("2024-02-19", { krValues: [{ keyResultId: 7, value: 30 }] })];
    const entered = goalStatus(input({ checkins: behind }), "2024-02-20");
    expect(entered.mode).toBe("micro-goal");

    const caughtUp = [...behind, buildCheckin("2024-02-22", { krValues: [{ keyResultId: 7, value: 50 }] })];
    const status = goalStatus(input({ checkins: caughtUp, previousMode: entered.modeState }), "2024-02-22");
    expect(status).toMatchObject({ pace: "on-track", stalled: false, mode: "normal" });
  });

  it("reproduces a past day from the history, ignoring later check-ins and the current value", () => {
    const status = goalStatus(input({ keyResults: [{ ...kr, currentValue: 90 }] }), "2024-01-16");
    expect(status).toMatchObject({ progress: 0.14, expected: 0.15, pace: "on-track" });
  });

  it("forecasts the completion day for a complete goal", () => {
    const checkins = [...weekly, buildCheckin("2024-02-12", { krValues: [{ keyResultId: 7, value: 100 }] })];
    expect(goalStatus(input({ checkins }), "2024-03-01")).toMatchObject({
      progress: 1,
      forecastDate: "2024-02-12",
    });
  });

  it("finds the completion day of a step-counted goal from its steps", () => {
    const steps = [buildStep({ doneOn: "2024-01-05" }), buildStep({ doneOn: "2024-01-09" })];
    expect(goalStatus(input({ keyResults: [], checkins: [], steps }), "2024-02-01").forecastDate).toBe(
      "2024-01-09",
    );
  });

  it("has no forecast without a rising trend", () => {
    expect(goalStatus(input({ checkins: weekly.slice(0, 1) }), "2024-01-10").forecastDate).toBeNull();
  });

  it("keeps goals that are not active out of stalls and micro-goal mode", () => {
    const done = buildGoal({ status: "done" });
    const status = goalStatus(input({ goal: done, checkins: [] }), "2024-03-01");
    expect(status).toMatchObject({ stalled: false, mode: "normal", pace: "behind" });
  });

  it("ignores rows of other goals", () => {
    const other = buildCheckin("2024-01-30", { goalId: 2, krValues: [{ keyResultId: 7, value: 99 }] });
    expect(goalStatus(input({ checkins: [...weekly, other] }), "2024-02-01").progress).toBe(0.28);
  });

  it("in micro-goal mode always shows exactly one next step", () => {
    for (let n = 11; n < 60; n += 7) {
      const status = goalStatus(
        input({ checkins: [], steps: [buildStep({ estimateMinutes: 200 })] }),
        addDays("2024-01-01", n),
      );
      if (status.mode === "micro-goal") expect(status.nextSteps).toHaveLength(1);
    }
  });
});
