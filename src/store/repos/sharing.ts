/** Who else is on a goal: the people it is shared with (partners, coaches, assignees, delegators) and its followers. */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/**
 * Shares a goal with a person in a role. When it is already shared with them, `onShared` says
 * whether the new role replaces the old one or the old one stays.
 */
export async function shareGoalWith(
  db: Kysely<Database>,
  s: { goalId: number; userId: number; role: string; createdAt: string },
  onShared: "replace-role" | "keep-role",
): Promise<void> {
  await db
    .insertInto("goalShares")
    .values(s)
    .onConflict((oc) =>
      onShared === "replace-role"
        ? oc.columns(["goalId", "userId"]).doUpdateSet({ role: s.role })
        : oc.columns(["goalId", "userId"]).doNothing(),
    )
    .execute();
}

/** Stops sharing a goal with a person. */
export async function unshareGoalWith(db: Kysely<Database>, goalId: number, userId: number): Promise<void> {
  await db.deleteFrom("goalShares").where("goalId", "=", goalId).where("userId", "=", userId).execute();
}

/** The people a goal is shared with, their names and roles, in user order. */
export async function sharesOf(db: Kysely<Database>, goalId: number) {
  return db
    .selectFrom("goalShares")
    .innerJoin("users", "users.id", "goalShares.userId")
    .select(["users.id as userId", "users.name", "goalShares.role"])
    .where("goalShares.goalId", "=", goalId)
    .orderBy("users.id")
    .execute();
}

/** Adds a follower to a goal (nothing happens when they already follow it). */
export async function addFollower(db: Kysely<Database>, goalId: number, userId: number, now: string) {
  await db
    .insertInto("goalFollowers")
    .values({ goalId, userId, createdAt: now })
    .onConflict((oc) => oc.columns(["goalId", "userId"]).doNothing())
    .execute();
}

/** Removes a follower from a goal. */
export async function removeFollower(db: Kysely<Database>, goalId: number, userId: number): Promise<void> {
  await db.deleteFrom("goalFollowers").where("goalId", "=", goalId).where("userId", "=", userId).execute();
}

/** The followers of a goal with their names, in user order. */
export async function followerNamesOf(db: Kysely<Database>, goalId: number) {
  return db
    .selectFrom("goalFollowers")
    .innerJoin("users", "users.id", "goalFollowers.userId")
    .select(["users.id as userId", "users.name"])
    .where("goalFollowers.goalId", "=", goalId)
    .orderBy("users.id")
    .execute();
}
