/**
 * The plan aggregate: a goal with its key results, steps, resources, barriers and change history.
 */

import type { Insertable, Selectable, Updateable } from "kysely";
import { type ExpressionBuilder, type Kysely, SqliteAdapter, sql } from "kysely";
import type { Barrier, ChangeRecord, Goal, KeyResult, Resource, Step } from "../../core/types.js";
import { toBarrier, toChange, toGoal, toKeyResult, toResource, toStep } from "../mappers.js";
import { idList, inList, prepared } from "../prepared.js";
import type {
  BarriersTable,
  ChangeRecordsTable,
  Database,
  GoalsTable,
  KeyResultsTable,
  ResourcesTable,
  StepOccurrencesTable,
  StepsTable,
} from "../schema.js";

/** Who is looking: the goals they may see are narrowed in the query itself. */
export interface Viewer {
  userId: number;
  workspaceId: number;
  teamIds: number[];
}

/** A viewer whose teams the query looks up itself (null): one round trip fewer for one goal. */
export type GoalViewer = Omit<Viewer, "teamIds"> & { teamIds: number[] | null };

/**
 * Restricts a goals query to what the viewer may see: the query form of the policy's "goal.read"
 * rule (src/app/policy.ts), which it must match — in the viewer's workspace, and the viewer owns
 * the goal, it is shared with them, it is visible to the workspace, or it is visible to its team
 * and they are in that team. src/app/policy.test.ts checks that the two agree.
 */
export function visibleGoals(
  eb: ExpressionBuilder<Database, "goals">,
  v: GoalViewer,
  membership: "list" | "row" = "list",
) {
  const ors = [
    eb("goals.ownerId", "=", v.userId),
    eb("goals.visibility", "=", "workspace"),
    eb.exists(
      eb
        .selectFrom("goalShares")
        .select("goalShares.goalId")
        .whereRef("goalShares.goalId", "=", "goals.id")
        .where("goalShares.userId", "=", v.userId),
    ),
  ];
  if (v.teamIds === null && membership === "row") {
    // One goal (hot17): is the viewer a member of its team, one look-up in memberships' unique
    // (team_id, user_id) index. The `in (select …)` list below builds the viewer's teams (and a
    // Bloom filter) on every run: measured on the bench database, 110 µs of CPU a goal read
    // against 25 µs this way.
    const member = eb
      .selectFrom("memberships")
      .select("memberships.teamId")
      .whereRef("memberships.teamId", "=", "goals.teamId")
      .where("memberships.userId", "=", v.userId);
    ors.push(eb.and([eb("goals.visibility", "=", "team"), eb.exists(member)]));
  } else if (v.teamIds === null) {
    const mine = eb
      .selectFrom("memberships")
      .select("memberships.teamId")
      .where("memberships.userId", "=", v.userId);
    ors.push(eb.and([eb("goals.visibility", "=", "team"), eb("goals.teamId", "in", mine)]));
  } else if (v.teamIds.length > 0) {
    ors.push(eb.and([eb("goals.visibility", "=", "team"), eb("goals.teamId", "in", v.teamIds)]));
  }
  return eb.and([eb("goals.workspaceId", "=", v.workspaceId), eb.or(ors)]);
}

/**
 * `visibleGoals` for a prepared query (hot17): the viewer's teams one argument, a list made by
 * `idList` — the same goals, one statement whatever the number of teams.
 */
export function visibleGoalsListed(
  db: Kysely<Database>,
  eb: ExpressionBuilder<Database, "goals">,
  userId: number,
  workspaceId: number,
  teams: unknown,
) {
  return eb.and([
    eb("goals.workspaceId", "=", workspaceId),
    eb.or([
      eb("goals.ownerId", "=", userId),
      eb("goals.visibility", "=", "workspace"),
      eb.exists(
        eb
          .selectFrom("goalShares")
          .select("goalShares.goalId")
          .whereRef("goalShares.goalId", "=", "goals.id")
          .where("goalShares.userId", "=", userId),
      ),
      eb.and([eb("goals.visibility", "=", "team"), inList(db, "goals.teamId", teams)]),
    ]),
  ]);
}

/** Filters for listing goals. */
export interface GoalFilter {
  status?: string | undefined;
  ownerId?: number | undefined;
  teamId?: number | undefined;
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  afterId?: number | undefined;
  /** Archived goals: left out (the default), included, or the only ones listed. */
  archived?: "exclude" | "include" | "only" | undefined;
  limit: number;
}

