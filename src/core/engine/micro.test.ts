import { describe, expect, it } from "vitest";
import { buildGoal, buildStep } from "./factories.js";
import {
  INITIAL_MODE,
  isMicroPrompt,
  leaderPrompt,
  type ModeState,
  microPrompt,
  microStep,
  nextMode,
  nextSteps,
} from "./micro.js";

const goal = buildGoal();
const micro = (since: string, microStepsDone = 0): ModeState => ({
  mode: "micro-goal",
  since,
  microStepsDone,
});

describe("nextMode", () => {
  it("enters micro-goal mode when the goal stalls", () => {
    expect(
      nextMode(INITIAL_MODE, { stalled: true, pace: "behind", stepsDoneSince: 0, asOf: "2024-02-10" }),
    ).toEqual(micro("2024-02-10"));
  });

  it("stays normal while the goal is not stalled", () => {
    expect(
      nextMode(INITIAL_MODE, { stalled: false, pace: "behind", stepsDoneSince: 0, asOf: "2024-02-10" }),
    ).toEqual(INITIAL_MODE);
  });

  it("counts the steps done while in the mode", () => {
    const state = nextMode(micro("2024-02-10"), {
      stalled: true,
      pace: "behind",
      stepsDoneSince: 2,
      asOf: "2024-02-14",
    });
    expect(state).toEqual(micro("2024-02-10", 2));
  });

  it("leaves after three micro-steps done", () => {
    const state = nextMode(micro("2024-02-10", 2), {
      stalled: true,
      pace: "behind",
      stepsDoneSince: 3,
      asOf: "2024-02-16",
    });
    expect(state).toEqual({ mode: "normal", since: "2024-02-16", microStepsDone: 0 });
  });

  it("leaves when the goal is back on pace and no longer stalled", () => {
    const state = nextMode(micro("2024-02-10"), {
      stalled: false,
      pace: "on-track",
      stepsDoneSince: 1,
      asOf: "2024-02-12",
    });
    expect(state.mode).toBe("normal");
  });

  it("stays while still behind, even when no longer stalled", () => {
    const state = nextMode(micro("2024-02-10"), {
      stalled: false,
      pace: "behind",
      stepsDoneSince: 1,
      asOf: "2024-02-12",
    });
    expect(state.mode).toBe("micro-goal");
  });

  it("stays while stalled for another reason, even on pace", () => {
    const state = nextMode(micro("2024-02-10"), {
      stalled: true,
      pace: "on-track",
      stepsDoneSince: 0,
      asOf: "2024-02-12",
    });
    expect(state.mode).toBe("micro-goal");
  });

  it("does not enter again within the cooldown after leaving", () => {
    const left: ModeState = { mode: "normal", since: "2024-02-16", microStepsDone: 0 };
    const stalled = { stalled: true, pace: "behind" as const, stepsDoneSince: 0 };
    expect(nextMode(left, { ...stalled, asOf: "2024-02-22" }).mode).toBe("normal");
    expect(nextMode(left, { ...stalled, asOf: "2024-02-23" }).mode).toBe("micro-goal");
    expect(nextMode(left, { ...stalled, asOf: "2024-02-20", cooldownDays: 3 }).mode).toBe("micro-goal");
  });

  it("keeps inactive goals in normal mode", () => {
    const input = {
      stalled: true,
      pace: "behind" as const,
      stepsDoneSince: 0,
      asOf: "2024-02-12",
      active: false,
    };
    expect(nextMode(INITIAL_MODE, input).mode).toBe("normal");
    expect(nextMode(micro("2024-02-10"), input).mode).toBe("normal");
  });
});

