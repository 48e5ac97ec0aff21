/**
 * The coach on the sets written apart from its rules (issue 18): steps and goals written from the
 * definitions alone, across eight domains and three registers, by writers who never read the
 * rules, the lexicon or the data set. The independent set was read for misses after it was first
 * scored; the blind set was added after the third pass was committed and scored once. Both are held
 * out: the figures are reported in docs/coach.md, and the floors below keep them from slipping.
 * `COACH_REPORT=1` prints each set's figures; `COACH_MISSES=1` adds every miss.
 */
import { describe, expect, it } from "vitest";
import {
  agreement,
  blindGoals,
  blindSteps,
  eighthGoals,
  eighthSteps,
  eleventhGoals,
  eleventhSteps,
  fifthGoals,
  fifthSteps,
  fourthGoals,
  fourthSteps,
  independentGoals,
  independentSteps,
  ninthGoals,
  ninthSteps,
  type Register,
  score,
  secondLabels,
  seventhGoals,
  seventhSteps,
  sixthGoals,
  sixthSteps,
  summary,
  THIRTEENTH_DAY,
  tenthGoals,
  tenthSteps,
  thirteenthGoals,
  thirteenthSteps,
  twelfthGoals,
  twelfthSteps,
} from "./evaluate.js";

const REGISTERS: Register[] = ["terse", "sentence", "non-native"];
const DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"];

/**
 * Floors just below the figures measured after the tenth pass (docs/coach.md, "Tenth pass"; the
 * fourth, fifth, sixth, ninth and tenth sets' were raised there, the others' still sit under it) and
 * the eleventh pass ("Eleventh pass": the fourth, fifth, sixth, tenth and eleventh sets'), so
 * a change that loses ground fails. Goals are scored against each writer's own definition of
 * measurable (`MeasurableDefinition` in evaluate.ts). The fifth set's goal floor is the one
 * lowered (0.945 → 0.925): its writer labels a count per day and money put aside each month
 * measurable, while the sixth, eighth and ninth sets' writers label the same "50 dials/day" a habit
 * with nothing to check, and the ninth pass reads it their way. The thirteenth set's floors sit just
 * under its score after the learned reading (ml26), held out (docs/coach.md, "The thirteenth set").
 */
const SETS = [
  {
    name: "the independent set",
    steps: independentSteps,
    goals: independentGoals,
    definition: "number" as const,
    floors: { kind: 0.97, label: 0.965, goalField: 0.94, due: 0.99 },
  },
  {
    name: "the blind set",
    steps: blindSteps,
    goals: blindGoals,
    definition: "number" as const,
    floors: { kind: 0.96, label: 0.955, goalField: 0.94, due: 0.99 },
  },
  {
    name: "the fourth set",
    steps: fourthSteps,
    goals: fourthGoals,
    definition: "number-or-done-state" as const,
    floors: { kind: 0.98, label: 0.975, goalField: 0.9, due: 0.98 },
  },
  {
    name: "the fifth set",
    steps: fifthSteps,
    goals: fifthGoals,
    definition: "number-or-done-state" as const,
    floors: { kind: 0.96, label: 0.95, goalField: 0.925, due: 0.855 },
  },
  {
    name: "the sixth set",
    steps: sixthSteps,
    goals: sixthGoals,
    floors: { kind: 0.965, label: 0.95, goalField: 0.865, due: 0.905 },
  },
  {
    name: "the seventh set",
    steps: seventhSteps,
    goals: seventhGoals,
    floors: { kind: 0.975, label: 0.96, goalField: 0.89, due: 0.925 },
  },
  {
    name: "the eighth set",
    steps: eighthSteps,
    goals: eighthGoals,
    floors: { kind: 0.965, label: 0.945, goalField: 0.865, due: 0.94 },
  },
  {
    name: "the ninth set",
    steps: ninthSteps,
    goals: ninthGoals,
    floors: { kind: 0.98, label: 0.96, goalField: 0.855, due: 0.935 },
  },
  {
    name: "the tenth set",
    steps: tenthSteps,
    goals: tenthGoals,
    floors: { kind: 0.965, label: 0.945, goalField: 0.835, due: 0.92 },
  },
  {
    name: "the eleventh set",
    steps: eleventhSteps,
    goals: eleventhGoals,
    floors: { kind: 0.97, label: 0.96, goalField: 0.86, due: 0.94 },
  },
  {
    name: "the twelfth set",
    steps: twelfthSteps,
    goals: twelfthGoals,
    floors: { kind: 0.97, label: 0.95, goalField: 0.82, due: 0.955 },
  },
  {
    name: "the thirteenth set",
    steps: thirteenthSteps,
    goals: thirteenthGoals,
    now: THIRTEENTH_DAY,
    floors: { kind: 0.965, label: 0.935, goalField: 0.94, due: 0.9 },
  },
];

describe.each(SETS)("$name", ({ name, steps, goals, definition, now, floors }) => {
  it("has at least 600 steps and 150 goals across eight domains and three registers", () => {
    expect(steps.length).toBeGreaterThanOrEqual(600);
    expect(goals.length).toBeGreaterThanOrEqual(150);
    for (const d of DOMAINS) {
      expect(steps.filter((s) => s.domain === d).length).toBeGreaterThanOrEqual(70);
      expect(goals.filter((g) => g.domain === d).length).toBeGreaterThanOrEqual(18);
    }
    for (const r of REGISTERS) {
      expect(steps.filter((s) => s.register === r).length).toBeGreaterThanOrEqual(150);
      expect(goals.filter((g) => g.register === r).length).toBeGreaterThanOrEqual(45);
    }
  });

  const all = score(steps, goals, definition, now);
  if (process.env.COACH_REPORT) {
    const parts = [`# ${name}\n## all\n${summary(all)}`];
    for (const r of REGISTERS) {
      const part = score(
        steps.filter((s) => s.register === r),
        goals.filter((g) => g.register === r),
        definition,
        now,
      );
      parts.push(`## ${r}\n${summary(part)}`);
    }
    if (name === "the independent set") {
      const second = agreement(steps, secondLabels);
      parts.push(
        `a second labeller, apart, agrees with these labels on ${(100 * second).toFixed(1)}% of steps`,
      );
    }
    const misses = process.env.COACH_MISSES ? `\n\n${all.misses.join("\n")}` : "";
    console.log(`${parts.join("\n\n")}${misses}`);
  }

  it("tells actions from outcomes, and finds vague steps, above its floors", () => {
    expect(all.kindAccuracy).toBeGreaterThanOrEqual(floors.kind);
    expect(all.labelAccuracy).toBeGreaterThanOrEqual(floors.label);
  });

  it("reads goals' measure, deadline and due day above its floor", () => {
    expect(all.measurableAccuracy).toBeGreaterThanOrEqual(floors.goalField);
    expect(all.timeBoundAccuracy).toBeGreaterThanOrEqual(floors.due);
    expect(all.dueAccuracy).toBeGreaterThanOrEqual(floors.due);
  });
});
