/**
 * Imports: plans from Taskwarrior, Trello, Todoist and Asana (parsed by src/integrations/import
 * into the neutral `ImportData`), and the restore of a full Throughline backup.
 *
 * An import writes in one transaction, so a bad file changes nothing. Every imported goal and step
 * is recorded in `import_keys` under its source's id, so importing the same file again adds
 * nothing. The importing actor owns what is imported. Afterwards the coach reads every new step.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { FINDING_WEIGHTS, type Finding, lintStep } from "../../core/coach/index.js";
import { parseRecurrence } from "../../core/recurrence.js";
import { GOAL_STATUSES, STEP_STATUSES } from "../../core/types.js";
import type { DialectName } from "../../store/db.js";
import * as backup from "../../store/repos/backup.js";
import * as imports from "../../store/repos/imports.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, emit, nowIso, today, viewerOf } from "../context.js";
import { AppError, invalid } from "../errors.js";
import { can } from "../policy.js";
import { isoDay, optionalText, parse, text } from "../validation.js";
import { type FieldReport, FieldTally } from "./report.js";

/** Where an import comes from. `throughline` is a backup made by `throughline export --format json`. */
export const IMPORT_SOURCES = ["taskwarrior", "trello", "todoist", "asana"] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** The most steps one import may hold. */
export const MAX_IMPORT_STEPS = 1_000_000;

const STEP_TEXT_MAX = 500;
const GOAL_TITLE_MAX = 300;

/** One task, card, checklist item or row, as a step. Long texts are cut to a step's 500 characters, the rest kept in notes. */
export const ImportStep = z.strictObject({
  externalId: text(300),
  text: text(100_000),
  status: z.enum(STEP_STATUSES).default("todo"),
  dueDate: isoDay.nullish(),
  /** When a done step was done (ISO timestamp); defaults to the import time. */
  doneAt: z.iso.datetime({ offset: true }).nullish(),
  tags: z.array(text(100)).max(100).default([]),
  notes: optionalText(100_000),
  /** How the step repeats: an RRULE as src/core/recurrence.ts reads it; its first day is dueDate. */
  recurrence: text(500).nullish(),
  /** How long the step takes, in minutes. */
  estimateMinutes: z.number().int().min(1).max(100_000).nullish(),
  /** When the step was written in the source tool (ISO timestamp); defaults to the import time. */
  createdAt: z.iso.datetime({ offset: true }).nullish(),
  /**
   * Who the source tool gave the task to: matched by email, then by name, to a person of the
   * workspace, who then owns the step; unmatched names go to the notes.
   */
  assignee: z
    .strictObject({
      /** The source's field, for the report: "RESPONSIBLE", "Assignee Email", "idMembers". */
      field: text(100),
      /** The tool's name, for the note: "Todoist". */
      tool: text(50),
      people: z
        .array(
          z.strictObject({
            name: optionalText(300),
            email: optionalText(320),
            username: optionalText(300),
          }),
        )
        .max(100),
    })
    .nullish(),
});
export type ImportStep = z.input<typeof ImportStep>;

/** An imported step's rule as stored, or null when it has none or it cannot be read. */
function repeatOf(rule: string | null | undefined, dueDate: string): string | null {
  if (!rule) return null;
  const read = parseRecurrence(rule, dueDate);
  return "rrule" in read ? read.rrule : null;
}

/** One project, board, list or section, as a goal. */
export const ImportGoal = z.strictObject({
  externalId: text(300),
  title: text(100_000),
  why: optionalText(5000),
  dueDate: isoDay.nullish(),
  status: z.enum(GOAL_STATUSES).default("active"),
  values: z.array(text(60)).max(20).default([]),
  /** The external id of a goal of the same file this one aligns to (a nested project's parent). */
  parentExternalId: text(300).nullish(),
  steps: z.array(ImportStep).max(MAX_IMPORT_STEPS),
});
export type ImportGoal = z.input<typeof ImportGoal>;

