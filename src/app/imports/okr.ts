/**
 * The CSV import of objectives and key results (src/integrations/import/okr-csv.ts reads the file):
 * a preview (the first rows as mapped, the owners matched, the coach's findings on each objective)
 * and the import itself, in one transaction.
 *
 * Each objective becomes a goal owned by the person importing (so they can carry on with it), made
 * by the same writers as a goal and key result made by hand (`goal.created`, `kr.created` and their
 * webhooks); the Owner named in the file is matched to a person of the workspace by email or name,
 * and the goal is shared with them as a partner and followed by them. Check-in history becomes
 * dated check-ins with the key results' values, so pace and forecast work from the first day.
 * Objectives imported before (same title, same workspace) are left as they are.
 */
import type { z } from "zod";
import type { Finding } from "../../core/coach/index.js";
import { lintGoal } from "../../core/coach/index.js";
import * as store from "../../store/repos/checkins.js";
import * as importKeys from "../../store/repos/imports.js";
import * as people from "../../store/repos/people.js";
import * as plans from "../../store/repos/plans.js";
import * as sharing from "../../store/repos/sharing.js";
import { type Actor, type AppContext, emit, nowIso, today, viewerOf } from "../context.js";
import { AppError, invalid } from "../errors.js";
import {
  GoalCreateInput,
  KeyResultCreateInput,
  keyResultDirection,
  writeGoal,
  writeKeyResult,
} from "../plans/goals.js";
import { can } from "../policy.js";
import { parse } from "../validation.js";
import { contentId } from "./ids.js";
import type { FieldReport } from "./report.js";

/** One key result as the file gives it, with its dated values. */
export interface OkrKeyResult {
  title: string;
  unit: string | null;
  startValue: number;
  targetValue: number;
  currentValue: number | null;
  /** The row that named it first (1 is the header). */
  row: number;
  checkins: { date: string; value: number; note: string | null; row: number }[];
}

/** One objective as the file gives it. */
export interface OkrObjective {
  title: string;
  why: string | null;
  owner: string | null;
  dueDate: string | null;
  row: number;
  keyResults: OkrKeyResult[];
}

/** What the file holds: the objectives, the header, the mapping used and the report so far. */
export interface OkrData {
  columns: string[];
  /** Field → the column it is read from. */
  mapping: Record<string, string>;
  objectives: OkrObjective[];
  /** The first rows as mapped (field → cell), for the preview. */
  sample: { row: number; values: Record<string, string> }[];
  report: FieldReport[];
  rows: number;
}

/** The source name of this import in `import_keys`. */
export const OKR_SOURCE = "csv";

/** An objective as the preview shows it, with the coach's findings. */
export interface OkrPreviewObjective {
  title: string;
  row: number;
  keyResults: number;
  checkins: number;
  owner: string | null;
  /** The person the owner matched, or null (no owner given, or nobody matched). */
  ownerMatch: { userId: number; name: string } | null;
  findings: Finding[];
  /** True when it was imported before and is left as it is. */
  existing: boolean;
}

/** What the preview and the import answer. */
export interface OkrImportResult {
  preview: boolean;
  columns: string[];
  mapping: Record<string, string>;
  rows: number;
  sample: OkrData["sample"];
  objectives: OkrPreviewObjective[];
  owners: { matched: string[]; unmatched: string[] };
  created: { goals: number; keyResults: number; checkins: number };
  existing: { goals: number };
  goalIds: number[];
  report: FieldReport[];
}

function rowError(e: unknown, row: number, what: string): never {
  if (e instanceof AppError) {
    throw new AppError(400, "invalid_import_file", `Row ${row}, ${what}: ${e.message}`, {
      row,
      ...e.details,
    });
  }
  throw e;
}

/** The coach on one objective, as it will be: its why, due date and number of key results. */
function coachOn(o: OkrObjective, day: string): Finding[] {
  return lintGoal(o.title, { now: day, why: o.why, dueDate: o.dueDate, keyResults: o.keyResults.length })
    .findings;
}

/**
 * Previews (`preview` true: nothing is written) or imports the objectives of a parsed CSV. The
 * report ends with the owner column: matched people, and names nobody in the workspace has.
 */
