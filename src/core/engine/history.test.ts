import { describe, expect, it } from "vitest";
import { buildCheckin, buildKeyResult, buildStep } from "./factories.js";
import {
  checkinObservations,
  checkinProgressPoints,
  goalProgressAsOf,
  keyResultValueAsOf,
  lastMovement,
  sortCheckins,
  stepDoneDate,
  stepsAsOf,
} from "./history.js";

const kr = buildKeyResult({ id: 7, startValue: 0, targetValue: 100, currentValue: 60 });
const checkins = [
  buildCheckin("2024-01-15", { krValues: [{ keyResultId: 7, value: 30 }] }),
  buildCheckin("2024-01-08", { krValues: [{ keyResultId: 7, value: 10 }] }),
  buildCheckin("2024-01-22", { krValues: [{ keyResultId: 7, value: 60 }] }),
];

describe("keyResultValueAsOf", () => {
  const observations = checkinObservations(checkins);

  it("is the latest value reported on or before the day", () => {
    expect(keyResultValueAsOf(kr, observations, "2024-01-15")).toBe(30);
    expect(keyResultValueAsOf(kr, observations, "2024-01-21")).toBe(30);
    expect(keyResultValueAsOf(kr, observations, "2024-02-01")).toBe(60);
  });

  it("is the start value before the first report", () => {
    expect(keyResultValueAsOf(kr, observations, "2024-01-07")).toBe(0);
  });

  it("takes the later check-in when a day has two", () => {
    const sameDay = [
      buildCheckin("2024-01-08", {
        createdAt: "2024-01-08T18:00:00Z",
        krValues: [{ keyResultId: 7, value: 12 }],
      }),
      buildCheckin("2024-01-08", {
        createdAt: "2024-01-08T09:00:00Z",
        krValues: [{ keyResultId: 7, value: 11 }],
      }),
    ];
    expect(keyResultValueAsOf(kr, checkinObservations(sameDay), "2024-01-08")).toBe(12);
  });
});

describe("sortCheckins", () => {
  it("orders by date, then creation time", () => {
    expect(sortCheckins(checkins).map((c) => c.date)).toEqual(["2024-01-08", "2024-01-15", "2024-01-22"]);
  });
});

describe("stepsAsOf", () => {
  it("reopens steps done later and leaves out steps created later", () => {
    const doneLater = buildStep({ id: 1, doneOn: "2024-01-20" });
    const createdLater = buildStep({ id: 2, createdAt: "2024-01-18T08:00:00Z" });
    const doneBefore = buildStep({ id: 3, doneOn: "2024-01-05" });
    const result = stepsAsOf([doneLater, createdLater, doneBefore], "2024-01-10");
    expect(result.map((s) => [s.id, s.status])).toEqual([
      [1, "todo"],
      [3, "done"],
    ]);
  });
});

describe("stepDoneDate", () => {
  it("falls back to the last update when doneAt is missing", () => {
    expect(stepDoneDate(buildStep({ status: "done", doneAt: null, updatedAt: "2024-01-03T10:00:00Z" }))).toBe(
      "2024-01-03",
    );
    expect(stepDoneDate(buildStep())).toBeNull();
  });
});

describe("goalProgressAsOf", () => {
  it("reproduces a past day from the check-ins, not the current value", () => {
    expect(goalProgressAsOf([kr], [], checkinObservations(checkins), "2024-01-16")).toBe(0.3);
  });
});

describe("lastMovement", () => {
  it("is the latest day a key result value changed or a step was done", () => {
    const flat = [...checkins, buildCheckin("2024-01-29", { krValues: [{ keyResultId: 7, value: 60 }] })];
    const steps = [buildStep({ doneOn: "2024-01-10" })];
    expect(lastMovement([kr], steps, flat, "2024-02-05")).toBe("2024-01-22");
    expect(lastMovement([kr], steps, flat, "2024-01-12")).toBe("2024-01-10");
  });

  it("counts a check-in that reports steps done", () => {
    expect(lastMovement([], [], [buildCheckin("2024-01-09", { stepsDone: [4] })], "2024-01-31")).toBe(
      "2024-01-09",
    );
  });

  it("is null when nothing ever moved", () => {
    expect(
      lastMovement(
        [kr],
        [],
        [buildCheckin("2024-01-09", { krValues: [{ keyResultId: 7, value: 0 }] })],
        "2024-01-31",
      ),
    ).toBeNull();
  });
});

describe("checkinProgressPoints", () => {
  it("gives the goal's progress on each check-in day up to the day", () => {
    expect(checkinProgressPoints([kr], [], checkins, "2024-01-20")).toEqual([
      { date: "2024-01-08", progress: 0.1 },
      { date: "2024-01-15", progress: 0.3 },
    ]);
  });
});