/** What a parser makes of a file: goals with their steps, and what it left out and why. */
export const ImportData = z.strictObject({
  goals: z.array(ImportGoal).max(100_000),
  /** Items the parser left out on purpose (archived lists, recurring templates), for the report. */
  skipped: z.array(z.string().max(500)).max(100_000).default([]),
  /** What became of each field of the file (src/app/imports/report.ts); owners are added here. */
  fields: z
    .array(
      z.strictObject({
        source: z.string().max(200),
        to: z.string().max(200).nullable(),
        kept: z.number().int().min(0),
        mapped: z.number().int().min(0),
        leftOut: z.number().int().min(0),
        why: z.string().max(1000).optional(),
      }),
    )
    .max(1000)
    .default([]),
});
export type ImportData = z.input<typeof ImportData>;

/** A step the coach flagged, for the report. */
export interface FlaggedStep {
  stepId: number;
  goalId: number;
  text: string;
  findings: Finding[];
}

/** What the coach thinks of the imported steps. */
export interface CoachReport {
  /** Steps read (the new ones). */
  checked: number;
  /** Steps that describe a result instead of an action. */
  outcomes: number;
  /** Steps with a vague verb ("work on", "look into"). */
  vague: number;
  /** Steps too big for one sitting, or with several actions. */
  tooBig: number;
  /** The worst steps, worst first (at most 10). */
  worst: FlaggedStep[];
}

/** What an import did. */
export interface ImportResult {
  source: string;
  goals: { created: number; existing: number };
  steps: { created: number; existing: number };
  /** Ids of the goals the file's items are in (new and existing). */
  goalIds: number[];
  skipped: string[];
  /** What became of each field of the file: kept, mapped, left out and why. */
  fields: FieldReport[];
  coach: CoachReport;
}

/** Called as rows are written: how many of `total` are done. */
export type ProgressListener = (done: number, total: number) => void;

/** Cuts text to `max` characters at a word boundary when it can; returns the cut text and the rest. */
function cut(text: string, max: number): { head: string; overflow: boolean } {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return { head: flat, overflow: false };
  const slice = flat.slice(0, max - 1);
  const space = slice.lastIndexOf(" ");
  return { head: `${(space > max / 2 ? slice.slice(0, space) : slice).trimEnd()}…`, overflow: true };
}

function withFullText(notes: string | null | undefined, full: string, overflow: boolean): string | null {
  const n = notes?.trim() ? notes.trim() : null;
  if (!overflow) return n;
  return n ? `${full}\n\n${n}` : full;
}

/** The coach's report on new steps: counts, and the worst ones by the weight of their findings. */
export function coachReport(
  steps: readonly { stepId: number; goalId: number; text: string; dueDate: string | null }[],
  now: string,
): CoachReport {
  const report: CoachReport = { checked: steps.length, outcomes: 0, vague: 0, tooBig: 0, worst: [] };
  const ranked: { weight: number; item: FlaggedStep }[] = [];
  const cache = new Map<string, Finding[]>();
  for (const s of steps) {
    const key = `${s.dueDate ?? ""}|${s.text}`;
    let findings = cache.get(key);
    if (!findings) {
      findings = lintStep(s.text, { now, dueDate: s.dueDate }).findings;
      cache.set(key, findings);
    }
    // Imported tools rarely carry dates on every task; the report is about what the steps say.
    const serious = findings.filter((f) => f.code !== "no-due-date");
    if (serious.some((f) => f.code === "outcome-not-action")) report.outcomes++;
    if (serious.some((f) => f.code === "vague-verb")) report.vague++;
    if (serious.some((f) => f.code === "too-big")) report.tooBig++;
    const weight = serious.reduce((sum, f) => sum + (FINDING_WEIGHTS[f.code] ?? 5), 0);
    if (weight > 0) ranked.push({ weight, item: { ...s, findings: serious } });
  }
  ranked.sort((a, b) => b.weight - a.weight || a.item.stepId - b.item.stepId);
  report.worst = ranked.slice(0, 10).map((r) => ({
    stepId: r.item.stepId,
    goalId: r.item.goalId,
    text: r.item.text,
    findings: r.item.findings,
  }));
  return report;
}

