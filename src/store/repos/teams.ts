/**
 * Teams as the views over a team read them: the team, its members with their names and roles, and
 * what decides whether a reader may see it (their workspace role, their membership).
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** A team of the workspace (its id and name), or undefined. */
export async function teamIn(db: Kysely<Database>, workspaceId: number, teamId: number) {
  return db
    .selectFrom("teams")
    .select(["id", "name"])
    .where("workspaceId", "=", workspaceId)
    .where("id", "=", teamId)
    .executeTakeFirst();
}

/** A team's members with their names and roles, in user order. */
export async function teamMembers(
  db: Kysely<Database>,
  teamId: number,
): Promise<{ id: number; name: string; role: string }[]> {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.userId")
    .select(["users.id", "users.name", "memberships.role"])
    .where("memberships.teamId", "=", teamId)
    .orderBy("users.id")
    .execute();
}

/** A user's role in their workspace, or undefined when there is no such user. */
export async function workspaceRoleOf(db: Kysely<Database>, userId: number) {
  return db.selectFrom("users").select("workspaceRole").where("id", "=", userId).executeTakeFirst();
}

/** A user's membership of a team (their role), or undefined when they are not a member. */
export async function membershipOf(db: Kysely<Database>, teamId: number, userId: number) {
  return db
    .selectFrom("memberships")
    .select("role")
    .where("teamId", "=", teamId)
    .where("userId", "=", userId)
    .executeTakeFirst();
}
