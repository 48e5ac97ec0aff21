/**
 * The follow-through report's per-goal aggregates (migration 0025): a header per goal saying for
 * which day, code version, goal revision and owner name its rows were computed, one narrow row per
 * promise counted or moved, one per win. The report sums them over the goals a viewer may see;
 * src/app/reports/report-rows.ts says when they are computed and read.
 */
import { type Insertable, type Kysely, sql } from "kysely";
import type { Goal, Step } from "../../core/types.js";
import { toGoal, toStep } from "../mappers.js";
import type { Database, ReportGoalItemsTable, ReportGoalRowsTable, ReportGoalWinsTable } from "../schema.js";
import { type Viewer, visibleGoals } from "./plans.js";

/** Statuses whose goals the report counts. */
const COUNTED = ["active", "done"];

/** Rows per insert: under both databases' limits on bound parameters. */
const CHUNK = 500;

/**
 * The goals the viewer may see and the report counts (active or done) whose header is missing or
 * does not match: another day, another code version, another revision, another owner name.
 */
export async function staleReportGoals(
  db: Kysely<Database>,
  v: Viewer,
  asOf: string,
  version: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom("goals")
    .leftJoin("reportGoalRows as r", "r.goalId", "goals.id")
    .leftJoin("users as u", (j) =>
      j.onRef("u.id", "=", "goals.ownerId").onRef("u.workspaceId", "=", "goals.workspaceId"),
    )
    .select("goals.id")
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where((eb) =>
      eb.or([
        eb("r.goalId", "is", null),
        eb("r.asOf", "<>", asOf),
        eb("r.version", "<>", version),
        eb("r.revision", "<>", eb.ref("goals.revision")),
        sql<boolean>`(r.owner_name is null) <> (u.name is null)`,
        eb("r.ownerName", "<>", eb.ref("u.name")),
      ]),
    )
    .orderBy("goals.id")
    .execute();
  return rows.map((r) => r.id);
}

/** What a header is made of now: each goal's row, its revision and its owner's name. */
export async function goalsWithRevision(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<{ goal: Goal; revision: number; ownerName: string | null }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("goals")
    .leftJoin("users as u", (j) =>
      j.onRef("u.id", "=", "goals.ownerId").onRef("u.workspaceId", "=", "goals.workspaceId"),
    )
    .selectAll("goals")
    .select("u.name as ownerName")
    .where("goals.id", "in", [...ids])
    .orderBy("goals.id")
    .execute();
  return rows.map(({ ownerName, ...g }) => ({
    goal: toGoal(g),
    revision: Number(g.revision),
    ownerName: ownerName ?? null,
  }));
}

/** One goal's aggregates as computed. */
export interface ReportRows {
  header: Insertable<ReportGoalRowsTable>;
  items: Insertable<ReportGoalItemsTable>[];
  wins: Insertable<ReportGoalWinsTable>[];
}

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/** Replaces the aggregates of some goals, in one transaction. */
export async function saveReportRows(db: Kysely<Database>, rows: readonly ReportRows[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.header.goalId);
  await db.transaction().execute(async (trx) => {
    await inChunks(ids, (c) => trx.deleteFrom("reportGoalItems").where("goalId", "in", c).execute());
    await inChunks(ids, (c) => trx.deleteFrom("reportGoalWins").where("goalId", "in", c).execute());
    await inChunks(ids, (c) => trx.deleteFrom("reportGoalRows").where("goalId", "in", c).execute());
    await inChunks(
      rows.map((r) => r.header),
      (c) => trx.insertInto("reportGoalRows").values(c).execute(),
    );
    await inChunks(
      rows.flatMap((r) => r.items),
      (c) => trx.insertInto("reportGoalItems").values(c).execute(),
    );
    await inChunks(
      rows.flatMap((r) => r.wins),
      (c) => trx.insertInto("reportGoalWins").values(c).execute(),
    );
  });
}

/** Counts of promises due in a window over the goals a viewer may see, by person, day and outcome. */
export interface ItemCount {
  userId: number;
  dueDate: string;
  outcome: string;
  n: number;
}

/**
 * The stored promises due in [from, to] of the counted goals the viewer may see, counted by
 * person, due day and outcome, leaving out the steps named (those an explicit commitment counts).
 */
export async function itemCounts(
  db: Kysely<Database>,
  v: Viewer,
  from: string,
  to: string,
  withoutSteps: readonly number[],
): Promise<ItemCount[]> {
  let q = db
    .selectFrom("goals")
    .innerJoin("reportGoalItems as i", "i.goalId", "goals.id")
    .select(["i.userId", "i.dueDate", "i.outcome", (eb) => eb.fn.countAll<number>().as("n")])
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where("i.outcome", "<>", "moved")
    .where("i.dueDate", ">=", from)
    .where("i.dueDate", "<=", to);
  if (withoutSteps.length > 0) q = q.where("i.stepId", "not in", [...withoutSteps]);
  const rows = await q.groupBy(["i.userId", "i.dueDate", "i.outcome"]).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The stored moves away from due days in [from, to] of the counted goals the viewer may see. */
export async function moveCounts(
  db: Kysely<Database>,
  v: Viewer,
  from: string,
  to: string,
  withoutSteps: readonly number[],
): Promise<{ stepId: number; userId: number; dueDate: string; n: number }[]> {
  let q = db
    .selectFrom("goals")
    .innerJoin("reportGoalItems as i", "i.goalId", "goals.id")
    .select(["i.stepId", "i.userId", "i.dueDate", (eb) => eb.fn.countAll<number>().as("n")])
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where("i.outcome", "=", "moved")
    .where("i.dueDate", ">=", from)
    .where("i.dueDate", "<=", to);
  if (withoutSteps.length > 0) q = q.where("i.stepId", "not in", [...withoutSteps]);
  const rows = await q.groupBy(["i.stepId", "i.userId", "i.dueDate"]).execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** The stored wins dated from `from` of the counted goals the viewer may see, by goal and feed order. */
export async function winsSince(db: Kysely<Database>, v: Viewer, from: string): Promise<string[]> {
  const rows = await db
    .selectFrom("goals")
    .innerJoin("reportGoalWins as w", "w.goalId", "goals.id")
    .select("w.winJson")
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where("w.date", ">=", from)
    .orderBy("w.goalId")
    .orderBy("w.seq")
    .execute();
  return rows.map((r) => r.winJson);
}

/** The stored stalls of the counted goals the viewer may see, by goal. */
export async function stalledOf(
  db: Kysely<Database>,
  v: Viewer,
): Promise<{ goal: Goal; stalledJson: string }[]> {
  const rows = await db
    .selectFrom("goals")
    .innerJoin("reportGoalRows as r", "r.goalId", "goals.id")
    .selectAll("goals")
    .select("r.stalledJson")
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where("r.stalledJson", "is not", null)
    .orderBy("goals.id")
    .execute();
  return rows.map(({ stalledJson, ...g }) => ({ goal: toGoal(g), stalledJson: stalledJson as string }));
}

/** Which of some goals the viewer may see and the report counts. */
export async function countedAmong(
  db: Kysely<Database>,
  v: Viewer,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("goals")
    .select("id")
    .where((eb) => visibleGoals(eb, v))
    .where("goals.status", "in", COUNTED)
    .where("goals.id", "in", [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Some steps by id. */
export async function stepsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Step[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("steps")
    .selectAll()
    .where("id", "in", [...new Set(ids)])
    .orderBy("id")
    .execute();
  return rows.map(toStep);
}
