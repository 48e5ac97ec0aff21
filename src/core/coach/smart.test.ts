import { describe, expect, it } from "vitest";
import {
  achievableAndRelevant,
  type KeyResultHistory,
  lintGoal,
  paceCheck,
  shownPace,
  stepRelevance,
  type TeamPace,
  workingDaysBetween,
} from "./index.js";

const now = "2026-11-18"; // a Wednesday
const kr = (over: Partial<KeyResultHistory> = {}): KeyResultHistory => ({
  title: "Signed clients",
  unit: "clients",
  startValue: 0,
  targetValue: 40,
  direction: "increase",
  dueDate: "2027-01-31",
  startDate: "2026-10-01",
  points: [
    { day: "2026-10-15", value: 2 },
    { day: "2026-11-12", value: 4 },
  ],
  ...over,
});
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe("achievable: a key result's target against its own pace", () => {
  it("flags a target that needs far more than the best pace so far, and says both paces", () => {
    const r = achievableAndRelevant({ now, keyResults: [kr()] });
    expect(r.achievable).toBe(false);
    expect(codes(r)).toEqual(["target-out-of-reach"]);
    expect(r.findings[0].message).toContain('"Signed clients" needs 3.41 clients a week');
    expect(r.findings[0].message).toContain("the best so far was 1 clients a week");
  });

  it("accepts a target the pace so far can reach", () => {
    const r = achievableAndRelevant({ now, keyResults: [kr({ targetValue: 12 })] });
    expect(r.achievable).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it("reads a key result that goes down in its own direction", () => {
    const down = kr({
      title: "Open bugs",
      startValue: 120,
      targetValue: 100,
      direction: "decrease",
      points: [{ day: "2026-11-01", value: 110 }],
    });
    expect(paceCheck(down, now)?.tooFast).toBe(false);
    expect(paceCheck({ ...down, targetValue: 0 }, now)?.tooFast).toBe(true);
  });

  it("judges nothing from less than two weeks of readings, a reached target or a passed due date", () => {
    expect(
      paceCheck(kr({ startDate: "2026-11-10", points: [{ day: "2026-11-17", value: 3 }] }), now),
    ).toBeNull();
    expect(paceCheck(kr({ targetValue: 4 }), now)).toBeNull();
    expect(paceCheck(kr({ dueDate: "2026-11-01" }), now)).toBeNull();
    expect(achievableAndRelevant({ now, keyResults: [kr({ points: [] })] }).achievable).toBeNull();
  });

  it("counts a history with no progress at all as out of reach", () => {
    const flat = kr({ points: [{ day: "2026-11-12", value: 0 }] });
    expect(codes(achievableAndRelevant({ now, keyResults: [flat] }))).toEqual(["target-out-of-reach"]);
  });
});

describe("achievable: a due date against the open steps' estimates", () => {
  it("counts working days, Monday to Friday, both ends included", () => {
    expect(workingDaysBetween("2026-11-18", "2026-11-20")).toBe(3);
    expect(workingDaysBetween("2026-11-20", "2026-11-23")).toBe(2);
    expect(workingDaysBetween("2026-11-21", "2026-11-22")).toBe(0);
    expect(workingDaysBetween("2026-11-20", "2026-11-18")).toBe(0);
  });

  it("flags a due date before the estimates could fit in the working days left", () => {
    // Wed to Fri: three working days of 8 hours is 24 hours; the steps need 30.
    const r = achievableAndRelevant({ now, dueDate: "2026-11-20", openStepEstimates: [600, 600, 600, null] });
    expect(r.achievable).toBe(false);
    expect(codes(r)).toEqual(["due-before-steps-fit"]);
    expect(r.findings[0].message).toContain("estimated at 30 hours");
    expect(r.findings[0].message).toContain("only 24 hours");
  });

  it("accepts estimates that fit, and says nothing when no step is estimated", () => {
    expect(
      achievableAndRelevant({ now, dueDate: "2026-11-20", openStepEstimates: [45, 90] }).achievable,
    ).toBe(true);
    expect(
      achievableAndRelevant({ now, dueDate: "2026-11-20", openStepEstimates: [null] }).achievable,
    ).toBeNull();
  });
});

describe("relevant: a why or a parent goal", () => {
  it("flags a goal with neither, in a sentence that says what is missing", () => {
    const r = achievableAndRelevant({ now, why: "  ", parentId: null });
    expect(r.relevant).toBe(false);
    expect(codes(r)).toEqual(["not-relevant"]);
    expect(r.findings[0].message).toMatch(/no why and serves no parent goal/);
  });

  it("accepts a why or a parent goal, and judges nothing when neither is known", () => {
    expect(
      achievableAndRelevant({ now, why: "Fewer late nights for the team", parentId: null }).relevant,
    ).toBe(true);
    expect(achievableAndRelevant({ now, why: null, parentId: 7 }).relevant).toBe(true);
    expect(achievableAndRelevant({ now }).relevant).toBeNull();
  });
});

describe("lintGoal with the plan: all five SMART letters", () => {
  it("reports A and R and costs them in the score", () => {
    const full = lintGoal("Sign 40 clients by 31 January", {
      now,
      why: "Keep the studio open",
      parentId: null,
      keyResultHistory: [kr()],
      openStepEstimates: [60],
    });
    expect(full.smart).toEqual({
      specific: true,
      measurable: true,
      timeBound: true,
      achievable: false,
      relevant: true,
    });
    expect(codes(full)).toEqual(["target-out-of-reach"]);
    expect(full.score).toBe(90);
  });

  it("leaves A and R unknown for bare text", () => {
    const bare = lintGoal("Sign 40 clients by 31 January", { now });
    expect(bare.smart.achievable).toBeNull();
    expect(bare.smart.relevant).toBeNull();
    expect(bare.score).toBe(100);
  });
});

describe("achievable: a new key result against the team's similar ones (issue 18)", () => {
  const fresh = kr({ startDate: "2026-11-16", points: [], dueDate: "2026-12-16" });
  const team = (over: Partial<TeamPace> = {}): TeamPace => ({
    unit: "Clients",
    direction: "increase",
    bestPerWeek: 1,
    keyResults: 3,
    ...over,
  });

  it("flags a target far beyond the fastest pace the team's key results in the same unit have shown", () => {
    const r = achievableAndRelevant({ now, keyResults: [fresh], teamPaces: [team()] });
    expect(r.achievable).toBe(false);
    expect(codes(r)).toEqual(["beyond-team-pace"]);
    expect(r.findings[0].message).toBe(
      'The key result "Signed clients" needs 10 clients a week to be reached by 2026-12-16; the fastest of the team\'s 3 similar key results managed 1 clients a week.',
    );
  });

  it("accepts a target within reach of the team's pace, and ignores other units, directions and no movement", () => {
    expect(
      achievableAndRelevant({ now, keyResults: [fresh], teamPaces: [team({ bestPerWeek: 4 })] }),
    ).toMatchObject({
      achievable: true,
      findings: [],
    });
    for (const other of [team({ unit: "calls" }), team({ direction: "decrease" }), team({ bestPerWeek: 0 })])
      expect(achievableAndRelevant({ now, keyResults: [fresh], teamPaces: [other] }).achievable).toBeNull();
  });

  it("prefers the key result's own pace once it has two weeks of readings", () => {
    const r = achievableAndRelevant({
      now,
      keyResults: [kr({ targetValue: 12 })],
      teamPaces: [team({ bestPerWeek: 0.01 })],
    });
    expect(r).toMatchObject({ achievable: true, findings: [] });
  });

  it("measures a key result's shown pace only over two weeks or more", () => {
    expect(shownPace(kr(), now)).toBe(1);
    expect(
      shownPace(kr({ startDate: "2026-11-10", points: [{ day: "2026-11-17", value: 3 }] }), now),
    ).toBeNull();
  });
});

// R for a step
describe("R for a step (achievableAndRelevant with stepLinks)", () => {
  const base = {
    now,
    title: "Grow the newsletter to 2,000 subscribers",
    why: "Readers fund the work; sponsors need a bigger audience",
    keyResultTitles: ["Paying subscribers", "Unsubscribe rate"],
  };

  it("counts a step linked to a key result as relevant, whatever its words", () => {
    const r = achievableAndRelevant({ ...base, stepLinks: [{ text: "Repaint the office", linked: true }] });
    expect(r.relevant).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it("flags an unlinked step that shares nothing with the why or a key result, saying how to fix it", () => {
    const r = achievableAndRelevant({ ...base, stepLinks: [{ text: "Repaint the office", linked: false }] });
    expect(r.relevant).toBe(false);
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f?.code).toBe("step-not-relevant");
    expect(f?.message).toBe(`This step "Repaint the office" isn't tied to a key result or the why.`);
    expect(f?.suggestion).toMatch(/^Link it to the key result it moves, or say how it serves the why/);
  });

  it("lets an unlinked step through when its words meet the why or a key result (stems too)", () => {
    const steps = [
      "Ask two sponsors what they need", // "sponsors" in the why
      "Survey unsubscribed readers", // "reader" (why) and "unsubscrib" (a key result)
      "Email the subscriber list a welcome", // "subscriber" ~ "subscribers"
    ];
    const r = achievableAndRelevant({ ...base, stepLinks: steps.map((text) => ({ text, linked: false })) });
    expect(r.findings).toEqual([]);
    expect(r.relevant).toBe(true);
  });

  it("does not judge steps when the goal has no key results and no why", () => {
    const r = achievableAndRelevant({
      now,
      title: "Tidy up",
      keyResultTitles: [],
      stepLinks: [{ text: "Repaint the office", linked: false }],
    });
    expect(r.findings).toEqual([]);
    expect(r.relevant).toBeNull();
  });

  it("costs the plan score points through lintGoal, and linking the step wins them back", () => {
    const opts = {
      now,
      dueDate: "2027-03-31",
      why: base.why,
      keyResults: 2,
      keyResultTitles: base.keyResultTitles,
    };
    const loose = lintGoal(base.title, {
      ...opts,
      stepLinks: [{ text: "Repaint the office", linked: false }],
    });
    const tied = lintGoal(base.title, { ...opts, stepLinks: [{ text: "Repaint the office", linked: true }] });
    expect(loose.findings.map((f) => f.code)).toContain("step-not-relevant");
    expect(loose.smart.relevant).toBe(false);
    expect(tied.findings.map((f) => f.code)).not.toContain("step-not-relevant");
    expect(tied.smart.relevant).toBe(true);
    expect(tied.score).toBeGreaterThan(loose.score);
  });
});

// R for one step, as it is added or changed
describe("stepRelevance (one step on its own)", () => {
  const goal = {
    title: "Grow the newsletter to 2,000 subscribers",
    why: "Readers fund the work; sponsors need a bigger audience",
    keyResultTitles: ["Paying subscribers"],
  };

  it("flags an unlinked step that shares nothing with the goal, as the plan score does", () => {
    const f = stepRelevance({ text: "Repaint the office", linked: false }, goal);
    expect(f?.code).toBe("step-not-relevant");
    expect(f?.message).toBe(`This step "Repaint the office" isn't tied to a key result or the why.`);
  });

  it("lets through a linked step, a step sharing a word, and any step of a goal with nothing to tie to", () => {
    expect(stepRelevance({ text: "Repaint the office", linked: true }, goal)).toBeNull();
    expect(stepRelevance({ text: "Ask two sponsors what they need", linked: false }, goal)).toBeNull();
    expect(stepRelevance({ text: "Repaint the office", linked: false }, { title: "Tidy up" })).toBeNull();
  });
});
