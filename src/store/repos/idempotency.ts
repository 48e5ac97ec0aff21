/** Idempotency keys (issue 16): reserve atomically, record the answer, release, look up, expire. */
import type { Kysely, Selectable } from "kysely";
import type { Database, IdempotencyKeysTable } from "../schema.js";

/** A stored key. */
export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

/**
 * Reserves a person's key for a request, atomically: of any number of callers at once (on any
 * instance), one gets true; the rest false. An expired row under the same key is replaced.
 */
export async function reserveIdempotencyKey(
  db: Kysely<Database>,
  row: { userId: number; key: string; requestHash: string; createdAt: string; expiresAt: string },
): Promise<boolean> {
  await db
    .deleteFrom("idempotencyKeys")
    .where("userId", "=", row.userId)
    .where("key", "=", row.key)
    .where("expiresAt", "<=", row.createdAt)
    .execute();
  const r = await db
    .insertInto("idempotencyKeys")
    .values({ ...row, status: null, contentType: null, responseBody: null })
    .onConflict((oc) => oc.columns(["userId", "key"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The stored row of a person's key, if any. */
export async function findIdempotencyKey(
  db: Kysely<Database>,
  userId: number,
  key: string,
): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom("idempotencyKeys")
    .selectAll()
    .where("userId", "=", userId)
    .where("key", "=", key)
    .executeTakeFirst();
}

/** Records the answer to replay for a reserved key. */
export async function completeIdempotencyKey(
  db: Kysely<Database>,
  userId: number,
  key: string,
  answer: { status: number; contentType: string | null; responseBody: string },
): Promise<void> {
  await db
    .updateTable("idempotencyKeys")
    .set(answer)
    .where("userId", "=", userId)
    .where("key", "=", key)
    .execute();
}

/** Frees a reserved key that got no answer worth keeping (a failure the client may retry). */
export async function releaseIdempotencyKey(
  db: Kysely<Database>,
  userId: number,
  key: string,
): Promise<void> {
  await db
    .deleteFrom("idempotencyKeys")
    .where("userId", "=", userId)
    .where("key", "=", key)
    .where("status", "is", null)
    .execute();
}

/** Removes keys expired at `now`; returns how many. */
export async function deleteExpiredIdempotencyKeys(db: Kysely<Database>, now: string): Promise<number> {
  const r = await db.deleteFrom("idempotencyKeys").where("expiresAt", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
