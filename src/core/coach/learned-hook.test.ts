/**
 * The learned reading in lintStep and lintGoal (docs/coach.md, "A learned reading (ml26)"): where
 * it overrules the rules, the findings follow the class it ends as, as they would the rules'.
 */
import { describe, expect, it } from "vitest";
import { lintGoal, lintStep } from "./index.js";
import { goalFeatures, learnedMeasurable, learnedStepClass, ruleClass, stepFeatures } from "./learned.js";
import { GOAL_MODEL, STEP_MODEL } from "./learned-weights.js";
import { goalReading } from "./measure.js";
import { judgeStep } from "./step.js";

const now = "2026-11-18";
const codes = (text: string) => lintStep(text, { now, dueDate: now }).findings.map((f) => f.code);

describe("a step the model reads another way than the rules", () => {
  it("turned action from outcome: no outcome finding, kind action", () => {
    // A terse engineering note the rules read as a state; the writers of the sets write such notes as deeds.
    const text = "rollback deploy 1.14.2 on prod asap";
    expect(ruleClass(judgeStep(text))).toBe("outcome");
    expect(learnedStepClass(STEP_MODEL, stepFeatures(text, judgeStep(text)), "outcome")).toBe("action");
    expect(lintStep(text, { now }).kind).toBe("action");
    expect(codes(text)).not.toContain("outcome-not-action");
  });

  it("turned outcome from action: the outcome finding and its suggestion, and no too-big", () => {
    const text = "grade A in maths";
    expect(ruleClass(judgeStep(text))).toBe("action");
    const lint = lintStep(text, { now });
    expect(lint.kind).toBe("outcome");
    const outcome = lint.findings.find((f) => f.code === "outcome-not-action");
    expect(outcome?.message).toContain("describes a result");
    expect(outcome?.suggestion).toContain("first concrete action");
    expect(codes(text)).not.toContain("vague-verb");
    expect(codes(text)).not.toContain("too-big");
  });

  it("never turns a clean action vague, so clean actions keep no vague finding", () => {
    for (const text of ["fix the garden gate latch", "hire cleaner", "tidy up the shoe rack"]) {
      expect(codes(text)).toEqual([]);
      expect(lintStep(text, { now }).kind).toBe("action");
    }
  });

  it("keeps the rules' vague finding and rewrite suggestion on a step it leaves vague", () => {
    const lint = lintStep("Work on the deck", { now });
    expect(lint.kind).toBe("action");
    const vague = lint.findings.find((f) => f.code === "vague-verb");
    expect(vague?.message).toBe('"work on" does not say what will actually be done.');
    expect(vague?.suggestion).toContain("Replace it with a visible action");
  });
});

describe("a goal the model reads as measurable", () => {
  it("a done state the rules miss is measurable, and loses the not-measurable finding", () => {
    const text = "Debt-free by EOY";
    expect(goalReading(text)).toBe(null);
    expect(learnedMeasurable(GOAL_MODEL, goalFeatures(text, null, "2026-12-31"), false)).toBe(true);
    const lint = lintGoal(text, { now });
    expect(lint.smart.measurable).toBe(true);
    expect(lint.findings.map((f) => f.code)).not.toContain("not-measurable");
  });

  it("a wish with no end stays not measurable", () => {
    const lint = lintGoal("Be a calmer parent", { now });
    expect(lint.smart.measurable).toBe(false);
    expect(lint.findings.map((f) => f.code)).toContain("not-measurable");
  });
});
