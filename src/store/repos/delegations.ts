/** Delegations: a goal or step handed to someone with what, why, by when and what done looks like. */
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database, DelegationsTable } from "../schema.js";

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
