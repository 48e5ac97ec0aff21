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
import { coachReport, importPlans } from "../src/app/imports/imports.js";
import { parseImportFile } from "../src/integrations/import/index.js";
import { DIALECTS, dialectAvailable, freshStore } from "../test/helpers/dialects.js";
import { actorFor } from "../test/helpers/factories.js";
import { PROJECTS, taskwarriorExport } from "./taskwarrior-export.js";

const TASKS = Number(process.env.TASKS ?? 100_000);
const DOCS = join(import.meta.dirname, "..", "docs", "benchmarks.md");

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
