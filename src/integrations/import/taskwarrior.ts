/**
 * Taskwarrior's `task export`: a JSON array of tasks (or, from Taskwarrior before 2.4, one JSON
 * task per line). Each project becomes a goal (tasks without one go to "Taskwarrior inbox"); each
 * task becomes a step with its status, due date, tags and annotations as notes.
 */
import type { ImportData, ImportGoal, ImportStep } from "../../app/imports/imports.js";
import { dayIn } from "../../core/dates.js";
import { badFile, parseJson } from "./file.js";

const WHAT = "Taskwarrior";
const STATUS: Record<string, ImportStep["status"] | "skip"> = {
  pending: "todo",
  waiting: "todo",
  completed: "done",
  deleted: "dropped",
  // The template of a recurring task; its instances are exported as pending tasks.
  recurring: "skip",
};

/** Taskwarrior's timestamps: 20261130T050000Z (or ISO 8601 from some tools). */
function twTime(value: unknown, field: string, task: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string") {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    const iso = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : value;
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(iso)) return d.toISOString();
  }
  throw badFile(
    `${task}: field '${field}' is ${JSON.stringify(value)}, not a Taskwarrior date like 20261130T120000Z.`,
    {
      field,
    },
  );
}

function readTasks(text: string): { task: unknown; where: string }[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    const value = parseJson(text, WHAT);
    if (!Array.isArray(value))
      throw badFile(`The ${WHAT} file is not a list of tasks. Use the output of \`task export\`.`);
    return value.map((task, i) => ({ task, where: `Task ${i + 1}` }));
  }
  if (!trimmed.startsWith("{")) {
    throw badFile(`The ${WHAT} file is not JSON from \`task export\`: it should start with [ or {.`, {
      line: 1,
    });
  }
  // Taskwarrior before 2.4 wrote one task per line.
  const out: { task: unknown; where: string }[] = [];
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim().replace(/,$/, "");
    if (line === "") continue;
    try {
      out.push({ task: JSON.parse(line), where: `Line ${i + 1}` });
    } catch {
      const cutOff = i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === "");
      throw badFile(
        cutOff
          ? `Line ${i + 1} of the ${WHAT} file ends in the middle of a task: the file looks cut off. Export it again.`
          : `Line ${i + 1} of the ${WHAT} file is not a JSON task. Export it again with \`task export\`.`,
        { line: i + 1 },
      );
    }
  }
  return out;
}

/**
 * Parses a `task export` file into goals and steps. Taskwarrior stores a due date as an instant
 * (midnight where its user was, in UTC), so the step is due on the day that instant is in
 * `timeZone`, the importing person's (UTC by default).
 * @example
 * parseTaskwarrior('[{"uuid":"a1","description":"Call Dana","status":"pending","project":"Launch"}]')
 * // { goals: [{ externalId: "project:Launch", title: "Launch", steps: [{ externalId: "a1", text: "Call Dana", status: "todo", ... }] }], skipped: [] }
 */
export function parseTaskwarrior(text: string, timeZone = "UTC"): ImportData {
  const goals = new Map<string, ImportGoal & { steps: ImportStep[] }>();
  const skipped: string[] = [];
  for (const { task, where } of readTasks(text)) {
    if (typeof task !== "object" || task === null || Array.isArray(task)) {
      throw badFile(`${where} of the ${WHAT} file is not a task object.`);
    }
    const t = task as Record<string, unknown>;
    const uuid = t.uuid;
    if (typeof uuid !== "string" || uuid.trim() === "") {
      throw badFile(`${where}: field 'uuid' is missing. Export with \`task export\`, which writes it.`, {
        field: "uuid",
      });
    }
    const label = `${where} (${uuid.slice(0, 8)})`;
    const description = t.description;
    if (typeof description !== "string" || description.trim() === "") {
      throw badFile(`${label}: field 'description' is missing or empty.`, { field: "description" });
    }
    const status = STATUS[String(t.status)];
    if (!status) {
      throw badFile(
        `${label}: field 'status' is ${JSON.stringify(t.status)}; Taskwarrior's are pending, waiting, completed, deleted and recurring.`,
        { field: "status" },
      );
    }
    if (status === "skip") {
      skipped.push(`recurring template "${description.trim()}" (its pending instances are imported)`);
      continue;
    }
    const tags = t.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((x) => typeof x === "string")) {
      throw badFile(`${label}: field 'tags' must be a list of words.`, { field: "tags" });
    }
    const annotations = t.annotations ?? [];
    if (!Array.isArray(annotations)) {
      throw badFile(`${label}: field 'annotations' must be a list.`, { field: "annotations" });
    }
    const notes = annotations.map((a, i) => {
      const ann = a as { entry?: unknown; description?: unknown };
      if (typeof ann?.description !== "string") {
        throw badFile(`${label}: annotation ${i + 1} has no 'description'.`, { field: "annotations" });
      }
      const when = twTime(ann.entry, "annotations.entry", label);
      return when ? `${when.slice(0, 10)}: ${ann.description}` : ann.description;
    });
    const due = twTime(t.due, "due", label);
    const end = twTime(t.end, "end", label);
    if (t.priority !== undefined && !["H", "M", "L", ""].includes(String(t.priority))) {
      throw badFile(`${label}: field 'priority' is ${JSON.stringify(t.priority)}; use H, M or L.`, {
        field: "priority",
      });
    }
    const project = typeof t.project === "string" && t.project.trim() ? t.project.trim() : null;
    const key = project ? `project:${project}` : "inbox";
    let goal = goals.get(key);
    if (!goal) {
      goal = { externalId: key, title: project ?? "Taskwarrior inbox", steps: [] };
      goals.set(key, goal);
    }
    const priority = t.priority ? [`priority:${String(t.priority)}`] : [];
    goal.steps.push({
      externalId: uuid,
      text: description,
      status,
      dueDate: due ? dayIn(new Date(due), timeZone) : null,
      doneAt: status === "done" ? end : null,
      tags: [...(tags as string[]).filter((x) => x.trim() !== ""), ...priority],
      notes: notes.length ? notes.join("\n") : null,
    });
  }
  return { goals: [...goals.values()], skipped };
}
