/**
 * Trains the coach's learned reading (src/core/coach/learned.ts) and judges it leave-one-set-out:
 * for each of the twelve labelled sets (twelve writers), train on the other eleven and score it.
 * Deterministic: items in the sets' own order, no random numbers, fixed epochs. Used by
 * scripts/coach-train.mjs (`npm run coach:train`) and test/coach/learn.test.ts.
 */

import { parseDue } from "../../src/core/coach/due.js";
import {
  gatedClass,
  goalFeatures,
  type LinearModel,
  learnedMeasurable,
  learnedStepClass,
  ruleClass,
  STEP_CLASSES,
  type StepClass,
  stepFeatures,
} from "../../src/core/coach/learned.js";
import { goalReading, MULTIPLIER, parseMeasure } from "../../src/core/coach/measure.js";
import { judgeStep } from "../../src/core/coach/step.js";
import { prepare } from "../../src/core/coach/text.js";
import {
  blindSteps,
  eighthGoals,
  eighthSteps,
  eleventhGoals,
  eleventhSteps,
  fifthGoals,
  fifthSteps,
  fourthGoals,
  fourthSteps,
  independentSteps,
  ninthGoals,
  ninthSteps,
  REFERENCE_DAY,
  seventhGoals,
  seventhSteps,
  sixthGoals,
  sixthSteps,
  steps,
  tenthGoals,
  tenthSteps,
  twelfthGoals,
  twelfthSteps,
} from "./evaluate.js";

/** One labelled item as the trainer sees it. */
export interface Example {
  features: string[];
  label: number;
  /** The rules' own class (index), the baseline. */
  rule: number;
}

interface LabelledSet {
  name: string;
  steps: { text: string; label: string }[];
  /** Goals labelled with the product's definition of measurable (a number or a done state); [] for the sets labelled "number only". */
  goals: { text: string; measurable: boolean }[];
}

/** The twelve sets, one writer each, in a fixed order. */
export const SETS: LabelledSet[] = [
  { name: "data", steps, goals: [] },
  { name: "independent", steps: independentSteps, goals: [] },
  { name: "blind", steps: blindSteps, goals: [] },
  { name: "fourth", steps: fourthSteps, goals: fourthGoals },
  { name: "fifth", steps: fifthSteps, goals: fifthGoals },
  { name: "sixth", steps: sixthSteps, goals: sixthGoals },
  { name: "seventh", steps: seventhSteps, goals: seventhGoals },
  { name: "eighth", steps: eighthSteps, goals: eighthGoals },
  { name: "ninth", steps: ninthSteps, goals: ninthGoals },
  { name: "tenth", steps: tenthSteps, goals: tenthGoals },
  { name: "eleventh", steps: eleventhSteps, goals: eleventhGoals },
  { name: "twelfth", steps: twelfthSteps, goals: twelfthGoals },
];

const GOAL_CLASSES = ["not-measurable", "measurable"] as const;

/** A step as an example; null when the rules do not judge it (empty, unreadable, not English). */
export function stepExample(text: string, label: string): Example | null {
  const prepared = prepare(text);
  if (prepared.status !== "ok") return null;
  const j = judgeStep(prepared.text);
  return {
    features: stepFeatures(prepared.text, j),
    label: STEP_CLASSES.indexOf(label as (typeof STEP_CLASSES)[number]),
    rule: STEP_CLASSES.indexOf(ruleClass(j)),
  };
}

/** A goal as an example for `measurable`; null when the rules do not judge it. */
export function goalExample(text: string, measurable: boolean): Example | null {
  const prepared = prepare(text);
  if (prepared.status === "empty" || prepared.status === "unreadable") return null;
  const measure = parseMeasure(prepared.text);
  const reading = goalReading(prepared.text, measure, MULTIPLIER.test(prepared.text));
  const due = parseDue(prepared.text, REFERENCE_DAY);
  const ruleMeasurable = reading === "number" || reading === "done-state";
  return {
    features: goalFeatures(prepared.text, reading, due),
    label: measurable ? 1 : 0,
    rule: ruleMeasurable ? 1 : 0,
  };
}

/** How the model is trained. */
export interface TrainOptions {
  /** L2 penalty per example and epoch. */
  l2: number;
  epochs: number;
  /** AdaGrad step size. */
  rate: number;
  /** A feature seen fewer times than this in training is dropped. */
  minCount: number;
}

