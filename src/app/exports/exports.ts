/**
 * Exports: the plans an actor may see (for CSV, Markdown and iCalendar, formatted by
 * src/integrations), the full JSON backup of the database, and a file copy of a SQLite database.
 */
import { chmodSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Kysely } from "kysely";
import type { Barrier, Checkin, Goal, KeyResult, Resource, Step } from "../../core/types.js";
import * as backup from "../../store/repos/backup.js";
import { checkinsOf } from "../../store/repos/checkins.js";
import * as ft from "../../store/repos/followthrough.js";
import * as imports from "../../store/repos/imports.js";
import * as plans from "../../store/repos/plans.js";
import type { Database } from "../../store/schema.js";
import { type Actor, type AppContext, nowIso, today, viewerOf } from "../context.js";
import { AppError, invalid } from "../errors.js";
import type { Backup } from "../imports/imports.js";

/** A step with what an import brought along. */
export interface ExportedStep extends Step {
  notes: string | null;
  tags: string[];
}

/** One goal's whole plan, ready to format. */
export interface ExportedPlan {
  goal: Goal;
  ownerName: string | null;
  keyResults: KeyResult[];
  steps: ExportedStep[];
  resources: Resource[];
  barriers: Barrier[];
  checkins: Checkin[];
}

/** Everything an export formats: the plans and when they were read. */
export interface PlanExport {
  /** The instant the plans were read (an ISO timestamp). */
  exportedAt: string;
  /** The day the plans were read, for relative wording and calendar stamps. */
  today: string;
  plans: ExportedPlan[];
}

/** Reads the whole database consistently: a snapshot on PostgreSQL, one read transaction on SQLite. */
function snapshot<T>(ctx: AppContext, body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const tx = ctx.store.db.transaction();
  return (ctx.store.dialect === "postgres" ? tx.setIsolationLevel("repeatable read") : tx).execute(body);
}

/** Every goal the actor may see, with its plan, in id order. */
export async function exportPlans(ctx: AppContext, actor: Actor): Promise<PlanExport> {
  return snapshot(ctx, async (trx) => {
    const goals = await ft.visibleGoalsOf(trx, await viewerOf(trx, actor));
    const ids = goals.map((g) => g.id);
    const [krs, steps, extras, checkins, names] = await Promise.all([
      ft.keyResultsOfGoals(trx, ids),
      ft.stepsOfGoals(trx, ids),
      imports.stepExtrasOf(trx, ids),
      checkinsOf(trx, ids),
      ft.userNames(
        trx,
        actor.workspaceId,
        goals.map((g) => g.ownerId),
      ),
    ]);
    const result: ExportedPlan[] = [];
    for (const goal of goals) {
      result.push({
        goal,
        ownerName: names.get(goal.ownerId) ?? null,
        keyResults: krs.filter((k) => k.goalId === goal.id),
        steps: steps
          .filter((s) => s.goalId === goal.id)
          .map((s) => ({ ...s, notes: null, tags: [], ...extras.get(s.id) })),
        resources: await plans.resourcesOf(trx, goal.id),
        barriers: await plans.barriersOf(trx, goal.id),
        checkins: checkins.filter((c) => c.goalId === goal.id),
      });
    }
    return { exportedAt: nowIso(ctx), today: today(ctx), plans: result };
  });
}

/**
 * The full backup: every table and row of the database, ids included, read as one snapshot.
 * For the person who holds the database (the CLI on its own file); it is not offered over HTTP.
 */
export async function exportBackup(ctx: AppContext, onTable?: (name: string) => void): Promise<Backup> {
  return snapshot(ctx, async (trx) => {
    const tables: Backup["tables"] = {};
    for (const t of await backup.describeTables(trx, ctx.store.dialect)) {
      onTable?.(t.name);
      tables[t.name] = await backup.dumpTable(trx, t);
    }
    return {
      format: "throughline-backup",
      version: 1,
      exportedAt: nowIso(ctx),
      dialect: ctx.store.dialect,
      migrations: await backup.appliedMigrations(trx),
      tables,
    };
  });
}

/**
 * Copies the SQLite database to a new file, consistently, even while the server writes to it.
 * PostgreSQL has its own tool for this, which the error names.
 */
export async function backupDatabase(ctx: AppContext, file: string): Promise<{ file: string }> {
  if (ctx.store.dialect !== "sqlite") {
    throw invalid(
      "backup_needs_sqlite",
      'This database is PostgreSQL: back it up with pg_dump (e.g. pg_dump -Fc "$DATABASE_URL" > throughline.dump), or use `throughline export --format json`.',
    );
  }
  const target = resolve(file);
  if (target === resolve(ctx.store.location)) {
    throw invalid("backup_same_file", "The backup file is the database itself. Name another file.");
  }
  if (existsSync(target)) {
    throw invalid(
      "backup_file_exists",
      `${file} already exists. Name a new file, or remove the old one first.`,
    );
  }
  let made = false;
  try {
    // Made empty and owner-only first, so the copy is never readable by others, even for a moment.
    writeFileSync(target, "", { mode: 0o600, flag: "wx" });
    made = true;
    await backup.vacuumInto(ctx.store.db, target);
    chmodSync(target, 0o600);
  } catch (e) {
    if (made) rmSync(target, { force: true });
    const why = e instanceof Error ? e.message : String(e);
    throw new AppError(
      422,
      "backup_failed",
      `Could not write the backup to ${file}: ${why}. Check the folder exists and is writable.`,
    );
  }
  return { file: target };
}