describe("nextSteps", () => {
  const big = buildStep({ id: 1, position: 0, estimateMinutes: 120, dueDate: "2024-02-20" });
  const small = buildStep({ id: 2, position: 2, estimateMinutes: 15, dueDate: "2024-03-01" });
  const alsoSmall = buildStep({ id: 3, position: 1, estimateMinutes: 15 });
  const unknown = buildStep({ id: 4, position: 3, dueDate: "2024-02-15" });
  const done = buildStep({ id: 5, estimateMinutes: 5, doneOn: "2024-02-01" });
  const dropped = buildStep({ id: 6, estimateMinutes: 5, status: "dropped" });
  const steps = [big, small, alsoSmall, unknown, done, dropped];

  it("lists open steps by due date, then position, in normal mode", () => {
    expect(nextSteps(goal, steps, "normal").map((s) => ("id" in s ? s.id : null))).toEqual([4, 1, 2, 3]);
  });

  it("shows exactly the smallest open step in micro-goal mode, ties by position", () => {
    // Both 15-minute steps undated, so only their position tells them apart (a due date comes first).
    const sameDue = steps.map((s) => (s.id === small.id ? { ...s, dueDate: null } : s));
    expect(nextSteps(goal, sameDue, "micro-goal")).toEqual([alsoSmall]);
  });

  it("shows the next smallest once that step is done", () => {
    const after = steps.map((s) => (s.id === 3 ? { ...s, status: "done" as const } : s));
    expect(nextSteps(goal, after, "micro-goal")).toEqual([small]);
  });

  it("shows a step without an estimate when none estimated is 60 minutes or less", () => {
    expect(nextSteps(goal, [big, unknown], "micro-goal")).toEqual([unknown]);
  });

  it("prompts for a small step when every open step is over 60 minutes", () => {
    const result = nextSteps(goal, [big], "micro-goal");
    expect(result).toHaveLength(1);
    expect(isMicroPrompt(result[0])).toBe(true);
    expect(result[0]).toEqual({
      prompt: "Write one step for Launch the newsletter that you can finish in 60 minutes or less.",
    });
  });

  it("prompts when there is no open step", () => {
    expect(nextSteps(goal, [done], "micro-goal")).toHaveLength(1);
    expect(nextSteps(goal, [done], "normal")).toEqual([]);
  });

  it("breaks a tie of estimates by the earliest due date, undated last, before position", () => {
    const late = buildStep({ id: 10, position: 0, estimateMinutes: 20, dueDate: "2024-03-09" });
    const undated = buildStep({ id: 11, position: 1, estimateMinutes: 20 });
    const soon = buildStep({ id: 12, position: 2, estimateMinutes: 20, dueDate: "2024-03-02" });
    expect(nextSteps(goal, [late, undated, soon], "micro-goal")).toEqual([soon]);
    expect(microStep(goal, [late, undated])).toEqual(late);
  });

  it("puts steps without an estimate after those with one", () => {
    const unestimatedFirst = buildStep({ id: 13, position: 0, dueDate: "2024-02-01" });
    const half = buildStep({ id: 14, position: 5, estimateMinutes: 30, dueDate: "2024-06-01" });
    expect(microStep(goal, [unestimatedFirst, half])).toEqual(half);
    // A plan written without estimates still shows one of its steps.
    expect(microStep(goal, [unestimatedFirst])).toEqual(unestimatedFirst);
  });

  it("words the prompt the same whether no step is open or none is small enough", () => {
    expect(nextSteps(goal, [done], "micro-goal")).toEqual([microPrompt(goal.title)]);
    expect(nextSteps(goal, [big], "micro-goal")).toEqual([microPrompt(goal.title)]);
  });

  it("ignores steps of other goals", () => {
    expect(nextSteps(goal, [buildStep({ goalId: 2, estimateMinutes: 5 })], "normal")).toEqual([]);
  });
});

describe("leaderPrompt", () => {
  it("asks the leader to agree one micro-goal", () => {
    expect(leaderPrompt("Sam", "Launch the newsletter")).toBe(
      "Agree one micro-goal with Sam for Launch the newsletter",
    );
  });
});
