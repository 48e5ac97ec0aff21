/**
 * Asana's CSV export (a project's ⌄ menu → Export/Print → CSV): one row per task with Task ID,
 * Name, Section/Column, Completed At, Due Date, Tags, Notes, Projects and Parent task.
 *
 * Each project becomes a goal (tasks in none go to a goal named after the file); tasks and
 * sub-tasks become steps, done when they have a completion date. Tags stay tags, the section is a
 * tag too, and notes stay notes.
 *
 * Created At is when the step was written; Estimated time (minutes, or "2h") its estimate; Priority
 * a tag ("priority:High"). Assignee Email, then Assignee, names the step's owner when it is a
 * person of the workspace (matched in src/app/imports), else the notes keep the name. Start Date
 * and "Blocked By (Dependencies)" ("After: …"), which steps have no field for, become lines of the
 * notes. Each column's fate is counted in the per-field report.
 */
import type { ImportData, ImportGoal, ImportStep } from "../../app/imports/imports.js";
import { FieldTally } from "../../app/imports/report.js";
import { isIsoDay } from "../../core/dates.js";
import { badFile, type CsvRow, contentId, minutesOf, parseCsv, shortText } from "./file.js";
import type { CsvImportOptions } from "./todoist.js";

const WHAT = "Asana";

/** The columns read below; any other (a custom field) is reported as left out. */
const READ = [
  "Task ID",
  "Created At",
  "Completed At",
  "Last Modified",
  "Name",
  "Section/Column",
  "Assignee",
  "Assignee Email",
  "Start Date",
  "Due Date",
  "Tags",
  "Notes",
  "Projects",
  "Parent task",
  "Blocked By (Dependencies)",
  "Blocking (Dependencies)",
  "Priority",
  "Estimated time",
].map((c) => c.toLowerCase());

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
  const fields = new FieldTally();
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
    const start = day(row, "Start Date");
    const created = day(row, "Created At");
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
    if (start) notes.push(`Starts ${start} (Asana's start date).`);
    const blockedBy = splitList(row.get("Blocked By (Dependencies)"));
    for (const b of blockedBy) notes.push(`After: "${shortText(names.get(b) ?? b, 200)}"`);
    const assignee = row.get("Assignee");
    const email = row.get("Assignee Email");
    const section = row.get("Section/Column");
    const priority = row.get("Priority");
    const estimate = row.get("Estimated time");
    const minutes = estimate ? minutesOf(estimate) : null;
    const tags = [
      ...splitList(row.get("Tags")),
      ...(section ? [`section:${section}`] : []),
      ...(priority ? [`priority:${priority}`] : []),
    ];
    goal.steps.push({
      externalId: id,
      text: name,
      status: completed ? "done" : "todo",
      dueDate: due,
      doneAt: completed ? `${completed}T12:00:00.000Z` : null,
      tags,
      notes: notes.length ? notes.join("\n") : null,
      estimateMinutes: minutes,
      createdAt: created ? `${created}T00:00:00.000Z` : null,
      assignee:
        assignee || email
          ? {
              field: email ? "Assignee Email" : "Assignee",
              tool: "Asana",
              people: [{ name: assignee || null, email: email || null }],
            }
          : null,
    });
    fields.kept("Task ID", "import key");
    fields.kept("Name", "step.text");
    if (created) fields.kept("Created At", "step.createdAt");
    if (completed) fields.mapped("Completed At", "step.status + step.doneAt");
    if (due) fields.kept("Due Date", "step.dueDate");
    if (start) fields.mapped("Start Date", "step.notes");
    if (row.get("Tags")) fields.kept("Tags", "step.tags");
    if (section) fields.mapped("Section/Column", "step.tags");
    if (body) fields.kept("Notes", "step.notes");
    if (row.get("Projects")) fields.kept("Projects", "goal");
    if (parent) fields.mapped("Parent task", "step.notes");
    if (blockedBy.length) fields.mapped("Blocked By (Dependencies)", "step.notes", blockedBy.length);
    if (row.get("Blocking (Dependencies)")) {
      fields.leftOut(
        "Blocking (Dependencies)",
        "the same links as Blocked By, seen from the other task, which notes them",
      );
    }
    if (priority) fields.mapped("Priority", "step.tags");
    if (estimate) {
      if (minutes !== null) fields.mapped("Estimated time", "step.estimateMinutes");
      else fields.leftOut("Estimated time", "not a number of minutes or a duration like 2h");
    }
    if (row.get("Last Modified"))
      fields.leftOut("Last Modified", "when the task was last changed; the record starts at the import");
    for (const column of row.columns) {
      if (!READ.includes(column.toLowerCase()) && row.get(column)) {
        fields.leftOut(column, "a custom field Throughline has no field for");
      }
    }
  }
  return { goals: [...goals.values()], skipped: [], fields: fields.rows() };
}
