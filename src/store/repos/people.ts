/** Workspaces, users, teams and memberships. */
import { type Kysely, sql } from "kysely";
import type { User } from "../../core/types.js";
import { toUser } from "../mappers.js";
import { idList, inList, prepared } from "../prepared.js";
import type { Database } from "../schema.js";

/** The local owner used before accounts exist, and by the CLI on its own file. */
export async function findLocalOwner(db: Kysely<Database>): Promise<User | undefined> {
  const r = await db
    .selectFrom("users")
    .selectAll()
    .where("isLocal", "=", 1)
    .orderBy("id")
    // Without it SQLite reads every person of the file (no index holds is_local): the CLI's every
    // command grew with the workspace (issue 17, cli26). With it, the scan in id order stops at
    // the first local person (id 1 in a file the CLI made).
    .limit(1)
    .executeTakeFirst();
  return r ? toUser(r) : undefined;
}

/** Creates a workspace with its local owner and a first team, in the caller's transaction. */
export async function createLocalWorkspace(
  db: Kysely<Database>,
  now: string,
  name = "My workspace",
): Promise<User> {
  const ws = await db
    .insertInto("workspaces")
    .values({ name, createdAt: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({
      workspaceId: ws.id,
      name: "me",
      email: null,
      isLocal: 1,
      workspaceRole: "owner",
      createdAt: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const team = await insertTeam(db, { workspaceId: ws.id, name: "My team", createdAt: now });
  await addMembership(db, { teamId: team.id, userId: user.id, role: "owner", createdAt: now });
  return toUser(user);
}

/** A user by id within a workspace. */
export async function findUser(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
): Promise<User | undefined> {
  const r = await db
    .selectFrom("users")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .where("id", "=", id)
    .executeTakeFirst();
  return r ? toUser(r) : undefined;
}

/** A user by name or email within a workspace (case-insensitive). */
export async function findUserByName(
  db: Kysely<Database>,
  workspaceId: number,
  who: string,
): Promise<User | undefined> {
  const lower = who.toLowerCase();
  const rows = await db.selectFrom("users").selectAll().where("workspaceId", "=", workspaceId).execute();
  const r = rows.find((u) => u.name.toLowerCase() === lower || u.email?.toLowerCase() === lower);
  return r ? toUser(r) : undefined;
}

/** The people of a workspace with this email, compared without case (none or one). */
export async function usersByEmail(
  db: Kysely<Database>,
  workspaceId: number,
  email: string,
): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("workspaceId", "=", workspaceId)
    .where(sql<string>`lower(email)`, "=", email.toLowerCase())
    .orderBy("id")
    .execute();
}

/** Adds a person without an account (someone who owns steps or helps). */
export async function createPerson(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
  now: string,
): Promise<User> {
  const r = await db
    .insertInto("users")
    .values({ workspaceId, name, email: null, isLocal: 0, createdAt: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(r);
}

/** Team ids the user belongs to. */
export async function teamIdsOf(db: Kysely<Database>, userId: number): Promise<number[]> {
  return (await teamsOfUser(db, userId)).map((r) => r.teamId);
}

/** Every read of what a person may see starts here: built once (src/store/prepared.ts). */
const teamsOfUser = prepared((db: Kysely<Database>, userId: number) =>
  db.selectFrom("memberships").select("teamId").where("userId", "=", userId),
);

/** True when the team exists in the workspace. */
export async function teamExists(
  db: Kysely<Database>,
  workspaceId: number,
  teamId: number,
): Promise<boolean> {
  const r = await db
    .selectFrom("teams")
    .select("id")
    .where("workspaceId", "=", workspaceId)
    .where("id", "=", teamId)
    .executeTakeFirst();
  return r !== undefined;
}

/** A team of the workspace (its id and name), or undefined. */
export async function teamIn(
  db: Kysely<Database>,
  workspaceId: number,
  teamId: number,
): Promise<{ id: number; name: string } | undefined> {
  const [row] = await teamInWorkspace(db, workspaceId, teamId);
  return row;
}

// Built once (team21): the team view reads it on every request, 304s included.
const teamInWorkspace = prepared((db: Kysely<Database>, workspaceId: number, teamId: number) =>
  db
    .selectFrom("teams")
    .select(["id", "name"])
    .where("workspaceId", "=", workspaceId)
    .where("id", "=", teamId),
);

/** A person as someone to tell something: their name and email address. */
export interface Contact {
  id: number;
  workspaceId: number;
  name: string;
  email: string | null;
}

/** Everyone, in every workspace, as contacts. */
export async function allContacts(db: Kysely<Database>): Promise<Contact[]> {
  return db.selectFrom("users").select(["id", "workspaceId", "name", "email"]).execute();
}

/**
 * Some people as contacts, in one statement whatever their number (the planner's cursor path reads
 * only the people the changed goals concern, issue 17 sched19). Those who no longer exist are left out.
 */
export async function contactsOf(db: Kysely<Database>, userIds: readonly number[]): Promise<Contact[]> {
  if (userIds.length === 0) return [];
  return contactsListed(db, idList(db, userIds));
}

const contactsListed = prepared((db: Kysely<Database>, ids: unknown) =>
  db
    .selectFrom("users")
    .select(["id", "workspaceId", "name", "email"])
    .where(() => inList(db, "users.id", ids)),
);

/** Everyone in one workspace, as contacts. */
export async function contactsIn(db: Kysely<Database>, workspaceId: number): Promise<Contact[]> {
  return db
    .selectFrom("users")
    .select(["id", "workspaceId", "name", "email"])
    .where("workspaceId", "=", workspaceId)
    .execute();
}

/** One person as a contact, or undefined when they no longer exist. */
export async function contactOf(db: Kysely<Database>, userId: number): Promise<Contact | undefined> {
  return db
    .selectFrom("users")
    .select(["id", "workspaceId", "name", "email"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** The id of every workspace. */
export async function workspaceIds(db: Kysely<Database>): Promise<number[]> {
  return (await db.selectFrom("workspaces").select("id").orderBy("id").execute()).map((w) => w.id);
}

/** The ids of a team's owners and leaders. */
export async function teamLeaderIds(db: Kysely<Database>, teamId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("memberships")
    .select("userId")
    .where("teamId", "=", teamId)
    .where("role", "in", ["owner", "leader"])
    .execute();
  return rows.map((m) => m.userId);
}

/** Every team's owners and leaders, with the team's name, in team order. */
export async function teamLeaderships(
  db: Kysely<Database>,
): Promise<{ userId: number; teamId: number; teamName: string }[]> {
  return db
    .selectFrom("memberships")
    .innerJoin("teams", "teams.id", "memberships.teamId")
    .select(["memberships.userId", "teams.id as teamId", "teams.name as teamName"])
    .where("memberships.role", "in", ["owner", "leader"])
    .orderBy("teams.id")
    .execute();
}

/** What the permission policy needs to know about a user (src/app/policy.ts, `factsOf`). */
export interface UserFacts {
  workspaceRole: string;
  /** The command line's local owner. */
  isLocal: boolean;
  memberships: { teamId: number; role: string }[];
}

/** A user's workspace role, whether they are the local owner, and their teams with roles: one query. */
export async function actorFactsOf(db: Kysely<Database>, userId: number): Promise<UserFacts | undefined> {
  const rows = await factsRows(db, userId);
  const first = rows[0];
  if (!first) return undefined;
  return {
    workspaceRole: first.workspaceRole,
    isLocal: first.isLocal === 1,
    memberships: rows.flatMap((r) =>
      r.teamId === null || r.role === null ? [] : [{ teamId: r.teamId, role: r.role }],
    ),
  };
}

// Built once (team21): every permission check reads it.
const factsRows = prepared((db: Kysely<Database>, userId: number) =>
  db
    .selectFrom("users")
    .leftJoin("memberships", "memberships.userId", "users.id")
    .select(["users.workspaceRole", "users.isLocal", "memberships.teamId", "memberships.role"])
    .where("users.id", "=", userId)
    .orderBy("memberships.teamId"),
);

/** The teams a user is in, with their names and the user's role, in team order. */
export async function membershipsOf(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom("memberships")
    .innerJoin("teams", "teams.id", "memberships.teamId")
    .select(["teams.id", "teams.name", "memberships.role"])
    .where("memberships.userId", "=", userId)
    .orderBy("teams.id")
    .execute();
}

/** A user's role in a team, or null when they are not in it. */
export async function roleIn(db: Kysely<Database>, teamId: number, userId: number): Promise<string | null> {
  const r = await db
    .selectFrom("memberships")
    .select("role")
    .where("teamId", "=", teamId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  return r?.role ?? null;
}

/** Puts a user in a team with a role. */
export async function addMembership(
  db: Kysely<Database>,
  m: { teamId: number; userId: number; role: string; createdAt: string },
): Promise<void> {
  await db.insertInto("memberships").values(m).execute();
}

/** Changes a member's role in a team. */
export async function setMembershipRole(
  db: Kysely<Database>,
  teamId: number,
  userId: number,
  role: string,
): Promise<void> {
  await db
    .updateTable("memberships")
    .set({ role })
    .where("teamId", "=", teamId)
    .where("userId", "=", userId)
    .execute();
}

/** Inserts a team. */
export async function insertTeam(
  db: Kysely<Database>,
  t: { workspaceId: number; name: string; createdAt: string },
) {
  return db.insertInto("teams").values(t).returning(["id", "name", "createdAt"]).executeTakeFirstOrThrow();
}

/** The teams of a workspace, in id order. */
export async function teamsIn(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom("teams")
    .select(["id", "workspaceId", "name"])
    .where("workspaceId", "=", workspaceId)
    .orderBy("id")
    .execute();
}

/** The members of some teams with their names and roles, in user order. */
export async function membersOf(
  db: Kysely<Database>,
  teamIds: readonly number[],
): Promise<{ teamId: number; id: number; name: string; role: string }[]> {
  if (teamIds.length === 0) return [];
  // One team (the team view, every leader's page): `= $1` is planned once and joins each member's
  // row by its key, where PostgreSQL planned `= any($1)` afresh on every run and read all the
  // users to hash them (pgteam22: 1.6 ms of the backend's time, 0.07 ms this way).
  if (teamIds.length === 1) return membersOfOne(db, teamIds[0] as number);
  return membersListed(db, idList(db, teamIds));
}

const membersOfOne = prepared((db: Kysely<Database>, teamId: number) =>
  db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.userId")
    .select(["memberships.teamId", "users.id", "users.name", "memberships.role"])
    .where("memberships.teamId", "=", teamId)
    .orderBy("users.id"),
);

// Built once (team21): the team view reads its team's members on every request, 304s included.
const membersListed = prepared((db: Kysely<Database>, teamIds: unknown) =>
  db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.userId")
    .select(["memberships.teamId", "users.id", "users.name", "memberships.role"])
    .where(inList(db, "memberships.teamId", teamIds))
    .orderBy("users.id"),
);

/** The ids of a team's members. */
export async function memberIdsOf(db: Kysely<Database>, teamId: number): Promise<number[]> {
  const rows = await db.selectFrom("memberships").select("userId").where("teamId", "=", teamId).execute();
  return rows.map((r) => r.userId);
}

/** A user's email and the values they hold (as stored: JSON text). */
export async function emailAndValuesOf(db: Kysely<Database>, userId: number) {
  return db.selectFrom("users").select(["email", "valuesJson"]).where("id", "=", userId).executeTakeFirst();
}

/** Replaces the values a user holds. */
export async function setValues(db: Kysely<Database>, userId: number, values: string[]): Promise<void> {
  await db
    .updateTable("users")
    .set({ valuesJson: JSON.stringify(values) })
    .where("id", "=", userId)
    .execute();
}
