/**
 * A generated Taskwarrior `task export` file, shared by the import benchmark and the CLI benchmark
 * so both measure the same 100,000 tasks: 100 projects, a fifth of the tasks completed (every task
 * of projects 0, 5, 10, ...), a third with a due date on one of 28 days (from 2026-12-01 unless
 * told), some tagged or annotated, a few vague or outcome-like.
 */

/** How many projects (goals, once imported) the tasks are spread over. */
export const PROJECTS = 100;

const VERBS = ["Call", "Email", "Draft", "Book", "Send", "Review", "Ask", "Write", "Order", "Schedule"];
const OBJECTS = [
  "the venue",
  "Dana",
  "the budget sheet",
  "the sponsor deck",
  "a dentist slot",
  "the welcome email",
];
const VAGUE = ["Work on the website", "Look into new tools", "Think about the offsite"];
const OUTCOMES = ["Improve team morale", "Grow the newsletter", "Be healthier"];

/** Taskwarrior's timestamp for noon UTC on `day` (YYYY-MM-DD): 20261201T120000Z. */
function noon(day: string): string {
  return `${day.replaceAll("-", "")}T120000Z`;
}

/** A `task export` file of `n` tasks, as bytes; due dates run over 28 days from `firstDue`. */
export function taskwarriorExport(n: number, firstDue = "2026-12-01"): Uint8Array {
  const start = Date.parse(`${firstDue}T00:00:00Z`);
  const dueDays = Array.from({ length: 28 }, (_, d) =>
    noon(new Date(start + d * 86_400_000).toISOString().slice(0, 10)),
  );
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const uuid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    const description =
      i % 50 === 0
        ? (VAGUE[i % VAGUE.length] as string)
        : i % 70 === 0
          ? (OUTCOMES[i % OUTCOMES.length] as string)
          : `${VERBS[i % VERBS.length]} ${OBJECTS[i % OBJECTS.length]} about item ${i}`;
    const task: Record<string, unknown> = {
      id: i + 1,
      description,
      entry: "20261101T090000Z",
      modified: "20261110T090000Z",
      project: `Project ${i % PROJECTS}`,
      status: i % 5 === 0 ? "completed" : "pending",
      uuid,
      urgency: 1.5,
    };
    if (i % 3 === 0) task.due = dueDays[i % 28];
    if (i % 4 === 0) task.tags = ["work", `t${i % 7}`];
    if (i % 5 === 0) task.end = "20261115T100000Z";
    if (i % 10 === 0) task.annotations = [{ entry: "20261102T100000Z", description: `Note on task ${i}` }];
    lines.push(JSON.stringify(task));
  }
  return Buffer.from(`[\n${lines.join(",\n")}\n]\n`);
}
