import { describe, expect, it } from "vitest";
import type { Finding } from "./findings.js";
import { planScore } from "./score.js";

const f = (code: string): Finding => ({ code, message: "", suggestion: "" });

describe("planScore", () => {
  it("gives 100 to a plan without findings", () => {
    expect(planScore([])).toBe(100);
  });

  it("takes each finding's weight off", () => {
    expect(planScore([f("no-due-date")])).toBe(85);
    expect(planScore([f("not-measurable"), f("no-why")])).toBe(60);
  });

  it("charges a repeated code half as much each time", () => {
    expect(planScore([f("no-due-date"), f("no-due-date")])).toBe(78);
  });

  it("stays between 0 and 100", () => {
    expect(planScore([f("empty"), f("unreadable")])).toBe(0);
    expect(planScore(Array.from({ length: 500 }, () => f("made-up")))).toBeGreaterThanOrEqual(0);
  });
});
