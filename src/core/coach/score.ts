/**
 * The plan-quality score: 100 minus a weight per finding. A code seen again costs half as much as
 * the time before, so a plan with ten undated steps is marked down, but not to zero for that alone.
 */

import type { Finding } from "./findings.js";

/** How many points each finding code costs the first time it appears. */
export const FINDING_WEIGHTS: Readonly<Record<string, number>> = {
  "outcome-not-action": 20,
  "vague-verb": 10,
  "too-big": 10,
  "no-due-date": 15,
  "no-owner": 10,
  "not-measurable": 25,
  "not-specific": 10,
  "no-why": 15,
  "no-plan-b": 10,
  "no-steps": 15,
  "outcome-steps": 10,
  empty: 100,
  unreadable: 100,
  "too-long": 5,
  "not-english": 0,
  "due-from-text": 0,
  "due-disagrees": 5,
  "plan-b-no-cue": 10,
  "plan-b-no-response": 10,
  "target-out-of-reach": 10,
  "due-before-steps-fit": 10,
  "not-relevant": 5,
  "beyond-team-pace": 10,
  // issue 18 (krlink18)
  "step-not-relevant": 5,
};

/** Weight for a code this version does not know (a newer caller's finding). */
const UNKNOWN_WEIGHT = 5;

/**
 * Scores a plan from 0 (nothing usable) to 100 (no findings), given all the findings of its goal
 * and steps.
 *
 * @example
 * planScore([]); // 100
 * planScore([{ code: "no-due-date", message: "", suggestion: "" }]); // 85
 */
export function planScore(findings: readonly Finding[]): number {
  const seen = new Map<string, number>();
  let penalty = 0;
  for (const f of Array.isArray(findings) ? findings : []) {
    const code = typeof f?.code === "string" ? f.code : "";
    const times = seen.get(code) ?? 0;
    seen.set(code, times + 1);
    penalty += (FINDING_WEIGHTS[code] ?? UNKNOWN_WEIGHT) / 2 ** times;
  }
  return Math.max(0, Math.min(100, Math.round(100 - penalty)));
}
