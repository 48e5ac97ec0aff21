/**
 * A learned reading on top of the rules (issue 18, ml26): the features a small linear model reads
 * from a step or a goal, and the model's scores. Pure: the weights are data (a generated file,
 * `npm run coach:train`), nothing is read at run time. docs/coach.md, "A learned reading (ml26)".
 *
 * The rules stay the judge: their own class is the strongest feature, and the words, word pairs,
 * the first word and the length only move a step the rules read one way when the writers of the
 * twelve labelled sets consistently read it another.
 */

import type { GoalReading } from "./measure.js";
import type { Judgement } from "./step.js";

/** The three classes a step can be read as. */
export const STEP_CLASSES = ["action", "outcome", "vague"] as const;
export type StepClass = (typeof STEP_CLASSES)[number];

/** A linear model: one weight per class for each feature it kept (absent features weigh 0). */
export interface LinearModel {
  classes: readonly string[];
  weights: Record<string, readonly number[]>;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased words of a text, apostrophes kept inside a word ("i'll"). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace("’", "'"));
}

function lengthBucket(n: number): string {
  return n <= 2 ? "1-2" : n <= 4 ? "3-4" : n <= 7 ? "5-7" : n <= 12 ? "8-12" : "13+";
}

/** The rules' own class for a step judgement. */
export function ruleClass(j: Pick<Judgement, "kind" | "vague">): StepClass {
  return j.kind === "outcome" ? "outcome" : j.vague ? "vague" : "action";
}

/** Features shared by steps and goals: words, word pairs, first and last word, length, digits, names. */
function textFeatures(text: string, out: string[]): void {
  const w = words(text);
  out.push(`len:${lengthBucket(w.length)}`);
  if (w.length > 0) {
    out.push(`first:${w[0]}`, `last:${w[w.length - 1]}`);
    if (w.length > 1) out.push(`first2:${w[0]}_${w[1]}`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < w.length; i++) {
    const u = `w:${w[i]}`;
    if (!seen.has(u)) {
      seen.add(u);
      out.push(u);
    }
    if (i + 1 < w.length) {
      const b = `b:${w[i]}_${w[i + 1]}`;
      if (!seen.has(b)) {
        seen.add(b);
        out.push(b);
      }
    }
  }
  if (/\d/.test(text)) out.push("digit");
  // A name after the first word ("Email Raj"): something to act on.
  if (/\s\p{Lu}\p{Ll}/u.test(text)) out.push("name");
  if (/:/.test(text)) out.push("colon");
}

/** The features of a step: the rules' reading and its signals, then the text's. */
export function stepFeatures(text: string, j: Judgement): string[] {
  const rule = ruleClass(j);
  const out = ["bias", `rule:${rule}`];
  if (j.vague) out.push(`vaguew:${j.vague.toLowerCase()}`);
  if (j.tooBig) out.push("toobig");
  const core = j.core.map((t) => t.lower);
  if (core.length > 0) {
    out.push(`core0:${core[0]}`, `rule_core0:${rule}_${core[0]}`);
    if (core.length < words(text).length) out.push("prefix-stripped");
  }
  textFeatures(text, out);
  return out;
}

/** The features of a goal for `measurable`: the rules' reading, then the text's. */
export function goalFeatures(text: string, reading: GoalReading, due: string | null): string[] {
  const out = ["bias", `reading:${reading ?? "none"}`];
  if (due) out.push("due");
  textFeatures(text, out);
  return out;
}

/** The model's probability for each class given the features (softmax of the summed weights). */
export function probabilities(model: LinearModel, features: readonly string[]): number[] {
  const k = model.classes.length;
  const z = new Array<number>(k).fill(0);
  for (const f of features) {
    const w = model.weights[f];
    if (w) for (let c = 0; c < k; c++) z[c] += w[c];
  }
  const max = Math.max(...z);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < k; c++) z[c] /= sum;
  return z;
}

/**
 * The model's class when it disagrees with the rules by at least `margin` (its probability for its
 * own class minus its probability for the rules' class), else the rules' class.
 */
export function gatedClass(
  model: LinearModel,
  features: readonly string[],
  rule: string,
  margin: number,
): string {
  const p = probabilities(model, features);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  const r = model.classes.indexOf(rule);
  if (r < 0 || best === r) return rule;
  return p[best] - p[r] >= margin ? model.classes[best] : rule;
}

/**
 * How sure the step model must be to overrule the rules: its probability for its class minus its
 * probability for the rules' class. Chosen on the leave-one-set-out study (docs/coach.md).
 */
export const STEP_MARGIN = 0.9;
/** How sure the goal model must be to overrule the rules' `measurable` (as STEP_MARGIN). */
export const GOAL_MARGIN = 0.85;

/**
 * The class of a step, the rules' reading overruled by the step model when it is sure. It never
 * turns a step vague: from an outcome the writers disagree (one set labels "Feel less stressed" an
 * outcome, later ones a vague wish) and the study lost more than it won on that move; from an
 * action it won on the sets but read clean actions the rules were built on as vague ("fix the
 * garden gate latch", "hire cleaner", "clean the oven": a verb that is often vague elsewhere), with
 * no signal in its features to tell the bounded object apart.
 */
export function learnedStepClass(
  model: LinearModel,
  features: readonly string[],
  rule: StepClass,
): StepClass {
  const got = gatedClass(model, features, rule, STEP_MARGIN) as StepClass;
  return got === "vague" ? rule : got;
}

/** Whether a goal is measurable, the rules' reading overruled by the goal model when it is sure. */
export function learnedMeasurable(model: LinearModel, features: readonly string[], rule: boolean): boolean {
  return gatedClass(model, features, rule ? "measurable" : "not-measurable", GOAL_MARGIN) === "measurable";
}