/** Inserts a goal and returns it. */
export async function insertGoal(db: Kysely<Database>, row: Insertable<GoalsTable>): Promise<Goal> {
  return toGoal(await db.insertInto("goals").values(row).returningAll().executeTakeFirstOrThrow());
}

/** A goal the viewer may see, or undefined. */
export async function findGoal(db: Kysely<Database>, v: GoalViewer, id: number): Promise<Goal | undefined> {
  if (v.teamIds === null) {
    // Every use case on one goal reads it this way first: built once (src/store/prepared.ts).
    const [row] = await visibleGoalById(db, id, v.userId, v.workspaceId);
    return row ? toGoal(row) : undefined;
  }
  const r = await db
    .selectFrom("goals")
    .selectAll()
    .where("id", "=", id)
    .where((eb) => visibleGoals(eb, v))
    .executeTakeFirst();
  return r ? toGoal(r) : undefined;
}

const visibleGoalById = prepared((db: Kysely<Database>, id: number, userId: number, workspaceId: number) =>
  db
    .selectFrom("goals")
    .selectAll()
    .where("id", "=", id)
    .where((eb) => visibleGoals(eb, { userId, workspaceId, teamIds: null }, "row")),
);

/**
 * A goal the viewer may see (as {@link findGoal} reads it for a viewer whose teams the query looks
 * up) and the ids of its key results, in one statement (issue 17: a check-in read them in two, one
 * round trip each on PostgreSQL). Undefined when the viewer may not see the goal.
 */
export async function findGoalWithKeyResultIds(
  db: Kysely<Database>,
  v: Omit<Viewer, "teamIds">,
  id: number,
): Promise<{ goal: Goal; keyResultIds: number[] } | undefined> {
  const [row] = await visibleGoalWithKeyResultIds(db, id, v.userId, v.workspaceId);
  if (!row) return undefined;
  const { keyResultIds, ...goal } = row;
  // JSON text on SQLite, an array on PostgreSQL.
  const ids = typeof keyResultIds === "string" ? (JSON.parse(keyResultIds) as unknown[]) : keyResultIds;
  return { goal: toGoal(goal), keyResultIds: ids.map(Number) };
}

const visibleGoalWithKeyResultIds = prepared(
  (db: Kysely<Database>, id: number, userId: number, workspaceId: number) =>
    db
      .selectFrom("goals")
      .selectAll()
      .select(
        (db.getExecutor().adapter instanceof SqliteAdapter
          ? sql<
              string | unknown[]
            >`(select json_group_array(key_results.id) from key_results where key_results.goal_id = goals.id)`
          : sql<
              string | unknown[]
            >`array(select key_results.id from key_results where key_results.goal_id = goals.id)`
        ).as("keyResultIds"),
      )
      .where("id", "=", id)
      .where((eb) => visibleGoals(eb, { userId, workspaceId, teamIds: null }, "row")),
);

/** Goals the viewer may see, filtered, in id order after the cursor. */
export async function listGoals(db: Kysely<Database>, v: GoalViewer, f: GoalFilter): Promise<Goal[]> {
  let q = db
    .selectFrom("goals")
    .selectAll()
    .where((eb) => visibleGoals(eb, v));
  if (f.status) q = q.where("status", "=", f.status);
  if (f.archived === "only") q = q.where("archivedAt", "is not", null);
  else if (f.archived !== "include") q = q.where("archivedAt", "is", null);
  if (f.ownerId !== undefined) q = q.where("ownerId", "=", f.ownerId);
  if (f.teamId !== undefined) q = q.where("teamId", "=", f.teamId);
  if (f.dueBefore) q = q.where("dueDate", "<=", f.dueBefore);
  if (f.dueAfter) q = q.where("dueDate", ">=", f.dueAfter);
  if (f.afterId !== undefined) q = q.where("id", ">", f.afterId);
  const rows = await q.orderBy("id").limit(f.limit).execute();
  return rows.map(toGoal);
}

/** Updates a goal's columns. */
export async function updateGoalRow(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<GoalsTable>,
): Promise<Goal> {
  return toGoal(
    await db.updateTable("goals").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),
  );
}

/** Inserts a key result. */
export async function insertKeyResult(
  db: Kysely<Database>,
  row: Insertable<KeyResultsTable>,
): Promise<KeyResult> {
  return toKeyResult(await db.insertInto("keyResults").values(row).returningAll().executeTakeFirstOrThrow());
}

