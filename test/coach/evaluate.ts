/**
 * Scores the coach against the labelled data set in test/coach/data. Used by accuracy.test.ts
 * (held-out part, with the targets) and handy for tuning (`evaluate("tune")`).
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lintGoal, lintStep } from "../../src/core/coach/index.js";

/** The reference day every relative date in the data set was labelled against. */
export const REFERENCE_DAY = "2026-11-18";

/**
 * Which part of the data set an item belongs to, fixed when the item was written:
 * "tune" (rules were tuned on it), "heldout" (scored, never tuned on; see docs/coach.md for the
 * one look that led to bug fixes) and "fresh" (written after that look, never used for changes).
 */
export type Split = "tune" | "heldout" | "fresh";

/** One labelled step. "vague" means an action whose verb is vague. */
export interface StepItem {
  id: string;
  text: string;
  label: "action" | "outcome" | "vague";
  domain: string;
  split: Split;
}

/** One labelled goal. */
export interface GoalItem {
  id: string;
  text: string;
  measurable: boolean;
  timeBound: boolean;
  due: string | null;
  split: Split;
}

function readJsonl<T>(name: string, folder = "data"): T[] {
  const path = fileURLToPath(new URL(`./${folder}/${name}`, import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** Every labelled step. */
export const steps: StepItem[] = readJsonl<StepItem>("steps.jsonl");
/** Every labelled goal. */
export const goals: GoalItem[] = readJsonl<GoalItem>("goals.jsonl");

/** How an item of the independent set is written: task-list fragments, full sentences, or non-native English. */
export type Register = "terse" | "sentence" | "non-native";

/**
 * The independent set (test/coach/independent, issue 18): written from the definitions of action,
 * outcome and vague alone, by a writer who never read the rules, the lexicon or the data above.
 * All of it is held out: it is scored, never tuned on.
 */
export const independentSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "independent",
);
export const independentGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] =
  readJsonl("goals.jsonl", "independent");

/**
 * The independent set's steps labelled a second time, apart, by another writer from the same
 * definitions without seeing the first labels (`sure: false` where they hesitated): how far two
 * people agree is the ceiling any score against one of them can be read against.
 */
export const secondLabels: Map<string, Label> = new Map(
  readJsonl<{ id: string; label: Label }>("second-labels.jsonl", "independent").map((r) => [r.id, r.label]),
);

/** The share of `items` whose label `other` gives the same. */
export function agreement(items: { id: string; label: Label }[], other: Map<string, Label>): number {
  return items.filter((i) => other.get(i.id) === i.label).length / items.length;
}

/**
 * The blind set (test/coach/blind, issue 18, third pass): written the same way by another writer,
 * after the coach's third pass was committed, and scored once, never read for misses before that.
 */
export const blindSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "blind",
);
export const blindGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "blind",
);

/**
 * The fourth set (test/coach/fourth, issue 18): written the same way by a third writer, after the
 * blind set's misses were read, and scored once with the coach as it stood (docs/coach.md).
 */
export const fourthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "fourth",
);
export const fourthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "fourth",
);

/**
 * The fifth set (test/coach/fifth, issue 18): written the same way by a fourth writer, from the
 * definitions alone, after the fourth set's misses were read, and scored once before and once after
 * the rules that followed (docs/coach.md).
 */
export const fifthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "fifth",
);
export const fifthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "fifth",
);

/**
 * The sixth set (test/coach/sixth, issue 18): written the same way by a fifth writer, from the
 * definitions alone, while the fifth set became a tuning set; scored once before the fifth pass
 * and once after it (docs/coach.md).
 */
export const sixthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "sixth",
);
export const sixthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "sixth",
);

/**
 * The seventh set (test/coach/seventh, issue 18): written the same way by a sixth writer, from the
 * definitions alone, while the sixth set became a tuning set; scored once before the sixth pass
 * and once after it (docs/coach.md).
 */
export const seventhSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "seventh",
);
export const seventhGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "seventh",
);

