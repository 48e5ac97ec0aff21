/**
 * Accounts: passwords, sessions, API tokens, calendar feed tokens, invitations, rate-limit
 * counters and the audit log.
 */
import { type Kysely, sql } from "kysely";
import { prepared } from "../prepared.js";
import type { Database } from "../schema.js";

/** A person with an account, as sign-in needs it. */
export interface AccountRow {
  id: number;
  workspaceId: number;
  name: string;
  email: string | null;
  passwordHash: string | null;
  workspaceRole: string;
}

const ACCOUNT_COLUMNS = ["id", "workspaceId", "name", "email", "passwordHash", "workspaceRole"] as const;

/** The account with this email (emails are stored lower-case). */
export async function findAccountByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<AccountRow | undefined> {
  return db.selectFrom("users").select(ACCOUNT_COLUMNS).where("email", "=", email).executeTakeFirst();
}

/** An account by id. */
export async function findAccount(db: Kysely<Database>, id: number): Promise<AccountRow | undefined> {
  return db.selectFrom("users").select(ACCOUNT_COLUMNS).where("id", "=", id).executeTakeFirst();
}

/** Inserts an account (a person who signs in) and returns its id. */
export async function insertAccount(
  db: Kysely<Database>,
  a: { workspaceId: number; name: string; email: string; passwordHash: string; now: string },
): Promise<number> {
  const r = await db
    .insertInto("users")
    .values({
      workspaceId: a.workspaceId,
      name: a.name,
      email: a.email,
      passwordHash: a.passwordHash,
      createdAt: a.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Turns the local owner into the workspace owner's account (the first sign-up claims its data). */
export async function claimLocalOwner(
  db: Kysely<Database>,
  userId: number,
  a: { name: string; email: string; passwordHash: string },
): Promise<void> {
  await db
    .updateTable("users")
    .set({ name: a.name, email: a.email, passwordHash: a.passwordHash, workspaceRole: "owner" })
    .where("id", "=", userId)
    .execute();
}

/** A user with their workspace, as "who am I" shows them. */
export async function profileOf(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom("users")
    .innerJoin("workspaces", "workspaces.id", "users.workspaceId")
    .select([
      "users.id",
      "users.name",
      "users.email",
      "users.workspaceRole",
      "users.valuesJson",
      "workspaces.id as workspaceId",
      "workspaces.name as workspaceName",
    ])
    .where("users.id", "=", userId)
    .executeTakeFirst();
}

/** True when nobody has an account yet (a fresh server). */
export async function noAccountsYet(db: Kysely<Database>): Promise<boolean> {
  const r = await db
    .selectFrom("users")
    .select("id")
    .where("passwordHash", "is not", null)
    .limit(1)
    .executeTakeFirst();
  return r === undefined;
}

/** Inserts a session row. */
export async function insertSession(
  db: Kysely<Database>,
  s: { userId: number; tokenHash: string; csrfToken: string; now: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      userId: s.userId,
      tokenHash: s.tokenHash,
      csrfToken: s.csrfToken,
      createdAt: s.now,
      expiresAt: s.expiresAt,
      lastSeenAt: s.now,
    })
    .execute();
}

/** A live session by its token's hash, with its account. */
export async function findSession(db: Kysely<Database>, tokenHash: string, now: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.userId")
    .select([
      "sessions.id as sessionId",
      "sessions.csrfToken",
      "sessions.expiresAt",
      "sessions.lastSeenAt",
      "users.id as userId",
      "users.workspaceId",
    ])
    .where("sessions.tokenHash", "=", tokenHash)
    .where("sessions.expiresAt", ">", now)
    .executeTakeFirst();
}

/** Extends a session's life (sliding expiry). */
export async function touchSession(db: Kysely<Database>, sessionId: number, now: string, expiresAt: string) {
  await db.updateTable("sessions").set({ lastSeenAt: now, expiresAt }).where("id", "=", sessionId).execute();
}

/** Ends a session. */
export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom("sessions").where("tokenHash", "=", tokenHash).execute();
}

/** Inserts an API token (only its hash). */
export async function insertApiToken(
  db: Kysely<Database>,
  t: { userId: number; name: string; prefix: string; tokenHash: string; now: string },
) {
  return db
    .insertInto("apiTokens")
    .values({ userId: t.userId, name: t.name, prefix: t.prefix, tokenHash: t.tokenHash, createdAt: t.now })
    .returning(["id", "name", "prefix", "createdAt", "lastUsedAt", "revokedAt"])
    .executeTakeFirstOrThrow();
}

/** A live API token by hash, with its account. */
export async function findApiToken(db: Kysely<Database>, tokenHash: string) {
  return (await apiTokenByHash(db, tokenHash))[0];
}

/** Every request with a token reads it: built once (src/store/prepared.ts). */
const apiTokenByHash = prepared((db: Kysely<Database>, tokenHash: string) =>
  db
    .selectFrom("apiTokens")
    .innerJoin("users", "users.id", "apiTokens.userId")
    .select(["apiTokens.id as tokenId", "apiTokens.lastUsedAt", "users.id as userId", "users.workspaceId"])
    .where("apiTokens.tokenHash", "=", tokenHash)
    .where("apiTokens.revokedAt", "is", null),
);

/** Records when a token was last used (at most once a minute, to spare writes). */
export async function touchApiToken(db: Kysely<Database>, id: number, now: string): Promise<void> {
  await db.updateTable("apiTokens").set({ lastUsedAt: now }).where("id", "=", id).execute();
}

/** A user's API tokens (never their secrets). */
export async function listApiTokens(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom("apiTokens")
    .select(["id", "name", "prefix", "createdAt", "lastUsedAt", "revokedAt"])
    .where("userId", "=", userId)
    .orderBy("id")
    .execute();
}

/** Revokes a user's token; false when it is not theirs or already revoked. */
export async function revokeApiToken(
  db: Kysely<Database>,
  userId: number,
  id: number,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable("apiTokens")
    .set({ revokedAt: now })
    .where("id", "=", id)
    .where("userId", "=", userId)
    .where("revokedAt", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Sets a user's calendar feed token (only its hash), replacing any earlier one. */
export async function putCalendarFeed(
  db: Kysely<Database>,
  userId: number,
  tokenHash: string,
  now: string,
): Promise<void> {
  await db
    .insertInto("calendarFeeds")
    .values({ userId, tokenHash, createdAt: now })
    .onConflict((oc) => oc.column("userId").doUpdateSet({ tokenHash, createdAt: now }))
    .execute();
}

/** Removes a user's calendar feed token; false when they had none. */
export async function deleteCalendarFeed(db: Kysely<Database>, userId: number): Promise<boolean> {
  const r = await db.deleteFrom("calendarFeeds").where("userId", "=", userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The user a calendar feed token belongs to, or undefined. */
export async function calendarFeedOwner(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom("calendarFeeds")
    .innerJoin("users", "users.id", "calendarFeeds.userId")
    .select(["users.id", "users.workspaceId"])
    .where("calendarFeeds.tokenHash", "=", tokenHash)
    .executeTakeFirst();
}

/** Inserts an invitation (only its token's hash). */
export async function insertInvitation(
  db: Kysely<Database>,
  i: {
    workspaceId: number;
    teamId: number | null;
    role: string;
    email: string | null;
    tokenHash: string;
    createdBy: number;
    now: string;
    expiresAt: string;
  },
) {
  return db
    .insertInto("invitations")
    .values({
      workspaceId: i.workspaceId,
      teamId: i.teamId,
      role: i.role,
      email: i.email,
      tokenHash: i.tokenHash,
      createdBy: i.createdBy,
      createdAt: i.now,
      expiresAt: i.expiresAt,
    })
    .returning(["id", "teamId", "role", "email", "createdAt", "expiresAt"])
    .executeTakeFirstOrThrow();
}

/** An unused, unexpired invitation by its token's hash. */
export async function findOpenInvitation(db: Kysely<Database>, tokenHash: string, now: string) {
  return db
    .selectFrom("invitations")
    .innerJoin("workspaces", "workspaces.id", "invitations.workspaceId")
    .select([
      "invitations.id",
      "invitations.workspaceId",
      "invitations.teamId",
      "invitations.role",
      "invitations.email",
      "invitations.expiresAt",
      "workspaces.name as workspaceName",
    ])
    .where("invitations.tokenHash", "=", tokenHash)
    .where("invitations.usedAt", "is", null)
    .where("invitations.expiresAt", ">", now)
    .executeTakeFirst();
}

/** Marks an invitation used; false when someone else used it first. */
export async function claimInvitation(
  db: Kysely<Database>,
  id: number,
  userId: number,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable("invitations")
    .set({ usedAt: now, usedBy: userId })
    .where("id", "=", id)
    .where("usedAt", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Counts one hit against a fixed window and returns the count so far in it. One statement
 * (insert or update), so concurrent instances share the count.
 */
export async function hitRateLimit(db: Kysely<Database>, key: string, windowStart: number): Promise<number> {
  const r = await db
    .insertInto("rateLimits")
    .values({ key, windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        count: sql<number>`case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end`,
        windowStart: sql<number>`excluded.window_start`,
      }),
    )
    .returning(["count"])
    .executeTakeFirstOrThrow();
  return Number(r.count);
}

/** Takes one hit back from a counter, in the same window only and never below zero. */
export async function unhitRateLimit(db: Kysely<Database>, key: string, windowStart: number): Promise<void> {
  await db
    .updateTable("rateLimits")
    .set({ count: sql<number>`count - 1` })
    .where("key", "=", key)
    .where("windowStart", "=", windowStart)
    .where("count", ">", 0)
    .execute();
}

/**
 * True when the person signed up or signed in from this address since `since` (ISO time): an
 * address of theirs, which the per-account ceiling on sign-in attempts does not lock.
 */
export async function signedInFrom(
  db: Kysely<Database>,
  userId: number,
  ip: string,
  since: string,
): Promise<boolean> {
  const r = await db
    .selectFrom("auditLog")
    .select("id")
    .where("actorId", "=", userId)
    .where("ip", "=", ip)
    .where("action", "in", ["sign-in", "sign-up"])
    .where("createdAt", ">=", since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Clears a counter (after a successful sign-in). */
export async function clearRateLimit(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom("rateLimits").where("key", "=", key).execute();
}

/** Appends to the audit log. */
export async function audit(
  db: Kysely<Database>,
  e: {
    workspaceId: number | null;
    actorId: number | null;
    action: string;
    detail: Record<string, unknown>;
    ip: string | null;
    now: string;
  },
): Promise<void> {
  await db
    .insertInto("auditLog")
    .values({
      workspaceId: e.workspaceId,
      actorId: e.actorId,
      action: e.action,
      detailJson: JSON.stringify(e.detail),
      ip: e.ip,
      createdAt: e.now,
    })
    .execute();
}

/** The audit log of a workspace, newest first. */
export async function listAudit(db: Kysely<Database>, workspaceId: number, limit = 200) {
  const rows = await db
    .selectFrom("auditLog")
    .selectAll()
    .where("workspaceId", "=", workspaceId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actorId: r.actorId,
    action: r.action,
    detail: JSON.parse(r.detailJson) as Record<string, unknown>,
    ip: r.ip,
    createdAt: r.createdAt,
  }));
}
