/**
 * Todoist's CSV template (a project's "Export as a template" → CSV): rows of TYPE task, section or
 * note, with CONTENT, DESCRIPTION, PRIORITY, INDENT, RESPONSIBLE and DATE.
 *
 * The file is one project, so it becomes one goal, named after the file. Tasks (and sub-tasks)
 * become steps; "@labels" in the content become tags; the section is a tag too; notes and the
 * description become notes. The template carries no ids, so a task's id is made from its project,
 * section and text (and how many times that text came before), which keeps re-imports idempotent.
 */
import type { ImportData, ImportStep } from "../../app/imports/imports.js";
import { readDate } from "../../core/read-date.js";
import { badFile, contentId, parseCsv } from "./file.js";

const WHAT = "Todoist";

/** What a parser needs to know besides the file. */
export interface CsvImportOptions {
  /** Today (YYYY-MM-DD) in the importing person's zone: Todoist dates like "tomorrow" are read from it. */
  today: string;
  /** The importing person's time zone: a date given as an instant is the day it is there (default UTC). */
  timeZone?: string | undefined;
  /** The project's name (Todoist's CSV does not hold it): usually the file name. */
  name: string;
}

/**
 * Parses a Todoist CSV template into one goal and its steps.
 * @example
 * parseTodoist("TYPE,CONTENT,PRIORITY,INDENT,DATE\ntask,Call Dana @phone,1,1,2026-12-01\n", { today: "2026-11-21", name: "Launch" })
 * // { goals: [{ title: "Launch", steps: [{ text: "Call Dana", tags: ["phone", "p1"], dueDate: "2026-12-01", ... }] }] }
 */
export function parseTodoist(text: string, opts: CsvImportOptions): ImportData {
  const rows = parseCsv(text, WHAT, ["TYPE", "CONTENT"]);
  const project = opts.name.trim() || "Todoist project";
  const steps: (ImportStep & { notes: string | null })[] = [];
  const seen = new Map<string, number>();
  const parents: string[] = [];
  let section = "";
  for (const row of rows) {
    const type = row.get("TYPE").toLowerCase();
    const content = row.get("CONTENT");
    if (type === "" && content === "") continue;
    if (type === "section") {
      section = content;
      continue;
    }
    if (type === "note") {
      const last = steps[steps.length - 1];
      if (!last)
        throw badFile(`Line ${row.line} of the ${WHAT} file is a note before any task.`, { line: row.line });
      if (content) last.notes = last.notes ? `${last.notes}\n${content}` : content;
      continue;
    }
    if (type !== "task") {
      throw badFile(
        `Line ${row.line}, column TYPE of the ${WHAT} file is "${type}"; Todoist's are task, section and note.`,
        { line: row.line, field: "TYPE" },
      );
    }
    const labels = [...content.matchAll(/(?:^|\s)@([\p{L}\p{N}_-]+)/gu)].map((m) => m[1] as string);
    const taskText = content.replace(/(?:^|\s)@[\p{L}\p{N}_-]+/gu, "").trim();
    if (taskText === "") {
      throw badFile(`Line ${row.line}, column CONTENT of the ${WHAT} file is empty.`, {
        line: row.line,
        field: "CONTENT",
      });
    }
    const priority = row.get("PRIORITY");
    if (priority !== "" && !/^[1-4]$/.test(priority)) {
      throw badFile(`Line ${row.line}, column PRIORITY of the ${WHAT} file is "${priority}"; use 1 to 4.`, {
        line: row.line,
        field: "PRIORITY",
      });
    }
    const indentText = row.get("INDENT") || "1";
    if (!/^[1-5]$/.test(indentText)) {
      throw badFile(`Line ${row.line}, column INDENT of the ${WHAT} file is "${indentText}"; use 1 to 5.`, {
        line: row.line,
        field: "INDENT",
      });
    }
    const indent = Number(indentText);
    parents.length = indent - 1;
    const parent = indent > 1 ? parents[indent - 2] : undefined;
    parents[indent - 1] = taskText;

    const notes: string[] = [];
    const description = row.get("DESCRIPTION");
    if (description) notes.push(description);
    if (parent) notes.push(`Sub-task of "${parent}".`);
    const responsible = row.get("RESPONSIBLE");
    if (responsible) notes.push(`Assigned to ${responsible} in Todoist.`);
    const date = row.get("DATE");
    let dueDate: string | null = null;
    if (date) {
      const r = readDate(date, opts.today, "DATE", opts.timeZone);
      if (r.ok) dueDate = r.date;
      else notes.push(`Todoist date: ${date}`);
    }
    // Todoist numbers priority 1 (highest) to 4 (none) in its templates.
    const tags = [
      ...labels,
      ...(section ? [`section:${section}`] : []),
      ...(priority && priority !== "4" ? [`p${priority}`] : []),
    ];
    const base = contentId(project, section, parent ?? "", taskText);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    steps.push({
      externalId: n === 1 ? base : `${base}-${n}`,
      text: taskText,
      status: "todo",
      dueDate,
      tags,
      notes: notes.length ? notes.join("\n") : null,
    });
  }
  return {
    goals: [{ externalId: `project:${contentId(project)}`, title: project, steps }],
    skipped: [],
  };
}