/**
 * The eighth set (test/coach/eighth, issue 18): written the same way by a seventh writer, from the
 * definitions alone, with new voices and other first languages, while the seventh set became a
 * tuning set; scored once before the seventh pass and once after it (docs/coach.md).
 */
export const eighthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "eighth",
);
export const eighthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "eighth",
);

/**
 * The ninth set (test/coach/ninth, issue 18): written the same way by an eighth writer, from the
 * definitions alone, with new voices and other first languages, while the eighth set became a
 * tuning set; scored once before the eighth pass and once after it (docs/coach.md).
 */
export const ninthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "ninth",
);
export const ninthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "ninth",
);

/**
 * The tenth set (test/coach/tenth, issue 18): written the same way by a ninth writer, from the
 * definitions alone, with new voices and other first languages, while the ninth set became a
 * tuning set; scored once before the ninth pass and once after it (docs/coach.md).
 */
export const tenthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "tenth",
);
export const tenthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "tenth",
);

/**
 * The eleventh set (test/coach/eleventh, issue 18): written the same way by a tenth writer, from
 * the definitions alone, with new voices and other first languages, while the tenth set became a
 * tuning set; scored once before the tenth pass and once after it (docs/coach.md).
 */
export const eleventhSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "eleventh",
);
export const eleventhGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "eleventh",
);

/**
 * The twelfth set (test/coach/twelfth, issue 18): written the same way by an eleventh writer, from
 * the definitions alone, with new voices and other first languages, while the eleventh set became a
 * tuning set; scored once before the eleventh pass and once after it (docs/coach.md).
 */
export const twelfthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "twelfth",
);
export const twelfthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] = readJsonl(
  "goals.jsonl",
  "twelfth",
);

/**
 * The thirteenth set (test/coach/thirteenth, issue 18): written the same way by a twelfth writer,
 * from the definitions alone, with new voices and other first languages, on its own reference day
 * (Wednesday 2026-12-02, `THIRTEENTH_DAY`), while the twelfth set became a tuning set; scored once
 * before the learned reading (ml26) and once after it (docs/coach.md).
 */
export const THIRTEENTH_DAY = "2026-12-02";
export const thirteenthSteps: (Omit<StepItem, "split"> & { register: Register })[] = readJsonl(
  "steps.jsonl",
  "thirteenth",
);
export const thirteenthGoals: (Omit<GoalItem, "split"> & { domain: string; register: Register })[] =
  readJsonl("goals.jsonl", "thirteenth");

type Label = StepItem["label"];
const LABELS: Label[] = ["action", "outcome", "vague"];

/** Accuracy figures for one split, plus every miss for inspection. */
export interface Report {
  steps: number;
  goals: number;
  /** Share of steps whose kind (action or outcome; vague counts as action) is right. */
  kindAccuracy: number;
  /** Share of steps whose class (action, outcome or vague) is right. */
  labelAccuracy: number;
  /** Share of vague steps that got a vague-verb finding. */
  vagueRecall: number;
  /** Share of clean action steps that did not get a vague-verb finding. */
  cleanActionPrecision: number;
  /** confusion[expected][predicted] over action / outcome / vague. */
  confusion: Record<Label, Record<Label, number>>;
  measurableAccuracy: number;
  timeBoundAccuracy: number;
  dueAccuracy: number;
  misses: string[];
}

/** Runs the coach on one split of the data set and scores it. */
export function evaluate(split: Split): Report {
  return score(
    steps.filter((s) => s.split === split),
    goals.filter((g) => g.split === split),
    "number",
  );
}

/**
 * What a set's writer meant by a measurable goal (docs/coach.md, "The fifth pass"):
 * - "number" (the data, independent and blind sets): a number in the text, a habit's rhythm
 *   included ("Run 3 times a week"); a done state with no number ("Launch the pricing page by
 *   March 31") is labelled not measurable. Scored against the coach's reading "number" or "habit".
 * - "number-or-done-state" (the fourth and fifth sets' brief, and the product's `smart.measurable`):
 *   a number with a target or an unmistakable done state; a habit without a total is not.
 */
