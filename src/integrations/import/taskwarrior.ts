/**
 * Taskwarrior's `task export`: a JSON array of tasks (or, from Taskwarrior before 2.4, one JSON
 * task per line). Each project becomes a goal (tasks without one go to "Taskwarrior inbox"); each
 * task becomes a step with its status, due date, tags and annotations as notes.
 *
 * A recurring task is a template (status "recurring", with `recur` and `due`) and the instances
 * Taskwarrior made of it (with `parent`). The template becomes one step that repeats, due on the
 * first of its instances still open; those open instances are that step's days, so they are left
 * out (and counted in the report), while completed and deleted instances stay as the one-off steps
 * they were, keeping the history. Open instances whose template is not in the file make the same
 * repeating step from their own `recur`.
 *
 * What else a task says is kept: `entry` is when the step was written (so history reports stay
 * true), an estimate UDA (`estimate`, `est`, `effort` or `duration`: a duration like PT45M, or a
 * number of minutes) its estimate, `start` makes it a step in progress, and `depends`, `scheduled`
 * and `wait`, which Throughline has no field for, become lines of its notes ("After: …",
 * "Scheduled for …", "Hidden until …"). A nested project (`Home.Garden`) is its own goal, titled
 * "Home · Garden" and aligned under the goal of its parent project when the file has one. Each
 * field's fate is counted in the per-field report (src/app/imports/report.ts).
 */
import type { ImportStep } from "../../app/imports/imports.js";
import { FieldTally } from "../../app/imports/report.js";
import { addDays, dayIn } from "../../core/dates.js";
import { describeRecurrence, occurrencesBetween, parseRecurrence } from "../../core/recurrence.js";
import { badFile, minutesOf, parseJson, shortText } from "./file.js";
import type { ParsedData, ParsedGoal, ParsedStep } from "./formats.js";

