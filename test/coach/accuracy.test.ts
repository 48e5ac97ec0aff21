/**
 * Accuracy of the coach on the labelled data set (test/coach/data). The rules were tuned on the
 * "tune" split only; the targets are asserted on the held-out parts. Metrics (docs/coach.md):
 *
 * - action vs outcome: share of steps whose kind is right (a vague step counts as an action);
 * - vague: recall (share of vague steps that get a vague-verb finding) and clean-action
 *   precision (share of clean action steps that do not), both must reach the target;
 * - goals: share right for measurable, for time-bound, and for the exact due date, each.
 */

import { describe, expect, it } from "vitest";
import { evaluate, goals, type Split, steps, summary } from "./evaluate.js";

const TARGETS = { kind: 0.97, vague: 0.9, goalField: 0.95 };

describe("the labelled data set", () => {
  it("has enough varied items in each split", () => {
    expect(steps.length).toBeGreaterThanOrEqual(400);
    expect(goals.length).toBeGreaterThanOrEqual(100);
    for (const label of ["action", "outcome", "vague"]) {
      expect(steps.filter((s) => s.label === label && s.split === "heldout").length).toBeGreaterThan(30);
    }
    expect(new Set(steps.map((s) => s.domain)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(steps.map((s) => s.text)).size).toBe(steps.length);
  });
});

describe.each<Split>(["heldout", "fresh"])("coach accuracy on the %s split", (split) => {
  const report = evaluate(split);
  console.log(`\n## ${split}\n${summary(report)}\nmisses:\n${report.misses.join("\n") || "(none)"}`);

  it(`tells actions from outcomes at least ${TARGETS.kind * 100}% of the time`, () => {
    expect(report.kindAccuracy).toBeGreaterThanOrEqual(TARGETS.kind);
  });

  it(`finds vague verbs with at least ${TARGETS.vague * 100}% recall and precision on clean actions`, () => {
    expect(report.vagueRecall).toBeGreaterThanOrEqual(TARGETS.vague);
    expect(report.cleanActionPrecision).toBeGreaterThanOrEqual(TARGETS.vague);
  });

  it(`reads goal fields right at least ${TARGETS.goalField * 100}% of the time each`, () => {
    expect(report.measurableAccuracy).toBeGreaterThanOrEqual(TARGETS.goalField);
    expect(report.timeBoundAccuracy).toBeGreaterThanOrEqual(TARGETS.goalField);
    expect(report.dueAccuracy).toBeGreaterThanOrEqual(TARGETS.goalField);
  });
});