export type MeasurableDefinition = "number" | "number-or-done-state";

/** Runs the coach on the given steps and goals and scores it, on the set's reference day `now`. */
export function score(
  stepItems: Omit<StepItem, "split">[],
  goalItems: Omit<GoalItem, "split">[],
  definition: MeasurableDefinition = "number-or-done-state",
  now: string = REFERENCE_DAY,
): Report {
  const confusion = Object.fromEntries(
    LABELS.map((l) => [l, Object.fromEntries(LABELS.map((p) => [p, 0]))]),
  ) as Report["confusion"];
  const misses: string[] = [];
  let kindRight = 0;
  for (const item of stepItems) {
    const lint = lintStep(item.text, { now });
    const vague = lint.findings.some((f) => f.code === "vague-verb");
    const predicted: Label = lint.kind === "outcome" ? "outcome" : vague ? "vague" : "action";
    confusion[item.label][predicted]++;
    const expectedKind = item.label === "outcome" ? "outcome" : "action";
    if (lint.kind === expectedKind) kindRight++;
    if (predicted !== item.label)
      misses.push(`step ${item.id} expected ${item.label}, got ${predicted}: ${item.text}`);
  }
  const vagueTotal = LABELS.reduce((n, p) => n + confusion.vague[p], 0);
  const actionTotal = LABELS.reduce((n, p) => n + confusion.action[p], 0);

  let measurable = 0;
  let timeBound = 0;
  let due = 0;
  for (const item of goalItems) {
    const lint = lintGoal(item.text, { now });
    const read =
      definition === "number" ? lint.reading === "number" || lint.reading === "habit" : lint.smart.measurable;
    if (read === item.measurable) measurable++;
    else misses.push(`goal ${item.id} measurable expected ${item.measurable}: ${item.text}`);
    if (lint.smart.timeBound === item.timeBound) timeBound++;
    else misses.push(`goal ${item.id} timeBound expected ${item.timeBound}: ${item.text}`);
    if (lint.due === item.due) due++;
    else misses.push(`goal ${item.id} due expected ${item.due}, got ${lint.due}: ${item.text}`);
  }
  return {
    steps: stepItems.length,
    goals: goalItems.length,
    kindAccuracy: stepItems.length ? kindRight / stepItems.length : 1,
    labelAccuracy: stepItems.length ? LABELS.reduce((n, l) => n + confusion[l][l], 0) / stepItems.length : 1,
    vagueRecall: confusion.vague.vague / vagueTotal,
    cleanActionPrecision: 1 - confusion.action.vague / actionTotal,
    confusion,
    measurableAccuracy: goalItems.length ? measurable / goalItems.length : 1,
    timeBoundAccuracy: goalItems.length ? timeBound / goalItems.length : 1,
    dueAccuracy: goalItems.length ? due / goalItems.length : 1,
    misses,
  };
}

/** The confusion table as Markdown (rows: expected, columns: predicted). */
export function confusionTable(report: Report): string {
  const rows = LABELS.map((l) => `| ${l} | ${LABELS.map((p) => report.confusion[l][p]).join(" | ")} |`);
  return ["| expected \\ predicted | action | outcome | vague |", "|---|---|---|---|", ...rows].join("\n");
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A short Markdown summary of a report. */
export function summary(report: Report): string {
  return [
    `steps: ${report.steps}, goals: ${report.goals}`,
    `action vs outcome: ${pct(report.kindAccuracy)}, class (action / outcome / vague): ${pct(report.labelAccuracy)}`,
    `vague recall: ${pct(report.vagueRecall)}, clean actions without a false vague-verb: ${pct(report.cleanActionPrecision)}`,
    `goal measurable: ${pct(report.measurableAccuracy)}, time-bound: ${pct(report.timeBoundAccuracy)}, due exact: ${pct(report.dueAccuracy)}`,
    confusionTable(report),
  ].join("\n");
}
