/**
 * What keeps accounts safe after sign-in (issue 16, defect 8): password changes, ending every
 * session or token of a person at once, and single-use password reset links (only their hash).
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** Sets a person's password hash. */
export async function setPasswordHash(
  db: Kysely<Database>,
  userId: number,
  passwordHash: string,
): Promise<void> {
  await db.updateTable("users").set({ passwordHash }).where("id", "=", userId).execute();
}

/**
 * Ends every session of a person, except the one whose token hash is `keep` (the caller's own,
 * when they stay signed in); returns how many ended.
 */
export async function deleteSessionsOf(
  db: Kysely<Database>,
  userId: number,
  keep: string | null = null,
): Promise<number> {
  let q = db.deleteFrom("sessions").where("userId", "=", userId);
  if (keep !== null) q = q.where("tokenHash", "!=", keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Revokes every live API token of a person; returns how many. */
export async function revokeTokensOf(db: Kysely<Database>, userId: number, now: string): Promise<number> {
  const r = await db
    .updateTable("apiTokens")
    .set({ revokedAt: now })
    .where("userId", "=", userId)
    .where("revokedAt", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Stores a reset link (its token's hash). */
export async function insertReset(
  db: Kysely<Database>,
  r: { userId: number; tokenHash: string; createdBy: number | null; now: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto("passwordResets")
    .values({
      userId: r.userId,
      tokenHash: r.tokenHash,
      createdBy: r.createdBy,
      createdAt: r.now,
      expiresAt: r.expiresAt,
    })
    .execute();
}

/** An unused, unexpired reset link by its token's hash, with its account. */
export async function findOpenReset(db: Kysely<Database>, tokenHash: string, now: string) {
  return db
    .selectFrom("passwordResets")
    .innerJoin("users", "users.id", "passwordResets.userId")
    .select([
      "passwordResets.id",
      "passwordResets.createdBy",
      "users.id as userId",
      "users.workspaceId",
      "users.name",
      "users.email",
    ])
    .where("passwordResets.tokenHash", "=", tokenHash)
    .where("passwordResets.usedAt", "is", null)
    .where("passwordResets.expiresAt", ">", now)
    .executeTakeFirst();
}

/** Marks a reset link used; false when it was used meanwhile (single use under concurrency). */
export async function claimReset(db: Kysely<Database>, id: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable("passwordResets")
    .set({ usedAt: now })
    .where("id", "=", id)
    .where("usedAt", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends a person's other open reset links (a newer one, or a changed password, replaces them). */
export async function closeOpenResets(db: Kysely<Database>, userId: number, now: string): Promise<void> {
  await db
    .updateTable("passwordResets")
    .set({ usedAt: now })
    .where("userId", "=", userId)
    .where("usedAt", "is", null)
    .execute();
}

/** How many reset links a person was sent by email since `since` (to cap mail to one address). */
export async function emailedResetsSince(
  db: Kysely<Database>,
  userId: number,
  since: string,
): Promise<number> {
  const r = await db
    .selectFrom("passwordResets")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("userId", "=", userId)
    .where("createdBy", "is", null)
    .where("createdAt", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
