import { describe, expect, it } from "vitest";
import { lintGoal } from "./index.js";
import { lintPlanB, splitPlanB } from "./planb.js";
import { planScore } from "./score.js";

describe("a Plan B as an if-then", () => {
  it.each([
    "If legal hasn't replied by Friday, then I ask Dana to sign",
    "When the venue cancels, I call the Marriott and book their hall",
    "Plan B: if it rains, run on the treadmill at the gym",
    "I ask Dana to sign if legal hasn't replied by Friday",
    "As soon as the budget is cut - email Raj the reduced scope",
  ])("finds nothing wrong with a cue and a response: %s", (planB) => {
    expect(lintPlanB(planB, "Legal review slips")).toEqual([]);
  });

  it("flags a Plan B with no cue and suggests the if-then built from the obstacle", () => {
    const [f] = lintPlanB("ask Dana", "Legal review slips past Friday.");
    expect(f.code).toBe("plan-b-no-cue");
    expect(f.message).toBe('The Plan B "ask Dana" says what to do but not when: a Plan B starts on a cue.');
    expect(f.suggestion).toBe(
      'Write it as an if-then: "If legal review slips past Friday, then I ask Dana."',
    );
  });

  it("flags a Plan B with a cue and no action", () => {
    for (const planB of ["If legal is late", "If legal is late, then things will be fine"]) {
      const found = lintPlanB(planB, "Legal is late");
      expect(found.map((f) => f.code)).toEqual(["plan-b-no-response"]);
      expect(found[0].suggestion).toContain("If legal is late, then I <one thing you will do>.");
    }
  });

  it("splits cue from response whichever comes first", () => {
    expect(splitPlanB("If it rains, then I run indoors")).toEqual({
      cue: "If it rains",
      response: "I run indoors",
    });
    expect(splitPlanB("I run indoors when it rains")).toEqual({
      cue: "when it rains",
      response: "I run indoors",
    });
  });

  it("no longer scores a plan whose only Plan B is 'ask Dana' 100", () => {
    const base = {
      now: "2026-12-03",
      why: "Sponsors pay for reach",
      keyResults: 1,
      barriersWithPlanB: 1,
      steps: ["Email Raj the sponsorship deck by Friday"],
    };
    const title = "Grow the newsletter from 1,200 to 2,000 subscribers by March 31";
    expect(lintGoal(title, base).score).toBe(100);
    const weak = lintGoal(title, {
      ...base,
      planBs: [{ obstacle: "Legal review slips", planB: "ask Dana" }],
    });
    expect(weak.findings.map((f) => f.code)).toEqual(["plan-b-no-cue"]);
    expect(weak.score).toBe(planScore(weak.findings));
    expect(weak.score).toBeLessThan(100);
    const good = lintGoal(title, {
      ...base,
      planBs: [
        {
          obstacle: "Legal review slips",
          planB: "If legal hasn't replied by Friday, then I ask Dana to sign",
        },
      ],
    });
    expect(good.score).toBe(100);
  });
});