/**
 * Imports goals and steps from a parsed file, owned by the actor, in one transaction. Items
 * already imported from the same source (by their external id) are left as they are.
 */
export async function importPlans(
  ctx: AppContext,
  actor: Actor,
  source: ImportSource,
  raw: unknown,
  onProgress?: ProgressListener,
): Promise<ImportResult> {
  const data = parse(ImportData, raw);
  const total = data.goals.reduce((n, g) => n + g.steps.length, 0);
  if (total > MAX_IMPORT_STEPS) {
    throw new AppError(
      413,
      "import_too_large",
      `The file holds ${total} steps; one import takes at most ${MAX_IMPORT_STEPS}. Split it into smaller files.`,
    );
  }
  const day = today(ctx);
  const now = nowIso(ctx);
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const known = await imports.importKeysOf(trx, actor.workspaceId, source);
    const viewer = await viewerOf(trx, actor);
    const ownerOf = ownerMatcher(await imports.peopleOf(trx, actor.workspaceId));
    const owners = new OwnerTally();
    const newKeys: { externalId: string; entity: string; entityId: number }[] = [];
    const goalIds: number[] = [];
    let goalsCreated = 0;
    let goalsExisting = 0;
    const goalIdOf = new Map<number, number>();
    const goalIdByExternal = new Map<string, number>();
    const newGoals: { id: number; title: string }[] = [];
    for (const [gi, g] of data.goals.entries()) {
      const existingId = known.get(imports.importKey("goal", g.externalId));
      if (existingId !== undefined) {
        const goal = await plans.findGoal(trx, viewer, existingId);
        if (!goal || !can(actor, "goal.write", goal)) {
          throw invalid(
            "import_goal_not_yours",
            `'${cut(g.title, 60).head}' was imported before by someone else in this workspace. Ask them to import the file.`,
            { goal: gi },
          );
        }
        goalIds.push(existingId);
        goalIdOf.set(gi, existingId);
        goalIdByExternal.set(g.externalId, existingId);
        goalsExisting++;
        continue;
      }
      const title = cut(g.title, GOAL_TITLE_MAX).head;
      const due = g.dueDate ?? null;
      // A goal imported with a due date in the past started no later than it was due, and no later
      // than its first step was written.
      const firstWritten = g.steps
        .flatMap((s) => (s.createdAt ? [createdOf(s.createdAt, now).slice(0, 10)] : []))
        .sort()[0];
      const start = [
        due && due < day ? due : day,
        ...(firstWritten ? [firstWritten] : []),
      ].sort()[0] as string;
      const parentExternal = g.parentExternalId ?? null;
      const parentId =
        parentExternal === null
          ? null
          : (goalIdByExternal.get(parentExternal) ??
            known.get(imports.importKey("goal", parentExternal)) ??
            null);
      const id = await imports.insertGoalRow(trx, {
        workspaceId: actor.workspaceId,
        title,
        why: g.why?.trim() ? g.why.trim() : null,
        valuesJson: JSON.stringify(g.values),
        ownerId: actor.userId,
        teamId: null,
        parentId,
        visibility: "private",
        status: g.status,
        priority: "medium",
        startDate: start,
        dueDate: due,
        cadenceDays: 7,
        successLooksLike: null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      });
      newKeys.push({ externalId: g.externalId, entity: "goal", entityId: id });
      goalIds.push(id);
      goalIdOf.set(gi, id);
      goalIdByExternal.set(g.externalId, id);
      newGoals.push({ id, title });
      goalsCreated++;
    }

    const positions = await imports.maxPositions(trx, goalIds);
    const rows: Parameters<typeof imports.insertStepRows>[1][number][] = [];
    const pending: { externalId: string; goalId: number; text: string; dueDate: string | null }[] = [];
    let stepsExisting = 0;
    const seen = new Set<string>();
    for (const [gi, g] of data.goals.entries()) {
      const goalId = goalIdOf.get(gi) as number;
      for (const s of g.steps) {
        const owner = s.assignee ? owners.read(s.assignee, ownerOf) : { ownerId: null, note: null };
        if (known.has(imports.importKey("step", s.externalId)) || seen.has(s.externalId)) {
          stepsExisting++;
          continue;
        }
        seen.add(s.externalId);
        const position = (positions.get(goalId) ?? 0) + 1;
        positions.set(goalId, position);
        const { head, overflow } = cut(s.text, STEP_TEXT_MAX);
        const doneAt = s.status === "done" ? (s.doneAt ? new Date(s.doneAt).toISOString() : now) : null;
        const written = s.createdAt ? createdOf(s.createdAt, now) : now;
        const notes = withFullText(s.notes, s.text.trim(), overflow);
        rows.push({
          goalId,
          text: head,
          ownerId: owner.ownerId,
          dueDate: s.dueDate ?? null,
          status: s.status,
          position,
          estimateMinutes: s.estimateMinutes ?? null,
          doneAt,
          delegatedBy: null,
          doneLooksLike: null,
          delegationState: null,
          // A step done before the file says it was written was written no later than it was done.
          createdAt: doneAt && doneAt < written ? doneAt : written,
          updatedAt: now,
          notes: owner.note ? (notes ? `${notes}\n${owner.note}` : owner.note) : notes,
          tagsJson: JSON.stringify([...new Set(s.tags.map((t) => t.trim()))]),
          recurrence: s.dueDate ? repeatOf(s.recurrence, s.dueDate) : null,
        });
        pending.push({ externalId: s.externalId, goalId, text: head, dueDate: s.dueDate ?? null });
      }
    }

    let done = 0;
    onProgress?.(0, rows.length);
    const ids = await imports.insertStepRows(trx, rows, (n) => {
      done += n;
      onProgress?.(done, rows.length);
    });
    for (const [i, p] of pending.entries()) {
      newKeys.push({ externalId: p.externalId, entity: "step", entityId: ids[i] as number });
    }
    // What each imported step promises from now on: its due date. A step dropped before it came
    // here promised nothing in Throughline.
    await imports.insertOccurrenceRows(
      trx,
      rows.flatMap((r, i) =>
        // A repeating step's days come from its rule (src/core/engine/followthrough.ts).
        r.dueDate && r.status !== "dropped" && !r.recurrence
          ? [
              {
                stepId: ids[i] as number,
                dueDate: r.dueDate,
                doneAt: r.doneAt ?? null,
                createdAt: r.createdAt ?? now,
              },
            ]
          : [],
      ),
    );
    await imports.insertImportKeys(
      trx,
      newKeys.map((k) => ({ workspaceId: actor.workspaceId, source, createdAt: now, ...k })),
    );
    // The same events as goals and steps made by hand (writeGoal, writeStep), so webhooks, feeds
    // and the audit trail hear of imported ones too.
    const event = (
      type: string,
      subjectType: string,
      subjectId: number,
      payload: Record<string, unknown>,
    ) => ({
      workspaceId: actor.workspaceId,
      type,
      actorId: actor.userId,
      subjectType,
      subjectId,
      payloadJson: JSON.stringify(payload),
      createdAt: now,
    });
    await imports.insertEventRows(trx, [
      ...newGoals.map((g) => event("goal.created", "goal", g.id, { title: g.title, source })),
      ...pending.map((p, i) =>
        event("step.created", "step", ids[i] as number, { goalId: p.goalId, text: p.text, source }),
      ),
    ]);
    if (newKeys.length > 0) {
      await emit(
        trx,
        ctx,
        actor,
        "import.completed",
        { type: "workspace", id: actor.workspaceId },
        { source, goalsCreated, stepsCreated: rows.length },
      );
    }
    return {
      goalsCreated,
      goalsExisting,
      stepsExisting,
      goalIds: [...new Set(goalIds)],
      owners: owners.rows(),
      created: pending.map((p, i) => ({
        stepId: ids[i] as number,
        goalId: p.goalId,
        text: p.text,
        dueDate: p.dueDate,
      })),
    };
  });
  return {
    source,
    goals: { created: result.goalsCreated, existing: result.goalsExisting },
    steps: { created: result.created.length, existing: result.stepsExisting },
    goalIds: result.goalIds,
    skipped: data.skipped,
    fields: [...data.fields, ...result.owners],
    coach: coachReport(result.created, day),
  };
}