export const STEP_OPTIONS: TrainOptions = { l2: 1e-4, epochs: 30, rate: 0.2, minCount: 2 };
export const GOAL_OPTIONS: TrainOptions = { l2: 1e-4, epochs: 30, rate: 0.2, minCount: 2 };

/**
 * Multinomial logistic regression with L2, by AdaGrad over the examples in their given order, a
 * fixed number of epochs: no randomness, so the same examples give the same weights.
 */
export function train(examples: Example[], classes: readonly string[], opts: TrainOptions): LinearModel {
  const k = classes.length;
  const count = new Map<string, number>();
  for (const e of examples) for (const f of e.features) count.set(f, (count.get(f) ?? 0) + 1);
  const w = new Map<string, Float64Array>();
  const g2 = new Map<string, Float64Array>();
  for (const [f, n] of count) {
    if (n >= opts.minCount || f === "bias") {
      w.set(f, new Float64Array(k));
      g2.set(f, new Float64Array(k).fill(1e-8));
    }
  }
  const z = new Float64Array(k);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const e of examples) {
      const fs = e.features.filter((f) => w.has(f));
      z.fill(0);
      for (const f of fs) {
        const wf = w.get(f)!;
        for (let c = 0; c < k; c++) z[c] += wf[c];
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[c]);
      let sum = 0;
      for (let c = 0; c < k; c++) {
        z[c] = Math.exp(z[c] - max);
        sum += z[c];
      }
      for (let c = 0; c < k; c++) z[c] = z[c] / sum - (c === e.label ? 1 : 0);
      for (const f of fs) {
        const wf = w.get(f)!;
        const gf = g2.get(f)!;
        for (let c = 0; c < k; c++) {
          const grad = z[c] + opts.l2 * wf[c];
          gf[c] += grad * grad;
          wf[c] -= (opts.rate * grad) / Math.sqrt(gf[c]);
        }
      }
    }
  }
  const weights: Record<string, number[]> = {};
  for (const f of [...w.keys()].sort()) {
    const v = [...w.get(f)!].map((x) => Math.round(x * 1e4) / 1e4);
    if (v.some((x) => Math.abs(x) >= 1e-3)) weights[f] = v;
  }
  return { classes, weights };
}

/** Steps and goals of every set as examples, in the sets' order. */
export function examplesBySet(): { name: string; steps: Example[]; goals: Example[] }[] {
  return SETS.map((s) => ({
    name: s.name,
    steps: s.steps.map((i) => stepExample(i.text, i.label)).filter((e): e is Example => e !== null),
    goals: s.goals.map((g) => goalExample(g.text, g.measurable)).filter((e): e is Example => e !== null),
  }));
}

/** Trains the step and goal models on every set. */
export function trainAll(bySet = examplesBySet()): { step: LinearModel; goal: LinearModel } {
  return {
    step: train(
      bySet.flatMap((s) => s.steps),
      STEP_CLASSES,
      STEP_OPTIONS,
    ),
    goal: train(
      bySet.flatMap((s) => s.goals),
      GOAL_CLASSES,
      GOAL_OPTIONS,
    ),
  };
}

/** One set's figures, rules alone and rules + model, trained on the other sets. */
export interface FoldRow {
  name: string;
  steps: number;
  goals: number;
  rules: Figures;
  model: Figures;
}

export interface Figures {
  label: number;
  kind: number;
  vagueRecall: number;
  measurable: number | null;
}

function figures(
  examples: Example[],
  predicted: number[],
  goalExamples: Example[],
  goalPredicted: number[],
): Figures {
  const vague = STEP_CLASSES.indexOf("vague");
  const outcome = STEP_CLASSES.indexOf("outcome");
  let right = 0;
  let kind = 0;
  let vagueAll = 0;
  let vagueRight = 0;
  examples.forEach((e, i) => {
    if (predicted[i] === e.label) right++;
    if ((predicted[i] === outcome) === (e.label === outcome)) kind++;
    if (e.label === vague) {
      vagueAll++;
      if (predicted[i] === vague) vagueRight++;
    }
  });
  const goalRight = goalExamples.filter((g, i) => goalPredicted[i] === g.label).length;
  return {
    label: right / examples.length,
    kind: kind / examples.length,
    vagueRecall: vagueAll ? vagueRight / vagueAll : 1,
    measurable: goalExamples.length ? goalRight / goalExamples.length : null,
  };
}

