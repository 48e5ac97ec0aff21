/**
 * The follow-through read model: everything the engine needs about many goals at once (key
 * results, steps, change history, commitments due in a window), and the stored micro-goal mode
 * with its history.
 */
import { type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { ModeState } from "../../core/engine/index.js";
import type {
  Barrier,
  ChangeRecord,
  Commitment,
  Goal,
  KeyResult,
  Step,
  StepOccurrence,
} from "../../core/types.js";
import { toBarrier, toChange, toGoal, toKeyResult, toOccurrence, toStep } from "../mappers.js";
import { idList, inList, inSelect, onSqlite, prepared } from "../prepared.js";
import type { Database } from "../schema.js";
import { hydrate } from "./commitments.js";
import { type GoalViewer, type Viewer, visibleGoals, visibleGoalsListed } from "./plans.js";

/** Goals the viewer may see, optionally only some statuses, in id order. */
export async function visibleGoalsOf(
  db: Kysely<Database>,
  v: Viewer,
  statuses?: readonly string[],
): Promise<Goal[]> {
  let q = db
    .selectFrom("goals")
    .selectAll()
    .where((eb) => visibleGoals(eb, v));
  if (statuses?.length) q = q.where("status", "in", [...statuses]);
  return (await q.orderBy("id").execute()).map(toGoal);
}

/**
 * The active goals the viewer may see that `ownerId` owns or whose id is in `goalIds`, in id order:
 * the goals "my week" shows steps of.
 */
export async function activeGoalsOwnedOrIn(
  db: Kysely<Database>,
  v: Viewer,
  ownerId: number,
  goalIds: readonly number[],
): Promise<Goal[]> {
  const rows = await activeOwnedOrIn(
    db,
    v.userId,
    v.workspaceId,
    idList(db, v.teamIds),
    ownerId,
    idList(db, [...new Set(goalIds)]),
  );
  return rows.map(toGoal);
}

// Built once (hot17): the teams and the goal ids are one argument each (src/store/prepared.ts).
const activeOwnedOrIn = prepared(
  (
    db: Kysely<Database>,
    userId: number,
    workspaceId: number,
    teams: unknown,
    ownerId: number,
    goalIds: unknown,
  ) =>
    db
      .selectFrom("goals")
      .selectAll()
      .where((eb) => visibleGoalsListed(db, eb, userId, workspaceId, teams))
      .where("status", "=", "active")
      .where((eb) => eb.or([eb("ownerId", "=", ownerId), inList(db, "goals.id", goalIds)]))
      .orderBy("id"),
);

/**
 * A team's shared goals the viewer may see: those filed under the team, and the members' goals
 * shown to the whole workspace. Private goals never count, whoever may read them.
 */
function teamGoals(
  db: Kysely<Database>,
  v: GoalViewer,
  teamId: number,
  memberIds: readonly number[],
  statuses: readonly string[],
) {
  return db
    .selectFrom("goals")
    .where((eb) => visibleGoals(eb, v))
    .where("status", "in", [...statuses])
    .where("visibility", "!=", "private")
    .where((eb) =>
      memberIds.length === 0
        ? eb("teamId", "=", teamId)
        : eb.or([
            eb("teamId", "=", teamId),
            eb.and([eb("visibility", "=", "workspace"), eb("ownerId", "in", [...memberIds])]),
          ]),
    )
    .orderBy("id");
}

/** A team's shared goals the viewer may see (see teamGoals), in id order. */
export async function teamGoalsOf(
  db: Kysely<Database>,
  v: GoalViewer,
  teamId: number,
  memberIds: readonly number[],
  statuses: readonly string[],
): Promise<Goal[]> {
  const rows = await teamGoals(db, v, teamId, memberIds, statuses).selectAll().execute();
  return rows.map(toGoal);
}

/**
 * `id:revision` of each goal teamGoalsOf returns, in the same order, joined by commas: a fraction of
 * the bytes, for telling whether anything the team view shows of its goals changed.
 */
export async function teamGoalRevisions(
  db: Kysely<Database>,
  v: GoalViewer,
  teamId: number,
  memberIds: readonly number[],
  statuses: readonly string[],
): Promise<string> {
  if (v.teamIds !== null)
    return revisionText(
      await teamGoals(db, v, teamId, memberIds, statuses).select(["id", "revision"]).execute(),
    );
  // A member of the team may see every goal this counts (the team's shared goals and the members'
  // workspace-visible ones: visibleGoals allows both to any member of the team), so the visibility
  // rule, probed per goal, reduces to the workspace.
  const members = idList(db, memberIds);
  const listed = onSqlite(db) ? JSON.stringify(statuses) : [...statuses];
  const rows = memberIds.includes(v.userId)
    ? await memberRevisionsOf(db, v.workspaceId, teamId, members, listed)
    : await teamRevisionsOf(db, v.userId, v.workspaceId, teamId, members, listed);
  return revisionText(rows);
}

/**
 * teamGoalRevisions for a reader who is a member of the team, with the team's members read by the
 * query itself (pgteam22): it needs no list of them first, so the team view sends it together with
 * the team, its members and the reader's facts (`alongside`, src/store/prepared.ts). The same
 * goals, in the same order, as teamGoalRevisions returns to a member, written the same way:
 * `id:revision` pairs joined by commas. PostgreSQL joins them itself (one row to send and parse,
 * not one per goal).
 */
export async function teamGoalRevisionsForMember(
  db: Kysely<Database>,
  workspaceId: number,
  teamId: number,
  statuses: readonly string[],
): Promise<string> {
  const [row] = onSqlite(db)
    ? await teamMemberRevisionConcat(db, workspaceId, teamId, JSON.stringify(statuses))
    : await teamMemberRevisionText(db, workspaceId, teamId, [...statuses]);
  return row?.revisions ?? "";
}

/** Goals' `[id, revision]` rows as `id:revision` pairs joined by commas. */
function revisionText(rows: readonly { id: number; revision: number | bigint | string }[]): string {
  return rows.map((r) => `${r.id}:${Number(r.revision)}`).join(",");
}

/**
 * Of a query over goals, those a team view counts (as teamGoals): of the statuses, shared with the
 * team or open to the workspace and owned by one of its members (`owners`); in id order.
 */
function countedOfTeam<O>(
  db: Kysely<Database>,
  goals: SelectQueryBuilder<Database, "goals", O>,
  teamId: number,
  owners: Expression<SqlBool>,
  statuses: unknown,
): SelectQueryBuilder<Database, "goals", O> {
  return goals
    .where(inList(db, "goals.status", statuses))
    .where("visibility", "!=", "private")
    .where((eb) => eb.or([eb("teamId", "=", teamId), eb.and([eb("visibility", "=", "workspace"), owners])]))
    .orderBy("id");
}

// Built once (team21): every team view request runs it to check its entity tag, and building it
// (a 50-member `in` list through the builder and the camelCase plugin) cost more CPU than SQLite's
// own work; the members and the statuses are one argument each (src/store/prepared.ts).
const teamRevisionsOf = prepared(
  (
    db: Kysely<Database>,
    userId: number,
    workspaceId: number,
    teamId: number,
    members: unknown,
    statuses: unknown,
  ) =>
    countedOfTeam(
      db,
      db
        .selectFrom("goals")
        .select(["id", "revision"])
        .where((eb) => visibleGoals(eb, { userId, workspaceId, teamIds: null })),
      teamId,
      inList(db, "goals.ownerId", members),
      statuses,
    ),
);

/** teamRevisionsOf for a viewer in the team (see teamGoalRevisions): the same goals. */
const memberRevisionsOf = prepared(
  (db: Kysely<Database>, workspaceId: number, teamId: number, members: unknown, statuses: unknown) =>
    countedOfTeam(
      db,
      db.selectFrom("goals").select(["id", "revision"]).where("workspaceId", "=", workspaceId),
      teamId,
      inList(db, "goals.ownerId", members),
      statuses,
    ),
);

/** memberRevisionsOf with the team's members read in the query. */
function teamMemberRevisionsOf(db: Kysely<Database>, workspaceId: number, teamId: number, statuses: unknown) {
  return countedOfTeam(
    db,
    db.selectFrom("goals").select(["id", "revision"]).where("workspaceId", "=", workspaceId),
    teamId,
    inSelect(
      db,
      "goals.ownerId",
      db.selectFrom("memberships").select("memberships.userId").where("memberships.teamId", "=", teamId),
    ),
    statuses,
  );
}

/**
 * teamMemberRevisionsOf as SQLite's one `id:revision,…` text (revisionText's), as PostgreSQL's
 * teamMemberRevisionText (team26): every team view request checks its tag with it, and turning
 * ~370 rows into objects, renaming their keys and joining them in JavaScript cost about as much CPU
 * as SQLite's reading of them, and most of the request's allocation (docs/benchmarks.md, "Issue 17:
 * the team view at 10 connections on SQLite (team26)"). The aggregate's own ORDER BY (SQLite ≥
 * 3.44) keeps the id order, so the text is the one revisionText makes of the rows.
 */
const teamMemberRevisionConcat = prepared(
  (db: Kysely<Database>, workspaceId: number, teamId: number, statuses: unknown) =>
    db
      .selectFrom(teamMemberRevisionsOf(db, workspaceId, teamId, statuses).clearOrderBy().as("g"))
      .select(
        sql<string>`coalesce(group_concat(g.id || ':' || g.revision, ',' order by g.id), '')`.as("revisions"),
      ),
);

/** teamMemberRevisionsOf as PostgreSQL's one `id:revision,…` text (revisionText's). */
const teamMemberRevisionText = prepared(
  (db: Kysely<Database>, workspaceId: number, teamId: number, statuses: unknown) =>
    db
      .selectFrom(teamMemberRevisionsOf(db, workspaceId, teamId, statuses).as("g"))
      .select(
        sql<string>`coalesce(string_agg(g.id || ':' || g.revision, ',' order by g.id), '')`.as("revisions"),
      ),
);

/** Key results of some goals, in creation order. */
export async function keyResultsOfGoals(
  db: Kysely<Database>,
  goalIds: readonly number[],
): Promise<KeyResult[]> {
  if (goalIds.length === 0) return [];
  const rows = await db
    .selectFrom("keyResults")
    .selectAll()
    .where("goalId", "in", [...goalIds])
    .orderBy("id")
    .execute();
  return rows.map(toKeyResult);
}

/** Steps of some goals, in plan order. */
export async function stepsOfGoals(db: Kysely<Database>, goalIds: readonly number[]): Promise<Step[]> {
  if (goalIds.length === 0) return [];
  return (await stepsOfGoalList(db, idList(db, goalIds))).map(toStep);
}

const stepsOfGoalList = prepared((db: Kysely<Database>, goalIds: unknown) =>
  db
    .selectFrom("steps")
    .selectAll()
    .where((eb) => inList(db, "steps.goalId", goalIds))
    .orderBy("goalId")
    .orderBy("position")
    .orderBy("id"),
);

/**
 * The steps of some goals a follow-through rate for [from, to] needs: those due in the window and
 * those named (the steps of commitments), in plan order.
 */
export async function stepsDueIn(
  db: Kysely<Database>,
  goalIds: readonly number[],
  from: string,
  to: string,
  alsoIds: readonly number[],
): Promise<Step[]> {
  if (goalIds.length === 0) return [];
  const rows = await db
    .selectFrom("steps")
    .selectAll()
    .where("goalId", "in", [...goalIds])
    .where((eb) => {
      // A step counts in the window through any promise due in it (one it was moved away from
      // included), or through its rule when it repeats.
      const promised = eb.exists(
        eb
          .selectFrom("stepOccurrences as o")
          .select("o.id")
          .whereRef("o.stepId", "=", "steps.id")
          .where("o.dueDate", ">=", from)
          .where("o.dueDate", "<=", to),
      );
      const ways = [promised, eb("recurrence", "is not", null)];
      if (alsoIds.length > 0) ways.push(eb("id", "in", [...alsoIds]));
      return eb.or(ways);
    })
    .orderBy("goalId")
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map(toStep);
}

/**
 * The promises of the steps of some goals (every one, or only those due in [from, to]), in step
 * and due order: what the follow-through rate counts.
 */
export async function occurrencesOfGoals(
  db: Kysely<Database>,
  goalIds: readonly number[],
  due?: { from: string; to: string },
): Promise<StepOccurrence[]> {
  if (goalIds.length === 0) return [];
  let q = db
    .selectFrom("stepOccurrences as o")
    .innerJoin("steps as s", "s.id", "o.stepId")
    .selectAll("o")
    .where("s.goalId", "in", [...goalIds]);
  if (due) q = q.where("o.dueDate", ">=", due.from).where("o.dueDate", "<=", due.to);
  const rows = await q.orderBy("o.stepId").orderBy("o.dueDate").orderBy("o.id").execute();
  return rows.map(toOccurrence);
}

/** The change history of some goals (and their key results), oldest first. */
export async function changesOfGoals(
  db: Kysely<Database>,
  goalIds: readonly number[],
): Promise<ChangeRecord[]> {
  if (goalIds.length === 0) return [];
  const rows = await db
    .selectFrom("changeRecords")
    .selectAll()
    .where("goalId", "in", [...goalIds])
    .orderBy("id")
    .execute();
  return rows.map(toChange);
}

/**
 * Commitments of a workspace due in [from, to] (inclusive), with their witnesses; only those of
 * some goals when `goalIds` is given.
 */
export async function commitmentsDueIn(
  db: Kysely<Database>,
  workspaceId: number,
  from: string,
  to: string,
  goalIds?: readonly number[],
): Promise<Commitment[]> {
  if (goalIds?.length === 0) return [];
  let q = db
    .selectFrom("commitments")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("dueDate", ">=", from)
    .where("dueDate", "<=", to);
  if (goalIds) q = q.where("goalId", "in", [...goalIds]);
  const rows = await q.orderBy("id").execute();
  return hydrate(db, rows);
}

/** The obstacles of some goals that were hit, in id order. */
export async function hitBarriersOf(db: Kysely<Database>, goalIds: readonly number[]): Promise<Barrier[]> {
  if (goalIds.length === 0) return [];
  const rows = await db
    .selectFrom("barriers")
    .selectAll()
    .where("goalId", "in", [...goalIds])
    .where("status", "=", "hit")
    .orderBy("id")
    .execute();
  return rows.map(toBarrier);
}

/** Display names of some users of a workspace, by id. */
export async function userNames(
  db: Kysely<Database>,
  workspaceId: number,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await namesOf(db, workspaceId, idList(db, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

const namesOf = prepared((db: Kysely<Database>, workspaceId: number, ids: unknown) =>
  db
    .selectFrom("users")
    .select(["id", "name"])
    .where("workspaceId", "=", workspaceId)
    .where((eb) => inList(db, "users.id", ids)),
);

const modesOf = prepared((db: Kysely<Database>, goalIds: unknown) =>
  db
    .selectFrom("goals")
    .select(["id", "mode", "modeSince", "microStepsDone"])
    .where((eb) => inList(db, "goals.id", goalIds)),
);

function toModeState(r: { mode: string; since: string | null; microStepsDone: number }): ModeState {
  return {
    mode: r.mode === "micro-goal" ? "micro-goal" : "normal",
    since: r.since,
    microStepsDone: Number(r.microStepsDone),
  };
}

/** The mode state stored on some goals now (goals never evaluated are in normal mode). */
export async function currentModeStates(
  db: Kysely<Database>,
  goalIds: readonly number[],
): Promise<Map<number, ModeState>> {
  if (goalIds.length === 0) return new Map();
  const rows = await modesOf(db, idList(db, goalIds));
  return new Map(
    rows.map((r) => [
      r.id,
      toModeState({ mode: r.mode, since: r.modeSince, microStepsDone: r.microStepsDone }),
    ]),
  );
}

/**
 * The mode state of some goals as recorded by the end of a day: the last change dated on or before
 * it. Goals without one are missing from the map (they were in normal mode, never evaluated).
 */
export async function modeStatesOn(
  db: Kysely<Database>,
  goalIds: readonly number[],
  day: string,
): Promise<Map<number, ModeState>> {
  if (goalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("goalModeChanges")
    .selectAll()
    .where("goalId", "in", [...goalIds])
    .where("day", "<=", day)
    .orderBy("day")
    .orderBy("id")
    .execute();
  const states = new Map<number, ModeState>();
  for (const r of rows) states.set(r.goalId, toModeState(r));
  return states;
}

/**
 * Stores a goal's new mode state if it still holds `previous` (so two evaluations at once do not
 * both record the switch), and appends it to the mode history under `day`. Returns whether it was
 * stored. Call inside a transaction.
 */
export async function saveModeState(
  db: Kysely<Database>,
  goalId: number,
  previous: ModeState,
  next: ModeState,
  day: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable("goals")
    .set({ mode: next.mode, modeSince: next.since, microStepsDone: next.microStepsDone })
    .where("id", "=", goalId)
    .where("mode", "=", previous.mode)
    .where("microStepsDone", "=", previous.microStepsDone)
    .where((eb) =>
      previous.since === null ? eb("modeSince", "is", null) : eb("modeSince", "=", previous.since),
    )
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db
    .insertInto("goalModeChanges")
    .values({
      goalId,
      day,
      mode: next.mode,
      since: next.since,
      microStepsDone: next.microStepsDone,
      createdAt: at,
    })
    .execute();
  return true;
}
