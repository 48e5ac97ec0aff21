import { describe, expect, it } from "vitest";
import { buildCheckin, buildGoal } from "./factories.js";
import { isCarriedOver, isPersonStalled, normalizeStepText, type StallInput, stallStatus } from "./stall.js";

const input = (overrides: Partial<StallInput> = {}): StallInput => ({
  goal: buildGoal(),
  progress: 0.4,
  expected: 0.4,
  lastMovement: "2024-02-08",
  checkins: [],
  asOf: "2024-02-10",
  ...overrides,
});

describe("stallStatus", () => {
  it("does not stall a goal on pace that moved recently", () => {
    expect(stallStatus(input())).toEqual({ stalled: false, reasons: [] });
  });

  it("stalls a goal more than 15 points behind", () => {
    expect(stallStatus(input({ progress: 0.24, expected: 0.4 })).reasons).toEqual(["behind"]);
  });

  it("does not stall a goal exactly 15 points behind (behind, but within the stall threshold)", () => {
    expect(stallStatus(input({ progress: 0.25, expected: 0.4 })).stalled).toBe(false);
  });

  it("stalls a goal silent for longer than its cadence plus 3 days", () => {
    // Weekly cadence: 10 days of silence are allowed, the 11th is not.
    expect(stallStatus(input({ lastMovement: "2024-01-31" })).stalled).toBe(false);
    expect(stallStatus(input({ lastMovement: "2024-01-30" })).reasons).toEqual(["silent"]);
  });

  it("measures silence from the start date when nothing ever moved", () => {
    const goal = buildGoal({ startDate: "2024-02-01", cadenceDays: 14 });
    expect(stallStatus(input({ goal, lastMovement: null, asOf: "2024-02-18" })).stalled).toBe(false);
    expect(stallStatus(input({ goal, lastMovement: null, asOf: "2024-02-19" })).reasons).toEqual(["silent"]);
  });

  it("stalls a goal whose next step was carried over in the last two check-ins", () => {
    const checkins = [
      buildCheckin("2024-02-01", { nextStep: "Call Dana" }),
      buildCheckin("2024-02-08", { nextStep: "  call dana. " }),
    ];
    expect(stallStatus(input({ checkins })).reasons).toEqual(["carried-over"]);
  });

  it("lists every reason that applies", () => {
    const checkins = [
      buildCheckin("2024-01-20", { nextStep: "Call Dana" }),
      buildCheckin("2024-01-27", { nextStep: "Call Dana" }),
    ];
    expect(stallStatus(input({ progress: 0, lastMovement: null, checkins })).reasons).toEqual([
      "behind",
      "silent",
      "carried-over",
    ]);
  });

  it("never stalls a goal that is not active, or not started", () => {
    const far = input({ progress: 0, lastMovement: null });
    expect(stallStatus({ ...far, goal: buildGoal({ status: "draft" }) }).stalled).toBe(false);
    expect(stallStatus({ ...far, goal: buildGoal({ status: "done" }) }).stalled).toBe(false);
    expect(stallStatus({ ...far, goal: buildGoal({ startDate: "2024-03-01" }) }).stalled).toBe(false);
  });

  it("does not stall on pace for a goal without a due date", () => {
    expect(stallStatus(input({ progress: 0, expected: null })).stalled).toBe(false);
  });
});

describe("isCarriedOver", () => {
  it("compares only the last two check-ins up to the day", () => {
    const checkins = [
      buildCheckin("2024-02-01", { nextStep: "Call Dana" }),
      buildCheckin("2024-02-08", { nextStep: "Call Dana" }),
      buildCheckin("2024-02-15", { nextStep: "Book the room" }),
    ];
    expect(isCarriedOver(checkins, "2024-02-10")).toBe(true);
    expect(isCarriedOver(checkins, "2024-02-15")).toBe(false);
  });

  it("does not count empty next steps as the same", () => {
    expect(
      isCarriedOver(
        [buildCheckin("2024-02-01"), buildCheckin("2024-02-08", { nextStep: " " })],
        "2024-02-08",
      ),
    ).toBe(false);
  });
});

describe("normalizeStepText", () => {
  it("ignores case, spacing and trailing punctuation", () => {
    expect(normalizeStepText("  Call   Dana!! ")).toBe("call dana");
  });
});

describe("isPersonStalled", () => {
  it("is stalled when more than half of the active goals are stalled", () => {
    expect(
      isPersonStalled([
        { status: "active", stalled: true },
        { status: "active", stalled: true },
        { status: "active", stalled: false },
      ]),
    ).toBe(true);
  });

  it("is not stalled at exactly half, and ignores goals that are not active", () => {
    expect(
      isPersonStalled([
        { status: "active", stalled: true },
        { status: "active", stalled: false },
        { status: "done", stalled: true },
      ]),
    ).toBe(false);
    expect(isPersonStalled([])).toBe(false);
  });
});