/** Leave one set out: for each set, train on the others and score it, rules alone and gated by `margin`. */
export function leaveOneSetOut(
  stepMargin: number | "product",
  goalMargin: number | "product",
  bySet = examplesBySet(),
): FoldRow[] {
  return bySet.map((held, h) => {
    const others = bySet.filter((_, i) => i !== h);
    const { step, goal } = trainAll(others);
    // "product": the gate lintStep and lintGoal use (learnedStepClass, learnedMeasurable).
    const predict = (m: LinearModel, e: Example, margin: number | "product") =>
      margin !== "product"
        ? m.classes.indexOf(gatedClass(m, e.features, m.classes[e.rule], margin))
        : m === step
          ? m.classes.indexOf(learnedStepClass(m, e.features, m.classes[e.rule] as StepClass))
          : learnedMeasurable(m, e.features, e.rule === 1)
            ? 1
            : 0;
    return {
      name: held.name,
      steps: held.steps.length,
      goals: held.goals.length,
      rules: figures(
        held.steps,
        held.steps.map((e) => e.rule),
        held.goals,
        held.goals.map((e) => e.rule),
      ),
      model: figures(
        held.steps,
        held.steps.map((e) => predict(step, e, stepMargin)),
        held.goals,
        held.goals.map((e) => predict(goal, e, goalMargin)),
      ),
    };
  });
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}`);

/** The leave-one-set-out table as Markdown, with the mean and the worst set. */
export function foldTable(rows: FoldRow[]): string {
  const cell = (a: number | null, b: number | null) =>
    a === null || b === null
      ? "—"
      : `${pct(a)} → ${pct(b)} (${b - a >= 0 ? "+" : ""}${((b - a) * 100).toFixed(1)})`;
  const lines = [
    "| set (held out) | steps | class | vague recall | action vs outcome | goals | goal measurable |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.steps} | ${cell(r.rules.label, r.model.label)} | ${cell(r.rules.vagueRecall, r.model.vagueRecall)} | ${cell(r.rules.kind, r.model.kind)} | ${r.goals || "—"} | ${cell(r.rules.measurable, r.model.measurable)} |`,
    ),
  ];
  const mean = (f: (r: FoldRow) => number | null) => {
    const v = rows.map(f).filter((x): x is number => x !== null);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const worst = (f: (r: FoldRow) => number | null) => {
    const v = rows.map(f).filter((x): x is number => x !== null);
    return Math.min(...v);
  };
  const worstDelta = (a: (r: FoldRow) => number | null, b: (r: FoldRow) => number | null) => {
    const v = rows.filter((r) => a(r) !== null).map((r) => (b(r) as number) - (a(r) as number));
    return `${(Math.min(...v) * 100).toFixed(1)}`;
  };
  lines.push(
    `| **mean** | | ${cell(
      mean((r) => r.rules.label),
      mean((r) => r.model.label),
    )} | ${cell(
      mean((r) => r.rules.vagueRecall),
      mean((r) => r.model.vagueRecall),
    )} | ${cell(
      mean((r) => r.rules.kind),
      mean((r) => r.model.kind),
    )} | | ${cell(
      mean((r) => r.rules.measurable),
      mean((r) => r.model.measurable),
    )} |`,
    `| **worst set** | | ${pct(worst((r) => r.rules.label))} → ${pct(worst((r) => r.model.label))} | ${pct(worst((r) => r.rules.vagueRecall))} → ${pct(worst((r) => r.model.vagueRecall))} | ${pct(worst((r) => r.rules.kind))} → ${pct(worst((r) => r.model.kind))} | | ${pct(worst((r) => r.rules.measurable))} → ${pct(worst((r) => r.model.measurable))} |`,
    `| **smallest change on one set** | | ${worstDelta(
      (r) => r.rules.label,
      (r) => r.model.label,
    )} | ${worstDelta(
      (r) => r.rules.vagueRecall,
      (r) => r.model.vagueRecall,
    )} | ${worstDelta(
      (r) => r.rules.kind,
      (r) => r.model.kind,
    )} | | ${worstDelta(
      (r) => r.rules.measurable,
      (r) => r.model.measurable,
    )} |`,
  );
  return lines.join("\n");
}
