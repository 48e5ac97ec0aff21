/** Delegations: a goal or step handed to someone with what, why, by when and what done looks like. */
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import { prepared } from "../prepared.js";
import type { Database, DelegationsTable } from "../schema.js";
import { type GoalViewer, visibleGoals } from "./plans.js";

/** A delegation as stored. */
export type DelegationRow = Selectable<DelegationsTable>;

/** Inserts a delegation. */
export async function insertDelegation(
  db: Kysely<Database>,
  row: Insertable<DelegationsTable>,
): Promise<DelegationRow> {
  return db.insertInto("delegations").values(row).returningAll().executeTakeFirstOrThrow();
}

/** A delegation of a workspace by id (either side may read it: policy "delegation.see"). */
export async function delegationById(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
): Promise<DelegationRow | undefined> {
  return db
    .selectFrom("delegations")
    .selectAll()
    .where("id", "=", id)
    .where("workspaceId", "=", workspaceId)
    .executeTakeFirst();
}

/**
 * The delegations a person gave or received, in id order: the query form of the policy's
 * "delegation.see" (src/app/policy.ts), its delegator and its assignee.
 */
export async function delegationsOf(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
): Promise<DelegationRow[]> {
  return db
    .selectFrom("delegations")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where((eb) => eb.or([eb("assigneeId", "=", userId), eb("delegatedBy", "=", userId)]))
    .orderBy("id")
    .execute();
}

/** Changes a delegation and returns it. */
export async function updateDelegation(
  db: Kysely<Database>,
  id: number,
  patch: Updateable<DelegationsTable>,
): Promise<DelegationRow> {
  return db
    .updateTable("delegations")
    .set(patch)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// --- Issue 15 (delegation loop): whether what was delegated is done. ---

/** A delegation with how its step (or, for a whole goal, the goal) stands now. */
export type DelegationWithProgress = DelegationRow & {
  /** The delegated step's status (null for a whole goal). */
  stepStatus: string | null;
  /** When the step was done (null while open, or for a whole goal). */
  stepDoneAt: string | null;
  /** The goal's status. */
  goalStatus: string;
  goalTitle: string;
};

/** Delegations joined with their goal and step. */
function withProgress(db: Kysely<Database>) {
  return db
    .selectFrom("delegations as d")
    .innerJoin("goals", "goals.id", "d.goalId")
    .leftJoin("steps as s", "s.id", "d.stepId")
    .selectAll("d")
    .select([
      "s.status as stepStatus",
      "s.doneAt as stepDoneAt",
      "goals.status as goalStatus",
      "goals.title as goalTitle",
    ]);
}

/**
 * The delegations a person gave or received (the policy's "delegation.see", as `delegationsOf`),
 * each with its step's and goal's status, in id order.
 */
export async function delegationsWithProgressOf(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
): Promise<DelegationWithProgress[]> {
  return delegationsOfPerson(db, workspaceId, userId, userId);
}

// Built once (hot17, My week reads it on every request: src/store/prepared.ts).
const delegationsOfPerson = prepared(
  (db: Kysely<Database>, workspaceId: number, assignee: number, by: number) =>
    withProgress(db)
      .where("d.workspaceId", "=", workspaceId)
      .where((eb) => eb.or([eb("d.assigneeId", "=", assignee), eb("d.delegatedBy", "=", by)]))
      .orderBy("d.id"),
);

/**
 * The delegations assigned to some people whose goal the viewer may see (`visibleGoals`), with
 * progress, in id order: the team page's delegations per person.
 */
export async function delegationsToPeopleIn(
  db: Kysely<Database>,
  viewer: GoalViewer,
  assigneeIds: readonly number[],
): Promise<DelegationWithProgress[]> {
  if (assigneeIds.length === 0) return [];
  return withProgress(db)
    .where("d.workspaceId", "=", viewer.workspaceId)
    .where("d.assigneeId", "in", [...new Set(assigneeIds)])
    .where((eb) => visibleGoals(eb, viewer))
    .orderBy("d.id")
    .execute();
}

/** The latest delegation of a step, if it was ever delegated. */
export async function delegationOfStep(
  db: Kysely<Database>,
  stepId: number,
): Promise<DelegationRow | undefined> {
  return db
    .selectFrom("delegations")
    .selectAll()
    .where("stepId", "=", stepId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** One delegation of a workspace with its progress. */
export async function delegationWithProgressById(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
): Promise<DelegationWithProgress | undefined> {
  return withProgress(db).where("d.workspaceId", "=", workspaceId).where("d.id", "=", id).executeTakeFirst();
}

/**
 * The delegations of one goal and its steps, in id order. Who may see each is the policy's
 * "delegation.see": the caller filters with `can`.
 */
export async function delegationsOfGoal(
  db: Kysely<Database>,
  workspaceId: number,
  goalId: number,
): Promise<DelegationRow[]> {
  return db
    .selectFrom("delegations")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("goalId", "=", goalId)
    .orderBy("id")
    .execute();
}