/** A creation time from the file as stored: ISO in UTC, and never later than now. */
function createdOf(value: string, now: string): string {
  const iso = new Date(value).toISOString();
  return iso < now ? iso : now;
}

type Assignee = NonNullable<z.output<typeof ImportStep>["assignee"]>;
type Named = Assignee["people"][number];
interface Person {
  id: number;
  name: string;
  email: string | null;
}

/**
 * Finds the person of the workspace an assignee is: by email first, then by name or user name
 * (case aside). A name two people share matches no one.
 */
export function ownerMatcher(people: readonly Person[]): (who: Named) => Person | null {
  const byEmail = new Map<string, Person>();
  const byName = new Map<string, Person[]>();
  for (const p of people) {
    if (p.email) byEmail.set(p.email.trim().toLowerCase(), p);
    const key = p.name.trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), p]);
  }
  return (who) => {
    const email = who.email?.trim().toLowerCase();
    const byMail = email ? byEmail.get(email) : undefined;
    if (byMail) return byMail;
    for (const n of [who.name, who.username]) {
      const found = n ? byName.get(n.trim().toLowerCase()) : undefined;
      if (found?.length === 1) return found[0] as Person;
    }
    return null;
  };
}

/** How each source field's assignees fared, for the per-field report. */
class OwnerTally {
  private readonly byField = new Map<string, { owner: number; nobody: number; extra: number }>();

