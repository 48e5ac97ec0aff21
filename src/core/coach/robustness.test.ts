import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIsoDay } from "./due.js";
import { lintGoal, lintStep, parseDue, parseMeasure, planScore } from "./index.js";

const now = "2026-11-18";
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme", maxLength: 3000 }),
  fc
    .array(
      fc.constantFrom(
        "call",
        "by",
        "Friday",
        "Q1",
        "from",
        "1,200",
        "to",
        "20%",
        "and",
        "work on",
        "🎉",
        "\u0000",
        "-",
        ":",
      ),
      {
        maxLength: 40,
      },
    )
    .map((words) => words.join(" ")),
);

describe("the coach on arbitrary text", () => {
  it("lintStep never throws and returns a well-formed verdict", () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, team) => {
        const lint = lintStep(text, { now, teamContext: team });
        expect(["action", "outcome"]).toContain(lint.kind);
        expect(lint.due === null || isIsoDay(lint.due)).toBe(true);
        expect(lint.text.length).toBeLessThanOrEqual(2000);
        for (const f of lint.findings) expect(f.code && f.message && f.suggestion).toBeTruthy();
      }),
      { numRuns: 400 },
    );
  });

  it("lintGoal never throws and scores between 0 and 100", () => {
    fc.assert(
      fc.property(anyText, fc.array(anyText, { maxLength: 3 }), (text, steps) => {
        const lint = lintGoal(text, { now, steps, why: null, barriersWithPlanB: 0 });
        expect(lint.due === null || isIsoDay(lint.due)).toBe(true);
        expect(lint.score).toBeGreaterThanOrEqual(0);
        expect(lint.score).toBeLessThanOrEqual(100);
        expect(lint.score).toBe(planScore(lint.findings));
      }),
      { numRuns: 300 },
    );
  });

  it("parseDue and parseMeasure return null or well-formed values", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const due = parseDue(text, now);
        expect(due === null || isIsoDay(due)).toBe(true);
        const measure = parseMeasure(text);
        if (measure) expect(Number.isFinite(measure.to)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("reads any reference day without throwing", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1970-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          const due = lintStep("Send it by Friday", { now: day }).due;
          expect(due !== null && due >= day).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
