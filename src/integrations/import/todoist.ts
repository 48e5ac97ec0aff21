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
 *
 * DEADLINE is the date the task must be done by, DATE the day it is planned for: the deadline is
 * the step's due date (what it promises), and a planned DATE besides it goes to the notes; a DATE
 * that repeats keeps the step's recurrence, and then the deadline goes to the notes. DURATION with
 * DURATION_UNIT minute is the step's estimate. RESPONSIBLE ("Dana Li (12345678)") is the step's
 * owner when the name is a person of the workspace (matched in src/app/imports), else named in the
 * notes. Each field's fate is counted in the per-field report.
 */

import { FieldTally } from "../../app/imports/report.js";
import { readDate } from "../../core/read-date.js";
import { alignStart, parseRecurrence } from "../../core/recurrence.js";
import { badFile, contentId, minutesOf, parseCsv, shortText } from "./file.js";
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
  const fields = new FieldTally();
  let section = "";
  for (const row of rows) {
    const type = row.get("TYPE").toLowerCase();
    const content = row.get("CONTENT");
    if (type === "" && content === "") continue;
    if (type === "section") {
      section = content;
      fields.mapped("TYPE section", "step.tags");
      continue;
    }
    if (type === "note") {
      const last = steps[steps.length - 1];
      if (!last)
        throw badFile(`Line ${row.line} of the ${WHAT} file is a note before any task.`, { line: row.line });
      if (content) last.notes = last.notes ? `${last.notes}\n${content}` : content;
      if (content) fields.kept("TYPE note", "step.notes");
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
    // Todoist writes a person as "Name (their Todoist id)".
    const person = responsible.replace(/\s*\(\d+\)\s*$/, "").trim();
    const date = row.get("DATE");
    const deadlineText = row.get("DEADLINE");
    let deadline: string | null = null;
    if (deadlineText) {
      const r = readDate(deadlineText, opts.today, "DEADLINE", opts.timeZone);
      if (r.ok) deadline = r.date;
      else {
        notes.push(`Todoist deadline: ${deadlineText}`);
        fields.leftOut("DEADLINE", "not a date Throughline reads; the words are in the step's notes");
      }
    }
    let dueDate: string | null = null;
    let recurrence: string | null = null;
    if (date && REPEAT.test(date)) {
      notes.push(`Todoist date: ${date}`);
      const read = todoistRepeat(date, opts.today);
      if ("rrule" in read) {
        dueDate = read.start;
        recurrence = read.rrule;
        fields.mapped("DATE", "step.recurrence");
      } else {
        skipped.push(
          `the repeat "${shortText(date, 60)}" of "${shortText(taskText)}" (${read.reason}; the step has no due date)`,
        );
        fields.leftOut(
          "DATE",
          `a repeat Throughline cannot hold (${read.reason}); the words are in the notes`,
        );
      }
      if (deadline) {
        notes.push(`Deadline ${deadline} in Todoist.`);
        fields.mapped("DEADLINE", "step.notes");
      }
    } else {
      let planned: string | null = null;
      if (date) {
        const r = readDate(date, opts.today, "DATE", opts.timeZone);
        if (r.ok) planned = r.date;
        else {
          notes.push(`Todoist date: ${date}`);
          fields.leftOut("DATE", "not a date Throughline reads; the words are in the step's notes");
        }
      }
      if (deadline) {
        dueDate = deadline;
        fields.kept("DEADLINE", "step.dueDate");
        if (planned && planned !== deadline) {
          notes.push(`Planned for ${planned} in Todoist (the deadline is the due date).`);
          fields.mapped("DATE", "step.notes");
        } else if (planned) fields.kept("DATE", "step.dueDate");
      } else if (planned) {
        dueDate = planned;
        fields.kept("DATE", "step.dueDate");
      }
    }
    const duration = row.get("DURATION");
    const unit = row.get("DURATION_UNIT").toLowerCase();
    let estimateMinutes: number | null = null;
    if (duration) {
      const minutes = minutesOf(duration);
      if (unit === "day" || unit === "days") {
        fields.leftOut("DURATION", "a span of whole days, not a time estimate");
      } else if (minutes === null) {
        fields.leftOut("DURATION", "not a number of minutes");
      } else {
        estimateMinutes = minutes;
        fields.mapped("DURATION", "step.estimateMinutes");
      }
    }
    fields.kept("CONTENT", "step.text");
    if (labels.length) fields.mapped("CONTENT @labels", "step.tags", labels.length);
    if (description) fields.kept("DESCRIPTION", "step.notes");
    if (priority && priority !== "4") fields.mapped("PRIORITY", "step.tags");
    if (parent) fields.mapped("INDENT", "step.notes");
    if (row.get("AUTHOR")) fields.leftOut("AUTHOR", "the person importing is the author in Throughline");
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
      estimateMinutes,
      assignee: person ? { field: "RESPONSIBLE", tool: "Todoist", people: [{ name: person }] } : null,
    });
  }
  return {
    goals: [{ externalId: `project:${contentId(project)}`, title: project, steps }],
    skipped,
    fields: fields.rows(),
  };
}
