/**
 * A 100,000-task import: a generated Taskwarrior export (100 projects of 1,000 tasks) parsed and
 * imported in one transaction, then imported again (which must add nothing), on SQLite and, when
 * the test cluster is up, PostgreSQL. Writes the times to docs/benchmarks.md under "Import".
 *
 *   npm run bench:import          (TASKS=20000 for a quicker run)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bench, describe } from "vitest";
import { coachReport, importPlans } from "../src/app/imports.js";
import { parseImportFile } from "../src/integrations/import/index.js";
import { DIALECTS, dialectAvailable, freshStore } from "../test/helpers/dialects.js";
import { actorFor } from "../test/helpers/factories.js";

const TASKS = Number(process.env.TASKS ?? 100_000);
const PROJECTS = 100;
const DOCS = join(import.meta.dirname, "..", "docs", "benchmarks.md");

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

/** A `task export` file of `n` tasks, as bytes. */
function taskwarriorExport(n: number): Uint8Array {
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
    if (i % 3 === 0) task.due = `202612${String((i % 28) + 1).padStart(2, "0")}T120000Z`;
    if (i % 4 === 0) task.tags = ["work", `t${i % 7}`];
    if (i % 5 === 0) task.end = "20261115T100000Z";
    if (i % 10 === 0) task.annotations = [{ entry: "20261102T100000Z", description: `Note on task ${i}` }];
    lines.push(JSON.stringify(task));
  }
  return Buffer.from(`[\n${lines.join(",\n")}\n]\n`);
}

interface Row {
  dialect: string;
  parse: number;
  coach: number;
  first: number;
  again: number;
  steps: number;
}

const results: Row[] = [];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function writeDocs(bytes: number): void {
  const rows = results.map(
    (r) =>
      `| ${r.dialect} | ${r.steps.toLocaleString("en-US")} | ${seconds(r.parse)} | ${seconds(r.first)} (coach ${seconds(r.coach)}) | ${seconds(r.again)} |`,
  );
  const section = [
    "## Import",
    "",
    `\`npm run bench:import\` — a generated Taskwarrior export of ${TASKS.toLocaleString("en-US")} tasks in ${PROJECTS} projects (${(bytes / 1024 / 1024).toFixed(0)} MB),`,
    "parsed, then imported in one transaction through `importPlans` (batch inserts of steps and",
    "external keys, one event, then the coach's report on every new step), then imported again,",
    `which adds nothing. Measured ${new Date().toISOString().slice(0, 10)} on the 2-core machine, one run each.`,
    "",
    "| database | steps | parse | import (of which the coach) | import again (no-op) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
  let text: string;
  try {
    text = readFileSync(DOCS, "utf8");
  } catch {
    text = "# Benchmarks\n";
  }
  const start = text.search(/^## Import\s*$/m);
  if (start === -1) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    text = `${text.slice(0, start)}${section}${next === -1 ? "" : `\n${rest.slice(next)}`}`;
  }
  writeFileSync(DOCS, `${text.trimEnd()}\n`);
}

const file = taskwarriorExport(TASKS);
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };

describe(`import of ${TASKS} tasks`, () => {
  for (const d of DIALECTS) {
    bench(
      `${d}: parse, import, import again`,
      async () => {
        if (!dialectAvailable(d)) return;
        const db = await freshStore(d);
        try {
          const { ctx, actor } = await actorFor(db.store);
          let t = performance.now();
          const data = parseImportFile("taskwarrior", file, { today: "2026-11-21", name: "bench" });
          const parse = performance.now() - t;
          t = performance.now();
          const first = await importPlans(ctx, actor, "taskwarrior", data);
          const firstMs = performance.now() - t;
          if (first.steps.created !== TASKS) throw new Error(`imported ${first.steps.created} of ${TASKS}`);
          t = performance.now();
          // The coach's share of the import: the same report again, on its own.
          coachReport(
            data.goals.flatMap((g) =>
              g.steps.map((s, i) => ({ stepId: i, goalId: 0, text: s.text, dueDate: null })),
            ),
            "2026-11-21",
          );
          const coach = performance.now() - t;
          t = performance.now();
          const again = await importPlans(ctx, actor, "taskwarrior", data);
          const againMs = performance.now() - t;
          if (again.steps.created !== 0) throw new Error("the second import added steps");
          results.push({
            dialect: d === "sqlite" ? "SQLite" : "PostgreSQL",
            parse,
            coach,
            first: firstMs,
            again: againMs,
            steps: TASKS,
          });
          process.stdout.write(
            `${d}: parse ${seconds(parse)}, import ${seconds(firstMs)} (coach ≈ ${seconds(coach)}), again ${seconds(againMs)}\n`,
          );
          if (results.length === DIALECTS.filter(dialectAvailable).length) writeDocs(file.length);
        } finally {
          await db.dispose();
        }
      },
      once,
    );
  }
});
