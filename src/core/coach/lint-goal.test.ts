import { describe, expect, it } from "vitest";
import { lintGoal } from "./index.js";

const now = "2026-11-18";
const codes = (text: string, opts: Partial<Parameters<typeof lintGoal>[1]> = {}) =>
  lintGoal(text, { now, ...opts }).findings.map((f) => f.code);

describe("lintGoal", () => {
  it("passes a SMART goal with a full score", () => {
    const lint = lintGoal("Grow ARR from $1.2M to $2M by end of Q1", { now });
    expect(lint.findings).toEqual([]);
    expect(lint.smart).toEqual({
      specific: true,
      measurable: true,
      timeBound: true,
      achievable: null,
      relevant: null,
    });
    expect(lint.due).toBe("2027-03-31");
    expect(lint.measure).toEqual({ from: 1_200_000, to: 2_000_000, unit: "$" });
    expect(lint.score).toBe(100);
  });

  it("flags a goal with no measure, no date and nothing specific", () => {
    expect(codes("Grow my business")).toEqual(["not-measurable", "not-specific", "no-due-date"]);
  });

  it("does not mistake a date for a measure, but takes a launch as a done state", () => {
    const lint = lintGoal("Launch the new pricing page by March 31", { now });
    expect(lint.measure).toBeNull();
    expect(lint.reading).toBe("done-state");
    expect(lint.smart.measurable).toBe(true);
    expect(lint.due).toBe("2027-03-31");
  });

  it("takes an unmistakable done state as measurable, with no number (issue 18)", () => {
    for (const text of [
      "Get the community fridge licence approved by the council by May",
      "Pass the CIMA level 1 exam in February",
      "website redesign published before the spring sale",
    ]) {
      const lint = lintGoal(text, { now });
      expect(lint.smart.measurable, text).toBe(true);
      expect(
        lint.findings.map((f) => f.code),
        text,
      ).not.toContain("not-measurable");
    }
  });

  it("does not take a habit's rhythm, a wish or a direction as measurable (issue 18)", () => {
    for (const text of [
      "yoga 3x/wk",
      "Sketch for 20 minutes every evening",
      "Be a calmer host",
      "more gardening",
    ]) {
      const lint = lintGoal(text, { now });
      expect(lint.smart.measurable, text).toBe(false);
      const found = lint.findings.find((f) => f.code === "not-measurable");
      expect(found?.suggestion, text).toMatch(/done state a person can check/);
    }
  });

  it("counts key results and a set due date", () => {
    const lint = lintGoal("Grow my business", { now, keyResults: 2, dueDate: "2027-06-30" });
    expect(lint.smart.measurable).toBe(true);
    expect(lint.smart.timeBound).toBe(true);
  });

  it("counts doubling as a measure", () => {
    expect(lintGoal("Double our Instagram followers", { now }).smart.measurable).toBe(true);
  });

  it("skips plan checks when their option is not given", () => {
    const found = codes("Increase revenue by 20% by Q2");
    expect(found).not.toContain("no-why");
    expect(found).not.toContain("no-plan-b");
    expect(found).not.toContain("no-steps");
  });

  it("flags a missing why only when why is given as empty", () => {
    expect(codes("Increase revenue by 20% by Q2", { why: null })).toContain("no-why");
    expect(codes("Increase revenue by 20% by Q2", { why: "  " })).toContain("no-why");
    expect(codes("Increase revenue by 20% by Q2", { why: "Fund the new team" })).not.toContain("no-why");
  });

  it("flags no Plan B only when the barrier count is 0", () => {
    expect(codes("Increase revenue by 20% by Q2", { barriersWithPlanB: 0 })).toContain("no-plan-b");
    expect(codes("Increase revenue by 20% by Q2", { barriersWithPlanB: 1 })).not.toContain("no-plan-b");
  });

  it("flags an empty step list and steps that are outcomes", () => {
    expect(codes("Increase revenue by 20% by Q2", { steps: [] })).toContain("no-steps");
    const lint = lintGoal("Increase revenue by 20% by Q2", {
      now,
      steps: ["Call Acme about the renewal", "sales up 20%"],
    });
    const outcome = lint.findings.find((f) => f.code === "outcome-steps");
    expect(outcome?.message).toContain('"sales up 20%"');
    expect(codes("Increase revenue by 20% by Q2", { steps: ["Call Acme about the renewal"] })).toEqual([]);
  });

  it("lowers the score with each finding", () => {
    const good = lintGoal("Increase revenue by 20% by Q2", { now }).score;
    const bad = lintGoal("Grow my business", { now, why: null, barriersWithPlanB: 0, steps: [] }).score;
    expect(good).toBeGreaterThan(bad);
  });

  it("reports empty text without judging it", () => {
    const lint = lintGoal("", { now });
    expect(lint.findings.map((f) => f.code)).toEqual(["empty"]);
    expect(lint.smart).toEqual({
      specific: false,
      measurable: false,
      timeBound: false,
      achievable: null,
      relevant: null,
    });
  });
});
