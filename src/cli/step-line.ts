/**
 * One line for a step, the words for a repeating step's rule given by the caller. `week` prints its
 * steps without loading the recurrence rules (core/recurrence.ts with rrule, some 83 KB the CLI
 * would parse on every run) unless one of them repeats (issue 17, cli21). format.ts's `stepLine`
 * is this with the rules always loaded, for the commands that are not on that budget.
 */
import type { Step } from "../core/types.js";

/** Words for a stored rule, e.g. "every Monday" (`describeRecurrence` of core/recurrence.ts). */
export type DescribeRule = (rrule: string) => string;

/** One line for a step: `[ ] #12 Book the physio (by 2026-12-07, repeats every Monday) ~30 min`. */
export function stepLineWith(s: Step, describe: DescribeRule): string {
  const box = s.status === "done" ? "[x]" : s.status === "dropped" ? "[-]" : "[ ]";
  const repeat = s.recurrence ? `, repeats ${describe(s.recurrence)}` : "";
  const at = s.dueTime ? ` ${s.dueTime}` : "";
  const due = s.dueDate ? ` (by ${s.dueDate}${at}${repeat})` : "";
  const est = s.estimateMinutes ? ` ~${s.estimateMinutes} min` : "";
  const kr = s.keyResultId != null ? `  [KR #${s.keyResultId}]` : "";
  return `${box} #${s.id} ${s.text}${due}${est}${kr}`;
}

/**
 * The describer for printing these steps: the recurrence rules are imported only when one of them
 * repeats. The one returned otherwise is never called by `stepLineWith` for them.
 */
export async function ruleDescriber(steps: readonly (Step | null)[]): Promise<DescribeRule> {
  if (!steps.some((s) => s?.recurrence)) return unloaded;
  return (await import("../core/recurrence.js")).describeRecurrence;
}

function unloaded(rrule: string): string {
  throw new Error(`The recurrence rules were not loaded to describe '${rrule}'.`);
}
