/** Human-readable text for the CLI's output. */
import type { Delegation } from "../app/collaboration/collaboration.js";
import type { Plan } from "../app/plans/goals.js";
import { describeRecurrence } from "../core/recurrence.js";
import type {
  Barrier,
  ChangeRecord,
  Checkin,
  Commitment,
  Goal,
  KeyResult,
  Resource,
  Step,
} from "../core/types.js";
import { stepLineWith } from "./step-line.js";

/** One line for a goal. */
export function goalLine(g: Goal): string {
  const due = g.dueDate ? ` due ${g.dueDate}` : "";
  return `#${g.id} ${g.title} [${g.status}, ${g.priority}]${due}`;
}

/** One line for a key result with its progress. */
export function krLine(k: KeyResult): string {
  const span = k.targetValue - k.startValue;
  const pct = span === 0 ? 0 : Math.max(0, Math.min(1, (k.currentValue - k.startValue) / span));
  const unit = k.unit ? ` ${k.unit}` : "";
  return `KR #${k.id} ${k.title}: ${k.currentValue}${unit} (from ${k.startValue} to ${k.targetValue}${unit}, ${Math.round(pct * 100)}%)`;
}

/** One line for a step (see `stepLineWith`, which `week` uses without loading the recurrence rules). */
export function stepLine(s: Step): string {
  return stepLineWith(s, describeRecurrence);
}

/** One line for a resource. */
export function resourceLine(r: Resource): string {
  return `#${r.id} ${r.name} (${r.kind})${r.ask ? `: ask "${r.ask}"` : ""}`;
}

/** One line for a barrier. */
export function barrierLine(b: Barrier): string {
  return `#${b.id} ${b.obstacle} [${b.likelihood}, ${b.status}]\n      Plan B: ${b.planB}`;
}

/** One line for a check-in. */
export function checkinLine(c: Checkin): string {
  const parts = [`#${c.id} ${c.date}`];
  if (c.confidence) parts.push(c.confidence);
  if (c.doneText) parts.push(`done: ${c.doneText}`);
  if (c.nextStep) parts.push(`next: ${c.nextStep}`);
  return parts.join(" · ");
}

/** One line for a delegation: what, to whom (by id), by when, and where it stands. */
export function delegationLine(d: Delegation): string {
  const due = d.dueDate ? ` by ${d.dueDate}` : "";
  const lines = [`#${d.id} ${d.what}${due} [${d.state}] (from #${d.delegatedBy} to #${d.assigneeId})`];
  lines.push(`      Done looks like: ${d.doneLooksLike}`);
  if (d.why) lines.push(`      Why: ${d.why}`);
  if (d.question) lines.push(`      Question: ${d.question}`);
  if (d.answer) lines.push(`      Answer: ${d.answer}`);
  return lines.join("\n");
}

/** One line for a commitment. */
export function commitmentLine(c: Commitment): string {
  const witnesses = c.witnessUserIds.length ? `, witnessed by #${c.witnessUserIds.join(", #")}` : "";
  return `#${c.id} ${c.text} by ${c.dueDate} [${c.status}]${witnesses}`;
}

const ENTITY_WORDS: Record<ChangeRecord["entity"], string> = {
  goal: "",
  key_result: "KR",
  step: "step",
  resource: "resource",
  barrier: "barrier",
};

/** One line of a goal's history: when, what changed from what to what, and why. */
export function changeLine(c: ChangeRecord): string {
  const what = c.entity === "goal" ? "" : `${ENTITY_WORDS[c.entity]} #${c.entityId} `;
  const because = c.reason ? ` (because ${c.reason})` : "";
  if (c.field === "removed")
    return `${c.createdAt.slice(0, 10)} ${what}removed: ${c.oldValue ?? "-"}${because}`;
  return `${c.createdAt.slice(0, 10)} ${what}${c.field}: ${c.oldValue ?? "-"} → ${c.newValue ?? "-"}${because}`;
}

/** The whole plan of a goal. */
export function planText(p: Plan): string {
  const g = p.goal;
  const lines = [goalLine(g)];
  lines.push(`  Why: ${g.why ?? "(no why yet: what value or priority does this serve?)"}`);
  lines.push(
    `  Success looks like: ${g.successLooksLike ?? "(not written yet: picture the day it is done)"}`,
  );
  if (g.parentId !== null) lines.push(`  Serves goal #${g.parentId}`);
  if (g.values.length) lines.push(`  Values: ${g.values.join(", ")}`);
  lines.push(
    `  Start ${g.startDate}${g.dueDate ? `, due ${g.dueDate}` : ""}, check in every ${g.cadenceDays} days`,
  );
  const section = (title: string, items: string[]) => {
    lines.push(`  ${title}:`);
    if (items.length === 0) lines.push("    (none)");
    for (const i of items) lines.push(`    ${i}`);
  };
  section("Key results", p.keyResults.map(krLine));
  section("Steps", p.steps.map(stepLine));
  section("Resources", p.resources.map(resourceLine));
  section("Barriers", p.barriers.map(barrierLine));
  section("Check-ins", p.checkins.map(checkinLine));
  return lines.join("\n");
}

/** The coach's warnings on something just written, with their suggestions (empty when none). */
export function warningsText(
  warnings: { code: string; message: string; suggestion: string }[] | undefined,
): string {
  if (!warnings?.length) return "";
  return `\n${warnings.map((w) => `  coach (${w.code}): ${w.message}\n    → ${w.suggestion}`).join("\n")}`;
}