const WHAT = "Taskwarrior";
const STATUS: Record<string, ImportStep["status"] | "skip"> = {
  pending: "todo",
  waiting: "todo",
  completed: "done",
  deleted: "dropped",
  // The template of a recurring task: it becomes one repeating step, not a step of its own status.
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

/** One task, checked: what a step needs, plus the recurrence fields. */
interface Task {
  label: string;
  uuid: string;
  text: string;
  status: ImportStep["status"] | "skip";
  due: string | null;
  end: string | null;
  tags: string[];
  notes: string | null;
  project: string | null;
  parent: string | null;
  recur: string | null;
  until: string | null;
  entry: string | null;
  priority: string | null;
  depends: string[];
  scheduled: string | null;
  wait: string | null;
  /** The estimate UDA's field and value in minutes (null: present but not a duration). */
  estimate: { field: string; minutes: number | null } | null;
  started: boolean;
  /** Fields Throughline has no place for (other UDAs), by name. */
  extra: string[];
}

/** Fields every task has that mean nothing outside Taskwarrior (its ids, urgency, recurrence bookkeeping). */
const BOOKKEEPING = new Set(["id", "urgency", "modified", "mask", "imask", "rtype", "parent", "uuid"]);
/** The fields read below, by name. */
const READ = new Set([
  "description",
  "status",
  "project",
  "due",
  "end",
  "entry",
  "tags",
  "annotations",
  "priority",
  "recur",
  "until",
  "depends",
  "scheduled",
  "wait",
  "start",
]);
/** The names an estimate UDA goes by (`uda.estimate.type=duration` in .taskrc). */
const ESTIMATE_UDAS = ["estimate", "est", "effort", "duration"];

/** Taskwarrior's named periods, as words `parseRecurrence` reads (Taskwarrior's months and years are calendar ones). */
const NAMED_PERIODS: Record<string, string> = {
  daily: "every day",
  day: "every day",
  weekdays: "every weekday",
  weekly: "every week",
  week: "every week",
  biweekly: "every 2 weeks",
  fortnight: "every 2 weeks",
  monthly: "every month",
  month: "every month",
  bimonthly: "every 2 months",
  quarterly: "every 3 months",
  semiannual: "every 6 months",
  annual: "every year",
  yearly: "every year",
  year: "every year",
  biannual: "every 2 years",
  biyearly: "every 2 years",
};
const UNIT_WORDS: [RegExp, string, number][] = [
  [/^(d|days?)$/, "days", 1],
  [/^(w|wks?|weeks?)$/, "weeks", 1],
  [/^(mo|mos|mths?|mnths|months?)$/, "months", 1],
  [/^(q|qtrs?|qrtrs|quarters?)$/, "months", 3],
  [/^(y|yrs?|years?)$/, "years", 1],
];
const ISO_UNITS: Record<string, [string, number]> = {
  D: ["days", 1],
  W: ["weeks", 1],
  M: ["months", 1],
  Y: ["years", 1],
};

/**
 * Taskwarrior's `recur` (daily, weekdays, 2weeks, 3mo, quarterly, P3D, ...) in words, or null for
 * one Throughline has no form for (hours and minutes, fractions, mixed ISO durations, sennight).
 */
export function taskwarriorRepeat(recur: string): string | null {
  const r = recur.trim().toLowerCase();
  const named = NAMED_PERIODS[r];
  if (named) return named;
  const iso = /^p(\d+)([dwmy])$/i.exec(r);
  const counted = /^(\d+)\s*([a-z]+)$/.exec(r);
  let n: number;
  let unit: string;
  if (iso) {
    const [u, k] = ISO_UNITS[(iso[2] as string).toUpperCase()] as [string, number];
    n = Number(iso[1]) * k;
    unit = u;
  } else if (counted) {
    const found = UNIT_WORDS.find(([re]) => re.test(counted[2] as string));
    if (!found) return null;
    n = Number(counted[1]) * found[2];
    unit = found[1];
  } else {
    const found = UNIT_WORDS.find(([re]) => re.test(r));
    if (!found) return null;
    n = found[2];
    unit = found[1];
  }
  if (n < 1) return null;
  return n === 1 ? `every ${unit.replace(/s$/, "")}` : `every ${n} ${unit}`;
}

/**
 * One task as read. Taskwarrior stores a due date as an instant (midnight where its user was, in
 * UTC), so `due` and `until` are the days those instants are in `timeZone`, the importing person's.
 */
function readTask(task: unknown, where: string, timeZone: string): Task {
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
  const until = twTime(t.until, "until", label);
  if (t.priority !== undefined && !["H", "M", "L", ""].includes(String(t.priority))) {
    throw badFile(`${label}: field 'priority' is ${JSON.stringify(t.priority)}; use H, M or L.`, {
      field: "priority",
    });
  }
  for (const field of ["parent", "recur"] as const) {
    if (t[field] !== undefined && t[field] !== null && typeof t[field] !== "string") {
      throw badFile(`${label}: field '${field}' is ${JSON.stringify(t[field])}, not text.`, { field });
    }
  }
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const priority = t.priority ? [`priority:${String(t.priority)}`] : [];
  const entry = twTime(t.entry, "entry", label);
  const scheduled = twTime(t.scheduled, "scheduled", label);
  const wait = twTime(t.wait, "wait", label);
  twTime(t.start, "start", label);
  // Taskwarrior 2.6 writes `depends` as a list of uuids; 2.5 and before as one comma-separated text.
  const dependsRaw = t.depends ?? [];
  const depends =
    typeof dependsRaw === "string"
      ? dependsRaw.split(",")
      : Array.isArray(dependsRaw) && dependsRaw.every((d) => typeof d === "string")
        ? (dependsRaw as string[])
        : null;
  if (depends === null) {
    throw badFile(`${label}: field 'depends' must be a list of task uuids.`, { field: "depends" });
  }
  const estimateField = ESTIMATE_UDAS.find((f) => t[f] !== undefined && t[f] !== null && t[f] !== "");
  const estimateValue = estimateField ? t[estimateField] : undefined;
  const estimate = estimateField
    ? {
        field: estimateField,
        minutes:
          typeof estimateValue === "string" || typeof estimateValue === "number"
            ? minutesOf(estimateValue)
            : null,
      }
    : null;
  const extra = Object.keys(t).filter(
    (k) => !READ.has(k) && !BOOKKEEPING.has(k) && k !== estimateField && t[k] !== null && t[k] !== "",
  );
  return {
    label,
    uuid,
    text: description,
    status,
    due: due ? dayIn(new Date(due), timeZone) : null,
    end,
    tags: [...(tags as string[]).filter((x) => x.trim() !== ""), ...priority],
    notes: notes.length ? notes.join("\n") : null,
    project: text(t.project),
    parent: text(t.parent),
    recur: text(t.recur),
    until: until ? dayIn(new Date(until), timeZone) : null,
    entry,
    priority: t.priority ? String(t.priority) : null,
    depends: depends.map((d) => d.trim()).filter((d) => d !== ""),
    scheduled: scheduled ? dayIn(new Date(scheduled), timeZone) : null,
    wait: wait ? dayIn(new Date(wait), timeZone) : null,
    estimate,
    started: status === "todo" && typeof t.start === "string" && t.start !== "",
    extra,
  };
}

const isOpen = (t: Task) => t.status === "todo" || t.status === "doing";

/** A recurring task made into one repeating step: its rule, its first day, and the open instances it stands for. */
type Series = { rrule: string; start: string; folded: number; stepAt: Task } | { reason: string };

/** The series of a template (or of orphan instances, `anchor` then being the earliest open one). */
function seriesOf(anchor: Task, instances: Task[], stepAt: Task): Series {
  if (!anchor.recur) return { reason: "it has no 'recur'" };
  const words = taskwarriorRepeat(anchor.recur);
  if (!words) return { reason: `its recur "${shortText(anchor.recur, 40)}" has no Throughline form` };
  if (!anchor.due) return { reason: "it has no due date" };
  const read = parseRecurrence(words, anchor.due, anchor.until ? { until: anchor.until } : {});
  if ("error" in read) {
    return {
      reason: anchor.until ? `it ended on ${anchor.until} before it began` : "its recur could not be read",
    };
  }
  const open = instances.filter(isOpen);
  const openDues = open.flatMap((t) => (t.due ? [t.due] : [])).sort();
  let start = openDues[0];
  if (start === undefined) {
    const dues = instances.flatMap((t) => (t.due ? [t.due] : [])).sort();
    const latest = dues[dues.length - 1];
    // Every instance made so far is done: the series goes on at its next day after the last of them.
    start =
      latest === undefined
        ? anchor.due
        : occurrencesBetween(read.rrule, anchor.due, addDays(latest, 1), addDays(latest, 4000))[0];
    if (start === undefined) return { reason: `it ended on ${anchor.until}` };
  }
  return { rrule: read.rrule, start, folded: open.length, stepAt };
}

function stepOf(
  t: Task,
  byUuid: ReadonlyMap<string, Task>,
  recurrence: string | null = null,
  externalId = t.uuid,
  due = t.due,
): ParsedStep {
  const status = t.status === "skip" ? "todo" : t.started ? "doing" : t.status;
  const notes = t.notes ? [t.notes] : [];
  for (const d of t.depends) {
    const other = byUuid.get(d);
    if (other) notes.push(`After: "${shortText(other.text, 200)}"`);
  }
  if (t.scheduled) notes.push(`Scheduled for ${t.scheduled} in Taskwarrior.`);
  if (t.wait) notes.push(`Hidden until ${t.wait} in Taskwarrior (wait).`);
  return {
    externalId,
    text: t.text,
    status,
    dueDate: due,
    doneAt: status === "done" ? t.end : null,
    tags: t.tags,
    notes: notes.length ? notes.join("\n") : null,
    recurrence,
    estimateMinutes: t.estimate?.minutes ?? null,
    createdAt: t.entry,
  };
}

/** Counts what became of each field of a task that became `step`. */
function tallyTask(f: FieldTally, t: Task, step: ParsedStep, byUuid: ReadonlyMap<string, Task>): void {
  f.kept("description", "step.text");
  f.mapped("status", "step.status");
  if (t.entry) f.kept("entry", "step.createdAt");
  if (t.project) {
    if (t.project.includes(".")) f.mapped("project", "goal");
    else f.kept("project", "goal");
  }
  if (step.dueDate) f.kept("due", "step.dueDate");
  if (t.end) {
    if (step.status === "done") f.kept("end", "step.doneAt");
    else f.leftOut("end", "a deleted task's end date has no place: a dropped step keeps no date");
  }
  if (t.tags.some((x) => !x.startsWith("priority:"))) f.kept("tags", "step.tags");
  if (t.priority) f.mapped("priority", "step.tags");
  if (t.notes) f.kept("annotations", "step.notes");
  if (t.recur) {
    if (step.recurrence) f.mapped("recur", "step.recurrence");
    else f.leftOut("recur", "a completed or deleted instance of a recurring task is a one-off step");
  }
  if (t.until) {
    if (step.recurrence) f.mapped("until", "step.recurrence");
    else f.leftOut("until", "it ends a repeat, and this step does not repeat");
  }
  for (const d of t.depends) {
    if (byUuid.has(d)) f.mapped("depends", "step.notes");
    else f.leftOut("depends", "the task it depends on is not in the file");
  }
  if (t.scheduled) f.mapped("scheduled", "step.notes");
  if (t.wait) f.mapped("wait", "step.notes");
  if (t.started) f.mapped("start", "step.status");
  if (t.estimate) {
    if (t.estimate.minutes !== null) f.mapped(t.estimate.field, "step.estimateMinutes");
    else f.leftOut(t.estimate.field, "not a duration (use PT45M, 2h or a number of minutes)");
  }
  for (const x of t.extra) f.leftOut(x, "Throughline has no field for it");
}

/**
 * Parses a `task export` file into goals and steps; a recurring task becomes one step that repeats.
 * Due days are read in `timeZone`, the importing person's (UTC by default).
 * @example
 * parseTaskwarrior('[{"uuid":"a1","description":"Call Dana","status":"pending","project":"Launch"}]')
 * // { goals: [{ externalId: "project:Launch", title: "Launch", steps: [{ externalId: "a1", text: "Call Dana", status: "todo", recurrence: null, ... }] }], skipped: [] }
 */
export function parseTaskwarrior(text: string, timeZone = "UTC"): ParsedData {
  const tasks = readTasks(text).map(({ task, where }) => readTask(task, where, timeZone));
  const byUuid = new Map(tasks.map((t) => [t.uuid, t]));
  const children = new Map<string, Task[]>();
  for (const t of tasks) {
    if (!t.parent || t.status === "skip") continue;
    const kids = children.get(t.parent);
    if (kids) kids.push(t);
    else children.set(t.parent, [t]);
  }
  const series = new Map<string, Series>();
  const skipped: string[] = [];
  for (const t of tasks) {
    if (t.status === "skip") series.set(t.uuid, seriesOf(t, children.get(t.uuid) ?? [], t));
  }
  // Open instances of a template not in the file: the earliest stands for the series.
  for (const [parent, kids] of children) {
    if (byUuid.has(parent)) continue;
    const open = kids
      .filter((k) => isOpen(k) && k.recur && k.due)
      .sort((a, b) => ((a.due as string) < (b.due as string) ? -1 : 1));
    const first = open[0];
    if (!first) continue;
    const openSet = new Set(open);
    const s = seriesOf(first, kids, kids.find((k) => openSet.has(k)) as Task);
    series.set(parent, s);
    if ("reason" in s)
      skipped.push(
        `the repeat of recurring task "${shortText(first.text)}" (${s.reason}; its instances are imported as one-off steps)`,
      );
  }

  const goals = new Map<string, ParsedGoal>();
  const fields = new FieldTally();
  const add = (t: Task, step: ParsedStep) => {
    const key = t.project ? `project:${t.project}` : "inbox";
    let goal = goals.get(key);
    if (!goal) {
      const path = t.project?.split(".").filter((p) => p.trim() !== "") ?? [];
      goal = {
        externalId: key,
        title: path.length > 0 ? path.join(" · ") : "Taskwarrior inbox",
        parentExternalId: path.length > 1 ? `project:${path.slice(0, -1).join(".")}` : null,
        steps: [],
      };
      goals.set(key, goal);
    }
    goal.steps.push(step);
    tallyTask(fields, t, step, byUuid);
  };
  const folded = (s: Series, what: string, extra = 0) => {
    if (!("rrule" in s) || s.folded + extra <= 0) return;
    const n = s.folded + extra;
    skipped.push(
      `${n} open instance${n === 1 ? "" : "s"} of the ${what} (imported once, as a step that repeats ${describeRecurrence(s.rrule)})`,
    );
  };
  for (const t of tasks) {
    const name = `"${shortText(t.text)}"`;
    if (t.status === "skip") {
      const s = series.get(t.uuid) as Series;
      if ("reason" in s) {
        skipped.push(`recurring template ${name} (${s.reason}; its pending instances are imported)`);
        fields.leftOut(
          "recur",
          `a repeat could not be read (${s.reason}); its instances came in as one-off steps`,
        );
        continue;
      }
      add(t, stepOf(t, byUuid, s.rrule, t.uuid, s.start));
      folded(s, `recurring template ${name}`);
      continue;
    }
    const s = t.parent ? series.get(t.parent) : undefined;
    if (s && "rrule" in s && isOpen(t)) {
      if (s.stepAt !== t) continue;
      // No template in the file: this instance stands for the series, under the template's id.
      add(t, stepOf(t, byUuid, s.rrule, t.parent as string, s.start));
      folded(s, `recurring task ${name}`, -1);
      continue;
    }
    add(t, stepOf(t, byUuid));
  }
  return { goals: parentsFirst([...goals.values()]), skipped, fields: fields.rows() };
}

/** Goals in the order read, except that a parent project's goal comes before its sub-projects'. */
function parentsFirst(goals: ParsedGoal[]): ParsedGoal[] {
  const byId = new Map(goals.map((g) => [g.externalId, g]));
  const out: ParsedGoal[] = [];
  const placed = new Set<string>();
  const place = (g: ParsedGoal) => {
    if (placed.has(g.externalId)) return;
    placed.add(g.externalId);
    const parent = g.parentExternalId ? byId.get(g.parentExternalId) : undefined;
    if (parent) place(parent);
    out.push(g);
  };
  for (const g of goals) place(g);
  return out;
}
