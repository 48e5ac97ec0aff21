/**
 * Todoist's CSV template (a project's "Export as a template" → CSV): rows of TYPE task, section or
 * note, with CONTENT, DESCRIPTION, PRIORITY, INDENT, RESPONSIBLE and DATE.
 *
 * The file is one project, so it becomes one goal, named after the file. Tasks (and sub-tasks)
 * become steps; "@labels" in the content become tags; the section is a tag too; notes and the
 * description become notes. The template carries no ids, so a task's id is made from its project,
 * section and text (and how many times that text came before), which keeps re-imports idempotent.
 *
 * A DATE that repeats ("every monday", "every 2 weeks", "every 15th") becomes the step's recurrence,
 * due on the first of its days from today (the template keeps no next date); the words stay in the
 * notes, as Todoist wrote them. Repeats Throughline has no form for ("every! 3 days", counted from
 * when the task is done) are named in the report and the step gets no date.
 */

import { readDate } from "../../core/read-date.js";
import { alignStart, parseRecurrence } from "../../core/recurrence.js";
import { badFile, contentId, parseCsv, shortText } from "./file.js";
import type { ParsedData, ParsedStep } from "./formats.js";

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

/** A Todoist date that repeats: "every ...", "every! ...", "after ...", "daily", ... */
const REPEAT = /^\s*(every!?|each|after|daily|weekly|fortnightly|monthly|yearly|annually)(\s|$)/i;

/**
 * A repeating Todoist date as a recurrence and its first day on or after `today`. Todoist's time
 * of day is dropped (steps live on days); "starting DATE" moves the first day, "until DATE" or
 * "ending DATE" ends it.
 */
function todoistRepeat(date: string, today: string): { rrule: string; start: string } | { reason: string } {
  let words = date.trim().replace(/\s+/g, " ");
  if (/^(every!|after)/i.test(words)) {
    return { reason: "it counts from when the task is done, and Throughline repeats on fixed days" };
  }
  words = words
    .replace(/\s+at\s+\d{1,2}(:\d{2})?\s*(am|pm)?\b/gi, "")
    .replace(/\s+\d{1,2}(:\d{2})?\s*(am|pm)\b/gi, "");
  let from = today;
  const end: { until?: string } = {};
  const starting = /\s+(?:starting|from)\s+(.+?)(?=\s+(?:until|ending)\s+|$)/i.exec(words);
  if (starting) {
    const r = readDate(starting[1] as string, today, "DATE");
    if (!r.ok) return { reason: `its start "${starting[1]}" is not a date` };
    from = r.date;
    words = words.replace(starting[0], "");
  }
  const ending = /\s+(?:until|ending)\s+(.+)$/i.exec(words);
  if (ending) {
    const r = readDate(ending[1] as string, today, "DATE");
    if (!r.ok) return { reason: `its end "${ending[1]}" is not a date` };
    end.until = r.date;
    words = words.slice(0, ending.index);
  }
  const read = parseRecurrence(words, from, end);
  if ("error" in read) return { reason: "Throughline has no form for it" };
  const start = alignStart(read.rrule, from);
  if (start === null || (end.until !== undefined && start > end.until))
    return { reason: "it has no day left" };
  return { rrule: read.rrule, start };
}

/**
 * Parses a Todoist CSV template into one goal and its steps.
 * @example
 * parseTodoist("TYPE,CONTENT,PRIORITY,INDENT,DATE\ntask,Call Dana @phone,1,1,2026-12-01\n", { today: "2026-11-21", name: "Launch" })
 * // { goals: [{ title: "Launch", steps: [{ text: "Call Dana", tags: ["phone", "p1"], dueDate: "2026-12-01", recurrence: null, ... }] }] }
 */
export function parseTodoist(text: string, opts: CsvImportOptions): ParsedData {
  const rows = parseCsv(text, WHAT, ["TYPE", "CONTENT"]);
  const project = opts.name.trim() || "Todoist project";
  const steps: (ParsedStep & { notes: string | null })[] = [];
  const skipped: string[] = [];
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
    let recurrence: string | null = null;
    if (date && REPEAT.test(date)) {
      notes.push(`Todoist date: ${date}`);
      const read = todoistRepeat(date, opts.today);
      if ("rrule" in read) {
        dueDate = read.start;
        recurrence = read.rrule;
      } else {
        skipped.push(
          `the repeat "${shortText(date, 60)}" of "${shortText(taskText)}" (${read.reason}; the step has no due date)`,
        );
      }
    } else if (date) {
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
      recurrence,
    });
  }
  return {
    goals: [{ externalId: `project:${contentId(project)}`, title: project, steps }],
    skipped,
  };
}