/** A key result by id (no visibility check: callers check its goal). */
export async function findKeyResult(db: Kysely<Database>, id: number): Promise<KeyResult | undefined> {
  const r = await db.selectFrom("keyResults").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toKeyResult(r) : undefined;
}

/** Updates a key result. */
export async function updateKeyResultRow(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<KeyResultsTable>,
): Promise<KeyResult> {
  return toKeyResult(
    await db
      .updateTable("keyResults")
      .set(patch)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Key results of a goal in creation order. */
export async function keyResultsOf(db: Kysely<Database>, goalId: number): Promise<KeyResult[]> {
  return (await keyResultsOfGoal(db, goalId)).map(toKeyResult);
}

const keyResultsOfGoal = prepared((db: Kysely<Database>, goalId: number) =>
  db.selectFrom("keyResults").selectAll().where("goalId", "=", goalId).orderBy("id"),
);

/** The next free step position in a goal. */
export async function nextStepPosition(db: Kysely<Database>, goalId: number): Promise<number> {
  const r = await db
    .selectFrom("steps")
    .select(sql<number>`coalesce(max(position), 0)`.as("p"))
    .where("goalId", "=", goalId)
    .executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}

/** Inserts a step. */
export async function insertStep(db: Kysely<Database>, row: Insertable<StepsTable>): Promise<Step> {
  return toStep(await db.insertInto("steps").values(row).returningAll().executeTakeFirstOrThrow());
}

/** A step by id (callers check its goal). */
export async function findStep(db: Kysely<Database>, id: number): Promise<Step | undefined> {
  const r = await db.selectFrom("steps").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toStep(r) : undefined;
}

/** Updates a step. */
export async function updateStepRow(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<StepsTable>,
): Promise<Step> {
  return toStep(
    await db.updateTable("steps").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),
  );
}

/** Opens a promise of a step: due on `dueDate`, not done yet. */
export async function insertOccurrence(
  db: Kysely<Database>,
  row: { stepId: number; dueDate: string; doneAt?: string | null; createdAt: string },
): Promise<void> {
  await db
    .insertInto("stepOccurrences")
    .values({ doneAt: null, closedAt: null, closedHow: null, ...row })
    .execute();
}

/** A step's promises, oldest due date first (then oldest first). */
export async function occurrencesOf(db: Kysely<Database>, stepId: number): Promise<StepOccurrenceRow[]> {
  return db
    .selectFrom("stepOccurrences")
    .selectAll()
    .where("stepId", "=", stepId)
    .orderBy("dueDate")
    .orderBy("id")
    .execute();
}

/** A step's promise row as stored, with its id for updates. */
export type StepOccurrenceRow = Selectable<StepOccurrencesTable>;

/** Updates one promise of a step. */
export async function updateOccurrence(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<StepOccurrencesTable>,
): Promise<void> {
  await db.updateTable("stepOccurrences").set(patch).where("id", "=", id).execute();
}

/** Steps of a goal in plan order. */
export async function stepsOf(db: Kysely<Database>, goalId: number): Promise<Step[]> {
  const rows = await db
    .selectFrom("steps")
    .selectAll()
    .where("goalId", "=", goalId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toStep);
}

/** Filters for listing steps across goals. */
export interface StepFilter {
  goalId?: number | undefined;
  ownerId?: number | undefined;
  statuses?: string[] | undefined;
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  afterId?: number | undefined;
  /** "due": earliest due date first (then plan order), instead of id order. */
  order?: "id" | "due";
  limit: number;
}

/** Steps of goals the viewer may see. */
export async function listSteps(db: Kysely<Database>, v: Viewer, f: StepFilter): Promise<Step[]> {
  let q = db
    .selectFrom("steps")
    .innerJoin("goals", "goals.id", "steps.goalId")
    .selectAll("steps")
    .where((eb) => visibleGoals(eb, v));
  if (f.goalId !== undefined) q = q.where("steps.goalId", "=", f.goalId);
  if (f.ownerId !== undefined) {
    const owner = f.ownerId;
    q = q.where((eb) =>
      eb.or([
        eb("steps.ownerId", "=", owner),
        eb.and([eb("steps.ownerId", "is", null), eb("goals.ownerId", "=", owner)]),
      ]),
    );
  }
  if (f.statuses?.length) q = q.where("steps.status", "in", f.statuses);
  if (f.dueBefore) q = q.where("steps.dueDate", "<=", f.dueBefore);
  if (f.dueAfter) q = q.where("steps.dueDate", ">=", f.dueAfter);
  if (f.afterId !== undefined) q = q.where("steps.id", ">", f.afterId);
  const ordered =
    f.order === "due"
      ? q.orderBy("steps.dueDate").orderBy("steps.position").orderBy("steps.id")
      : q.orderBy("steps.id");
  const rows = await ordered.limit(f.limit).execute();
  return rows.map(toStep);
}

/**
 * The open steps (todo or doing) `ownerId` owns, or owns through their goal, of goals the viewer
 * may see, due by `dueBy` (overdue included), most overdue first, at most `limit`: `listSteps` with
 * My week's filter, built once (hot17).
 */
export async function openStepsDueBy(
  db: Kysely<Database>,
  v: Viewer,
  ownerId: number,
  dueBy: string,
  limit: number,
): Promise<Step[]> {
  const rows = await weekSteps(db, v.userId, v.workspaceId, idList(db, v.teamIds), ownerId, dueBy, limit);
  return rows.map(toStep);
}

const weekSteps = prepared(
  (
    db: Kysely<Database>,
    userId: number,
    workspaceId: number,
    teams: unknown,
    ownerId: number,
    dueBy: string,
    limit: number,
  ) =>
    db
      .selectFrom("steps")
      .innerJoin("goals", "goals.id", "steps.goalId")
      .selectAll("steps")
      .where((eb) => visibleGoalsListed(db, eb, userId, workspaceId, teams))
      .where((eb) =>
        eb.or([
          eb("steps.ownerId", "=", ownerId),
          eb.and([eb("steps.ownerId", "is", null), eb("goals.ownerId", "=", ownerId)]),
        ]),
      )
      .where("steps.status", "in", ["todo", "doing"])
      .where("steps.dueDate", "<=", dueBy)
      .orderBy("steps.dueDate")
      .orderBy("steps.position")
      .orderBy("steps.id")
      .limit(limit),
);

/** Inserts a resource. */
export async function insertResource(
  db: Kysely<Database>,
  row: Insertable<ResourcesTable>,
): Promise<Resource> {
  return toResource(await db.insertInto("resources").values(row).returningAll().executeTakeFirstOrThrow());
}

/** Resources of a goal (removed ones are kept for the history only, so not listed). */
export async function resourcesOf(db: Kysely<Database>, goalId: number): Promise<Resource[]> {
  const rows = await db
    .selectFrom("resources")
    .selectAll()
    .where("goalId", "=", goalId)
    .where("removedAt", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(toResource);
}

/** A resource still in its plan, by id. */
export async function findResource(db: Kysely<Database>, id: number): Promise<Resource | undefined> {
  const r = await db
    .selectFrom("resources")
    .selectAll()
    .where("id", "=", id)
    .where("removedAt", "is", null)
    .executeTakeFirst();
  return r && toResource(r);
}

/** Updates a resource. */
export async function updateResourceRow(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<ResourcesTable>,
): Promise<Resource> {
  return toResource(
    await db
      .updateTable("resources")
      .set(patch)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Inserts a barrier. */
export async function insertBarrier(db: Kysely<Database>, row: Insertable<BarriersTable>): Promise<Barrier> {
  return toBarrier(await db.insertInto("barriers").values(row).returningAll().executeTakeFirstOrThrow());
}

/** Barriers of a goal (removed ones stay for the check-ins that hit them, but are not listed). */
export async function barriersOf(db: Kysely<Database>, goalId: number): Promise<Barrier[]> {
  const rows = await db
    .selectFrom("barriers")
    .selectAll()
    .where("goalId", "=", goalId)
    .where("removedAt", "is", null)
    .orderBy("id")
    .execute();
  return rows.map(toBarrier);
}

/** A barrier still in its plan, by id. */
export async function findBarrier(db: Kysely<Database>, id: number): Promise<Barrier | undefined> {
  const r = await db
    .selectFrom("barriers")
    .selectAll()
    .where("id", "=", id)
    .where("removedAt", "is", null)
    .executeTakeFirst();
  return r && toBarrier(r);
}

/** Updates a barrier. */
export async function updateBarrierRow(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<BarriersTable>,
): Promise<Barrier> {
  return toBarrier(
    await db.updateTable("barriers").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),
  );
}

/** Appends a change record. */
export async function insertChange(
  db: Kysely<Database>,
  row: Insertable<ChangeRecordsTable>,
): Promise<ChangeRecord> {
  return toChange(await db.insertInto("changeRecords").values(row).returningAll().executeTakeFirstOrThrow());
}

/** The change history of a goal, oldest first. */
export async function changesOf(db: Kysely<Database>, goalId: number): Promise<ChangeRecord[]> {
  const rows = await db
    .selectFrom("changeRecords")
    .selectAll()
    .where("goalId", "=", goalId)
    .orderBy("id")
    .execute();
  return rows.map(toChange);
}

/** What a message about a goal names: its title, owner, team, status and due day. */
export interface GoalHeader {
  id: number;
  workspaceId: number;
  title: string;
  ownerId: number;
  ownerName: string;
  teamId: number | null;
  visibility: string;
  status: string;
  dueDate: string | null;
}

/** A goal's header, whoever asks: callers decide who may be told. */
export async function goalHeader(db: Kysely<Database>, goalId: number): Promise<GoalHeader | undefined> {
  return db
    .selectFrom("goals")
    .innerJoin("users", "users.id", "goals.ownerId")
    .select([
      "goals.id",
      "goals.workspaceId",
      "goals.title",
      "goals.ownerId",
      "users.name as ownerName",
      "goals.teamId",
      "goals.visibility",
      "goals.status",
      "goals.dueDate",
    ])
    .where("goals.id", "=", goalId)
    .executeTakeFirst();
}

/** What the planner reads of an open step and its goal. */
const OPEN_STEP_COLUMNS = [
  "steps.id as stepId",
  "steps.text",
  "steps.dueDate",
  "steps.dueTime",
  "steps.ownerId",
  "goals.id as goalId",
  "goals.title",
  "goals.ownerId as goalOwnerId",
  "goals.workspaceId",
] as const;

/** The open steps of active goals due in [from, to], with their goal's title, owner and workspace. */
function openStepsDue(db: Kysely<Database>, from: string, to: string) {
  return db
    .selectFrom("steps")
    .innerJoin("goals", "goals.id", "steps.goalId")
    .select(OPEN_STEP_COLUMNS)
    .where("goals.status", "=", "active")
    .where("steps.status", "in", ["todo", "doing"])
    .where("steps.dueDate", ">=", from)
    .where("steps.dueDate", "<=", to);
}

/** Open steps of active goals due in [from, to], with their goal's title, owner and workspace. */
export async function openStepsDueBetween(
  db: Kysely<Database>,
  from: string,
  to: string,
  goalIds?: readonly number[],
) {
  if (goalIds?.length === 0) return [];
  if (goalIds) return openStepsOfGoalsDueBetween(db, from, to, goalIds);
  return openStepsDue(db, from, to).orderBy("steps.id").execute();
}

/**
 * Only these goals' steps (the planner's changed goals, issue 17), the same rows as
 * {@link openStepsDueBetween}. Written goals first (`CROSS JOIN`, which SQLite keeps in that
 * order), so SQLite reads each goal's steps by `steps_goal_position`: joined the other way it chose
 * `steps_status_due` and read every open step due in the window (~160 ms a slice of 50 goals at
 * 1,000,000 steps, against well under 1 ms). PostgreSQL plans a cross join with a join condition
 * as the inner join it is.
 */
function openStepsOfGoalsDueBetween(
  db: Kysely<Database>,
  from: string,
  to: string,
  goalIds: readonly number[],
) {
  return db
    .selectFrom("goals")
    .crossJoin("steps")
    .select(OPEN_STEP_COLUMNS)
    .whereRef("steps.goalId", "=", "goals.id")
    .where("goals.id", "in", [...goalIds])
    .where("goals.status", "=", "active")
    .where("steps.status", "in", ["todo", "doing"])
    .where("steps.dueDate", ">=", from)
    .where("steps.dueDate", "<=", to)
    .orderBy("steps.id")
    .execute();
}

// The planner plans the people whose day changed

/** How many owner ids one query names (under the drivers' parameter limits). */
const OWNER_CHUNK = 500;

/**
 * The open steps of active goals due in a window whose owner (the step's, else its goal's) is one
 * of these people: the planner's people whose local day changed (issue 17). Same rows as
 * {@link openStepsDueBetween}, in step id order.
 */
export async function openStepsDueBetweenOwnedBy(
  db: Kysely<Database>,
  from: string,
  to: string,
  ownerIds: readonly number[],
) {
  const out = [];
  for (let i = 0; i < ownerIds.length; i += OWNER_CHUNK) {
    const chunk = ownerIds.slice(i, i + OWNER_CHUNK);
    const rows = await openStepsDue(db, from, to)
      .where((eb) =>
        eb.or([
          eb("steps.ownerId", "in", chunk),
          eb.and([eb("steps.ownerId", "is", null), eb("goals.ownerId", "in", chunk)]),
        ]),
      )
      .execute();
    out.push(...rows);
  }
  return out.sort((a, b) => a.stepId - b.stepId);
}

/**
 * The open steps of active goals with a time of day due in a window, with whose they are (the
 * step's owner, else its goal's): the planner nudges each at its time on its owner's wall clock.
 */
export async function openTimedStepsDueBetween(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<{ stepId: number; dueDate: string; dueTime: string; userId: number }[]> {
  const rows = await db
    .selectFrom("steps")
    .innerJoin("goals", "goals.id", "steps.goalId")
    .select([
      "steps.id as stepId",
      "steps.dueDate",
      "steps.dueTime",
      "steps.ownerId",
      "goals.ownerId as goalOwnerId",
    ])
    .where("goals.status", "=", "active")
    .where("steps.status", "in", ["todo", "doing"])
    .where("steps.dueDate", ">=", from)
    .where("steps.dueDate", "<=", to)
    .where("steps.dueTime", "is not", null)
    .orderBy("steps.id")
    .execute();
  return rows.map((r) => ({
    stepId: r.stepId,
    dueDate: r.dueDate as string,
    dueTime: r.dueTime as string,
    userId: r.ownerId ?? r.goalOwnerId,
  }));
}
// --- end issue 17, zones ---

/** The id and owner of each active goal of a workspace, in id order. */
export async function activeGoalOwners(
  db: Kysely<Database>,
  workspaceId: number,
): Promise<{ id: number; ownerId: number }[]> {
  return db
    .selectFrom("goals")
    .select(["id", "ownerId"])
    .where("workspaceId", "=", workspaceId)
    .where("status", "=", "active")
    .orderBy("id")
    .execute();
}

/** The people listed as resources of a goal (not removed), with the account each one names, if any. */
export async function personResourcesOf(
  db: Kysely<Database>,
  goalId: number,
): Promise<{ id: number; name: string; ask: string | null; userId: number | null }[]> {
  return db
    .selectFrom("resources")
    .select(["id", "name", "ask", "userId"])
    .where("goalId", "=", goalId)
    .where("kind", "=", "person")
    .where("removedAt", "is", null)
    .orderBy("id")
    .execute();
}

/** The people following a goal, with their workspaces. */
export async function followersOfGoal(
  db: Kysely<Database>,
  goalId: number,
): Promise<{ userId: number; workspaceId: number }[]> {
  return db
    .selectFrom("goalFollowers")
    .innerJoin("users", "users.id", "goalFollowers.userId")
    .select(["users.id as userId", "users.workspaceId"])
    .where("goalFollowers.goalId", "=", goalId)
    .execute();
}

/**
 * True when the goal is filed under the team and shown to it (team or workspace visibility): what
 * a channel the whole team reads may be told about.
 */
export async function isGoalSharedWithTeam(
  db: Kysely<Database>,
  team: { workspaceId: number; teamId: number },
  goalId: number,
): Promise<boolean> {
  const g = await db
    .selectFrom("goals")
    .select("id")
    .where("id", "=", goalId)
    .where("workspaceId", "=", team.workspaceId)
    .where("teamId", "=", team.teamId)
    .where("visibility", "in", ["team", "workspace"])
    .executeTakeFirst();
  return g !== undefined;
}

// --- Issue 15 (my week in a fixed number of queries). ---

/** The occurrences of some steps (repeating ones), in step and due order. */
export async function occurrencesOfSteps(
  db: Kysely<Database>,
  stepIds: readonly number[],
): Promise<StepOccurrenceRow[]> {
  if (stepIds.length === 0) return [];
  return db
    .selectFrom("stepOccurrences")
    .selectAll()
    .where("stepId", "in", [...new Set(stepIds)])
    .orderBy("stepId")
    .orderBy("dueDate")
    .execute();
}

// --- Issue 18 (krlink18): a step can belong to a key result. ---

/** The steps linked to a key result, in plan order. */
export async function stepsOfKeyResult(db: Kysely<Database>, keyResultId: number): Promise<Step[]> {
  const rows = await db
    .selectFrom("steps")
    .selectAll()
    .where("keyResultId", "=", keyResultId)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toStep);
}
