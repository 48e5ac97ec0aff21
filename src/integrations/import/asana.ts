/**
 * Asana's CSV export (a project's ⌄ menu → Export/Print → CSV): one row per task with Task ID,
 * Name, Section/Column, Completed At, Due Date, Tags, Notes, Projects and Parent task.
 *
 * Each project becomes a goal (tasks in none go to a goal named after the file); tasks and
 * sub-tasks become steps, done when they have a completion date. Tags stay tags, the section is a
 * tag too, and notes stay notes.
 */
import type { ImportData, ImportGoal, ImportStep } from "../../app/imports/imports.js";
import { isIsoDay } from "../../core/dates.js";
import { badFile, type CsvRow, contentId, parseCsv } from "./file.js";
import type { CsvImportOptions } from "./todoist.js";

const WHAT = "Asana";

function day(row: CsvRow, column: string): string | null {
  const v = row.get(column);
  if (v === "") return null;
  const d = v.slice(0, 10);
  if (!isIsoDay(d)) {
    throw badFile(
      `Line ${row.line}, column ${column} of the ${WHAT} file is "${v}", not a date like 2026-11-30.`,
      {
        line: row.line,
        field: column,
      },
    );
  }
  return d;
}

function splitList(v: string): string[] {
  return v
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

/**
 * Parses an Asana CSV export into goals and steps.
 * @example
 * parseAsana("Task ID,Name,Completed At,Due Date,Projects\n1201,Book the venue,,2026-12-01,Launch\n", { today: "2026-11-21", name: "asana" })
 * // { goals: [{ title: "Launch", steps: [{ externalId: "1201", text: "Book the venue", dueDate: "2026-12-01", status: "todo" }] }] }
 */
export function parseAsana(text: string, opts: CsvImportOptions): ImportData {
  const rows = parseCsv(text, WHAT, ["Task ID", "Name"]);
  const goals = new Map<string, ImportGoal & { steps: ImportStep[] }>();
  const fallback = opts.name.trim() || "Asana tasks";
  const names = new Map<string, string>();
  for (const row of rows) names.set(row.get("Task ID"), row.get("Name"));
  for (const row of rows) {
    const id = row.get("Task ID");
    if (!/^[0-9A-Za-z_-]{1,64}$/.test(id)) {
      throw badFile(
        `Line ${row.line}, column Task ID of the ${WHAT} file is "${id}", not an Asana task id.`,
        {
          line: row.line,
          field: "Task ID",
        },
      );
    }
    const name = row.get("Name");
    if (name === "") {
      throw badFile(`Line ${row.line}, column Name of the ${WHAT} file is empty.`, {
        line: row.line,
        field: "Name",
      });
    }
    const completed = day(row, "Completed At");
    const due = day(row, "Due Date");
    day(row, "Start Date");
    const project = splitList(row.get("Projects"))[0] ?? fallback;
    let goal = goals.get(project);
    if (!goal) {
      goal = { externalId: `project:${contentId(project)}`, title: project, steps: [] };
      goals.set(project, goal);
    }
    const notes: string[] = [];
    const body = row.get("Notes");
    if (body) notes.push(body);
    const parent = row.get("Parent task");
    if (parent) notes.push(`Sub-task of "${names.get(parent) ?? parent}".`);
    const assignee = row.get("Assignee");
    if (assignee) notes.push(`Assigned to ${assignee} in Asana.`);
    const section = row.get("Section/Column");
    goal.steps.push({
      externalId: id,
      text: name,
      status: completed ? "done" : "todo",
      dueDate: due,
      doneAt: completed ? `${completed}T12:00:00.000Z` : null,
      tags: [...splitList(row.get("Tags")), ...(section ? [`section:${section}`] : [])],
      notes: notes.length ? notes.join("\n") : null,
    });
  }
  return { goals: [...goals.values()], skipped: [] };
}