  /** The step's owner (the first assignee who is a person here) and a note naming the others. */
  read(a: Assignee, match: (who: Named) => Person | null): { ownerId: number | null; note: string | null } {
    let t = this.byField.get(a.field);
    if (!t) {
      t = { owner: 0, nobody: 0, extra: 0 };
      this.byField.set(a.field, t);
    }
    let ownerId: number | null = null;
    const unmatched: string[] = [];
    const others: string[] = [];
    for (const who of a.people) {
      const label = nameOf(who);
      if (!label) continue;
      const person = match(who);
      if (person && ownerId === null) {
        ownerId = person.id;
        t.owner++;
      } else if (person) {
        others.push(person.name);
        t.extra++;
      } else {
        unmatched.push(label);
        t.nobody++;
      }
    }
    const notes: string[] = [];
    if (unmatched.length > 0) {
      notes.push(
        `Assigned to ${unmatched.join(", ")} in ${a.tool} (no one in this workspace by that name or email).`,
      );
    }
    if (others.length > 0) notes.push(`Also on it in ${a.tool}: ${others.join(", ")}.`);
    return { ownerId, note: notes.length ? notes.join("\n") : null };
  }

  rows(): FieldReport[] {
    const tally = new FieldTally();
    for (const [field, t] of this.byField) {
      tally.mapped(field, "step.owner", t.owner);
      const whys: string[] = [];
      if (t.nobody > 0) {
        whys.push(
          `${t.nobody} assignee${t.nobody === 1 ? "" : "s"} match${t.nobody === 1 ? "es" : ""} nobody in the workspace`,
        );
      }
      if (t.extra > 0) whys.push(`${t.extra} more on steps that already had their one owner`);
      if (whys.length > 0)
        tally.leftOut(field, `${whys.join("; ")}; the names are in the step's notes`, t.nobody + t.extra);
    }
    return tally.rows();
  }
}

