import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildKeyResult, buildStep } from "./factories.js";
import { clamp01, goalProgress, keyResultProgress } from "./progress.js";

const measure = fc.record({
  startValue: fc.double({ noNaN: false }),
  targetValue: fc.double({ noNaN: false }),
  currentValue: fc.double({ noNaN: false }),
  direction: fc.constantFrom("increase" as const, "decrease" as const),
});

describe("keyResultProgress", () => {
  it("is the share of the way from start to target", () => {
    expect(
      keyResultProgress(buildKeyResult({ startValue: 1200, targetValue: 2000, currentValue: 1600 })),
    ).toBe(0.5);
  });

  it("reads a decrease key result the right way round", () => {
    const kr = buildKeyResult({ startValue: 10, targetValue: 2, direction: "decrease" });
    expect(keyResultProgress(kr, 4)).toBe(0.75);
    expect(keyResultProgress(kr, 12)).toBe(0);
    expect(keyResultProgress(kr, 1)).toBe(1);
  });

  it("clamps overshoot and backsliding", () => {
    const kr = buildKeyResult({ startValue: 0, targetValue: 100 });
    expect(keyResultProgress(kr, 150)).toBe(1);
    expect(keyResultProgress(kr, -20)).toBe(0);
  });

  it("is 1 or 0 when start equals target, depending on whether the target is reached", () => {
    const up = buildKeyResult({ startValue: 5, targetValue: 5, direction: "increase" });
    expect(keyResultProgress(up, 5)).toBe(1);
    expect(keyResultProgress(up, 4)).toBe(0);
    const down = buildKeyResult({ startValue: 5, targetValue: 5, direction: "decrease" });
    expect(keyResultProgress(down, 4)).toBe(1);
    expect(keyResultProgress(down, 6)).toBe(0);
  });

  it("stays in 0..1 for any numbers, NaN and infinities included", () => {
    fc.assert(
      fc.property(measure, (kr) => {
        const p = keyResultProgress(kr);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("goalProgress", () => {
  it("is the mean of its key results", () => {
    const a = buildKeyResult({ currentValue: 100 });
    const b = buildKeyResult({ currentValue: 50 });
    expect(goalProgress([a, b], [buildStep()])).toBe(0.75);
  });

  it("without key results is the share of steps done, not counting dropped steps", () => {
    const steps = [buildStep({ doneOn: "2024-01-02" }), buildStep(), buildStep({ status: "dropped" })];
    expect(goalProgress([], steps)).toBe(0.5);
  });

  it("is 0 with neither key results nor steps", () => {
    expect(goalProgress([], [])).toBe(0);
    expect(goalProgress([], [buildStep({ status: "dropped" })])).toBe(0);
  });

  it("stays in 0..1 for any key results or steps", () => {
    const status = fc.constantFrom("todo" as const, "doing" as const, "done" as const, "dropped" as const);
    fc.assert(
      fc.property(
        fc.array(measure, { maxLength: 5 }),
        fc.array(fc.record({ status }), { maxLength: 8 }),
        (krs, steps) => {
          const p = goalProgress(krs, steps);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe("clamp01", () => {
  it("reads NaN as 0", () => {
    expect(clamp01(Number.NaN)).toBe(0);
    expect(clamp01(Number.POSITIVE_INFINITY)).toBe(1);
  });
});