export async function importOkrs(
  ctx: AppContext,
  actor: Actor,
  data: OkrData,
  opts: { preview: boolean },
): Promise<OkrImportResult> {
  const day = today(ctx);
  const now = nowIso(ctx);
  // Checked up front, each error naming its row, so the transaction meets only good input.
  const checked = data.objectives.map((o) => {
    const starts = [
      day,
      ...(o.dueDate ? [o.dueDate] : []),
      ...o.keyResults.flatMap((k) => k.checkins.map((c) => c.date)),
    ];
    const start = starts.reduce((a, b) => (b < a ? b : a));
    let goal: z.output<typeof GoalCreateInput>;
    try {
      goal = parse(GoalCreateInput, { title: o.title, why: o.why, dueDate: o.dueDate });
    } catch (e) {
      rowError(e, o.row, `objective '${o.title.slice(0, 60)}'`);
    }
    const krs = o.keyResults.map((k) => {
      try {
        const input = parse(KeyResultCreateInput, {
          title: k.title,
          unit: k.unit,
          startValue: k.startValue,
          targetValue: k.targetValue,
          dueDate: o.dueDate,
        });
        return { k, input, direction: keyResultDirection(input) };
      } catch (e) {
        return rowError(e, k.row, `key result '${k.title.slice(0, 60)}'`);
      }
    });
    return { o, goal, start, krs };
  });

  const run = async (db: typeof ctx.store.db, write: boolean): Promise<OkrImportResult> => {
    const known = await importKeys.importKeysOf(db, actor.workspaceId, OKR_SOURCE);
    const viewer = await viewerOf(db, actor);
    const matches = new Map<string, { id: number; name: string } | null>();
    const owners = { matched: [] as string[], unmatched: [] as string[] };
    for (const { o } of checked) {
      if (!o.owner || matches.has(o.owner.toLowerCase())) continue;
      const byEmail = o.owner.includes("@") ? await people.usersByEmail(db, actor.workspaceId, o.owner) : [];
      const u = byEmail[0] ?? (await people.findUserByName(db, actor.workspaceId, o.owner));
      matches.set(o.owner.toLowerCase(), u ? { id: u.id, name: u.name } : null);
      (u ? owners.matched : owners.unmatched).push(o.owner);
    }
    const objectives: OkrPreviewObjective[] = [];
    const created = { goals: 0, keyResults: 0, checkins: 0 };
    const goalIds: number[] = [];
    let existingGoals = 0;
    const newKeys: { externalId: string; entity: string; entityId: number }[] = [];
    for (const { o, goal, start, krs } of checked) {
      const externalId = contentId("okr-objective", o.title.toLowerCase());
      const existingId = known.get(importKeys.importKey("goal", externalId));
      const match = o.owner ? (matches.get(o.owner.toLowerCase()) ?? null) : null;
      objectives.push({
        title: o.title,
        row: o.row,
        keyResults: o.keyResults.length,
        checkins: o.keyResults.reduce((n, k) => n + k.checkins.length, 0),
        owner: o.owner,
        ownerMatch: match ? { userId: match.id, name: match.name } : null,
        findings: coachOn(o, day),
        existing: existingId !== undefined,
      });
      if (existingId !== undefined) {
        const g = await plans.findGoal(db, viewer, existingId);
        if (!g || !can(actor, "goal.write", g)) {
          throw invalid(
            "import_goal_not_yours",
            `Row ${o.row}: the objective '${o.title.slice(0, 60)}' was imported before by someone else in this workspace. Ask them to import the file, or rename the objective.`,
            { row: o.row },
          );
        }
        existingGoals++;
        goalIds.push(existingId);
        continue;
      }
      if (!write) continue;
      const g = await writeGoal(db, ctx, actor, goal, start, { imported: OKR_SOURCE });
      goalIds.push(g.id);
      created.goals++;
      newKeys.push({ externalId, entity: "goal", entityId: g.id });
      if (match && match.id !== actor.userId && can(actor, "goal.share", g)) {
        await sharing.shareGoalWith(
          db,
          { goalId: g.id, userId: match.id, role: "partner", createdAt: now },
          "keep-role",
        );
        await sharing.addFollower(db, g.id, match.id, now);
      }
      // Check-ins are per goal and day: one check-in holds every key result's value of that day.
      const byDay = new Map<
        string,
        { krValues: { keyResultId: number; value: number }[]; notes: string[] }
      >();
      for (const { k, input, direction } of krs) {
        const last = k.checkins.at(-1);
        const kr = await writeKeyResult(
          db,
          ctx,
          actor,
          g.id,
          { ...input, currentValue: k.currentValue ?? last?.value ?? input.startValue },
          direction,
        );
        created.keyResults++;
        for (const c of k.checkins) {
          const entry = byDay.get(c.date) ?? { krValues: [], notes: [] };
          entry.krValues.push({ keyResultId: kr.id, value: c.value });
          if (c.note) entry.notes.push(o.keyResults.length > 1 ? `${k.title}: ${c.note}` : c.note);
          byDay.set(c.date, entry);
        }
      }
      for (const [date, entry] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const checkin = await store.insertCheckin(db, {
          goalId: g.id,
          authorId: actor.userId,
          date,
          confidence: null,
          doneText: null,
          nextStep: null,
          note: entry.notes.length ? entry.notes.join("\n").slice(0, 5000) : null,
          krValues: entry.krValues,
          stepsDone: [],
          barriersHit: [],
          createdAt: now,
        });
        created.checkins++;
        await emit(
          db,
          ctx,
          actor,
          "checkin.created",
          { type: "checkin", id: checkin.id },
          {
            goalId: g.id,
            date,
            confidence: null,
            barriersHit: [],
          },
        );
      }
    }
    if (write && newKeys.length > 0) {
      await importKeys.insertImportKeys(
        db,
        newKeys.map((k) => ({ workspaceId: actor.workspaceId, source: OKR_SOURCE, createdAt: now, ...k })),
      );
      await emit(
        db,
        ctx,
        actor,
        "import.completed",
        { type: "workspace", id: actor.workspaceId },
        {
          source: OKR_SOURCE,
          goalsCreated: created.goals,
          keyResultsCreated: created.keyResults,
          checkinsCreated: created.checkins,
        },
      );
    }
    const ownerColumn = data.mapping.owner;
    const report = [...data.report];
    if (ownerColumn) {
      const named = checked.filter(({ o }) => o.owner).length;
      const unmatched = checked.filter(({ o }) => o.owner && !matches.get(o.owner.toLowerCase())).length;
      report.push({
        source: ownerColumn,
        to: "goal.sharedWith",
        kept: 0,
        mapped: named - unmatched,
        leftOut: unmatched,
        ...(unmatched
          ? {
              why: `Nobody in the workspace has the name or email ${owners.unmatched.map((n) => `'${n}'`).join(", ")}. Invite them, then import again or share the goal.`,
            }
          : {}),
      });
    }
    return {
      preview: !write,
      columns: data.columns,
      mapping: data.mapping as Record<string, string>,
      rows: data.rows,
      sample: data.sample,
      objectives,
      owners,
      created,
      existing: { goals: existingGoals },
      goalIds,
      report,
    };
  };

  if (opts.preview) return run(ctx.store.db, false);
  return ctx.store.db.transaction().execute((trx) => run(trx, true));
}