function nameOf(who: Named): string | null {
  const name = who.name?.trim() || who.username?.trim() || null;
  const email = who.email?.trim() || null;
  if (name && email) return `${name} <${email}>`;
  return name ?? email;
}

/** The shape of a full backup (`throughline export --format json`). */
export interface Backup {
  format: "throughline-backup";
  version: 1;
  exportedAt: string;
  dialect: DialectName;
  /** The migrations the database had, so a restore can refuse a backup from a newer version. */
  migrations: string[];
  tables: Record<string, backup.TableDump>;
}

/** What a restore did. */
export interface RestoreResult {
  tables: number;
  rows: number;
}

function badBackup(field: string, message: string): AppError {
  return new AppError(400, "invalid_backup", `The backup is not valid: ${field} ${message}`, { field });
}

/** Checks a parsed backup file's shape, naming the first field that is wrong. */
export function validateBackup(value: unknown): Backup {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badBackup(
      "(file)",
      "is not a JSON object. Use a file written by `throughline export --format json`.",
    );
  }
  const b = value as Record<string, unknown>;
  if (b.format !== "throughline-backup") {
    throw badBackup(
      "format",
      `is ${JSON.stringify(b.format) ?? "missing"}, not "throughline-backup". Use a file written by \`throughline export --format json\`.`,
    );
  }
  if (b.version !== 1)
    throw badBackup("version", `is ${JSON.stringify(b.version)}; this Throughline reads version 1.`);
  if (!Array.isArray(b.migrations) || !b.migrations.every((m) => typeof m === "string")) {
    throw badBackup("migrations", "must be a list of migration names.");
  }
  if (typeof b.tables !== "object" || b.tables === null || Array.isArray(b.tables)) {
    throw badBackup("tables", "must be an object of tables.");
  }
  for (const [name, t] of Object.entries(b.tables as Record<string, unknown>)) {
    const at = `tables.${name}`;
    if (typeof t !== "object" || t === null) throw badBackup(at, "must be { columns, rows }.");
    const { columns, rows } = t as { columns?: unknown; rows?: unknown };
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === "string")) {
      throw badBackup(`${at}.columns`, "must be a list of column names.");
    }
    if (!Array.isArray(rows)) throw badBackup(`${at}.rows`, "must be a list of rows.");
    for (const [i, row] of rows.entries()) {
      if (!Array.isArray(row) || row.length !== columns.length) {
        throw badBackup(`${at}.rows.${i}`, `must be a list of ${columns.length} values (one per column).`);
      }
      for (const [j, cell] of row.entries()) {
        const ok =
          cell === null ||
          (typeof cell === "string" && !cell.includes("\u0000")) ||
          (typeof cell === "number" && Number.isFinite(cell));
        if (!ok) throw badBackup(`${at}.rows.${i}.${columns[j]}`, "must be text, a number or null.");
      }
    }
  }
  return value as Backup;
}

// A step's key result in a backup
/**
 * Checks that every step of a backup that names a key result names one of its own goal's, present
 * in the backup; otherwise 422 saying which step and how to correct the file. Runs before anything
 * is written, so a refused backup leaves the database as it was.
 */
function checkStepKeyResults(data: Backup): void {
  const steps = data.tables.steps;
  const krs = data.tables.key_results;
  if (!steps) return;
  const col = (t: { columns: string[] }, name: string) => t.columns.indexOf(name);
  const [sid, sgoal, skr] = [col(steps, "id"), col(steps, "goal_id"), col(steps, "key_result_id")];
  if (skr < 0) return;
  const goalOfKr = new Map<unknown, unknown>();
  if (krs) for (const r of krs.rows) goalOfKr.set(r[col(krs, "id")], r[col(krs, "goal_id")]);
  for (const r of steps.rows) {
    const kr = r[skr];
    if (kr === null || kr === undefined) continue;
    const goal = r[sgoal];
    const fix = `Correct its key_result_id in tables.steps (a key result of goal ${goal}, or null), then restore again.`;
    if (!goalOfKr.has(kr)) {
      throw invalid(
        "key_result_not_of_goal",
        `Step ${r[sid]} of goal ${goal} names key result ${kr}, which is not in the backup. ${fix}`,
        { field: "tables.steps.key_result_id", stepId: r[sid], keyResultId: kr },
      );
    }
    if (goalOfKr.get(kr) !== goal) {
      throw invalid(
        "key_result_not_of_goal",
        `Step ${r[sid]} of goal ${goal} names key result ${kr}, which belongs to goal ${goalOfKr.get(kr)}. ${fix}`,
        { field: "tables.steps.key_result_id", stepId: r[sid], keyResultId: kr },
      );
    }
  }
}
// --- end issue 18 (kr18) ---

/** Tables a fresh start fills by itself (the local workspace and owner), which a restore replaces. */
const STARTER_TABLES = ["memberships", "teams", "users", "workspaces"];

async function assertEmpty(
  db: Kysely<Database>,
  dialect: DialectName,
  tables: readonly backup.TableInfo[],
  location: string,
): Promise<void> {
  const counts = new Map<string, number>();
  for (const t of tables) counts.set(t.name, await backup.countRows(db, t.name));
  const busy = [...counts].filter(([name, n]) => n > 0 && !STARTER_TABLES.includes(name));
  const starterOnly = busy.length === 0 && STARTER_TABLES.every((t) => (counts.get(t) ?? 0) <= 1);
  if (starterOnly) {
    for (const t of STARTER_TABLES) if (counts.has(t)) await backup.clearTable(db, dialect, t);
    return;
  }
  const what = (busy.length ? busy : [...counts].filter(([, n]) => n > 0))
    .slice(0, 3)
    .map(([name, n]) => `${n} ${name.replace(/_/g, " ")}`)
    .join(", ");
  throw invalid(
    "database_not_empty",
    `The database at ${location} already holds data (${what}). Restore into a new, empty database, e.g. --db restored.db.`,
  );
}

/**
 * Restores a full backup into an empty database (one that holds at most the local workspace a
 * first start creates): every table, every row, the same ids. One transaction.
 */
export async function restoreBackup(
  ctx: AppContext,
  value: unknown,
  onProgress?: ProgressListener,
): Promise<RestoreResult> {
  const data = validateBackup(value);
  checkStepKeyResults(data);
  const store = ctx.store;
  return store.db.transaction().execute(async (trx) => {
    const applied = await backup.appliedMigrations(trx);
    const newer = data.migrations.filter((m) => !applied.includes(m));
    if (newer.length > 0) {
      throw invalid(
        "backup_from_newer_version",
        `The backup comes from a newer Throughline (it has migration ${newer[0]}). Upgrade Throughline, then restore.`,
      );
    }
    const tables = await backup.describeTables(trx, store.dialect);
    const byName = new Map(tables.map((t) => [t.name, t]));
    for (const [name, dump] of Object.entries(data.tables)) {
      const table = byName.get(name);
      if (!table) throw badBackup(`tables.${name}`, "is not a table of this database.");
      const unknown = dump.columns.find((c) => !table.columns.includes(c));
      if (unknown)
        throw badBackup(`tables.${name}.columns`, `has '${unknown}', which this database does not.`);
    }
    await assertEmpty(trx, store.dialect, tables, store.location);
    const total = Object.values(data.tables).reduce((n, t) => n + t.rows.length, 0);
    let done = 0;
    onProgress?.(0, total);
    for (const table of tables) {
      const dump = data.tables[table.name];
      if (!dump) continue;
      await backup.restoreTable(trx, table, dump, (n) => {
        done += n;
        onProgress?.(done, total);
      });
    }
    await backup.resetSequences(trx, store.dialect, tables);
    return { tables: Object.keys(data.tables).length, rows: total };
  });
}
