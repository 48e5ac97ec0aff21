/** In-app notices: what each person is told, read in their inbox. */
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, NotificationsTable } from "../schema.js";

/** A notice row. */
export type NoticeRow = Selectable<NotificationsTable>;

/** A notice to write for one person (unread). */
export type NewNotice = Omit<Insertable<NotificationsTable>, "id" | "readAt">;

/** Writes notices (unread). */
export async function insertNotices(db: Kysely<Database>, rows: readonly NewNotice[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("notifications")
    .values([...rows])
    .execute();
}

/** Writes one notice (unread) and returns its id. */
export async function insertNotice(db: Kysely<Database>, row: NewNotice): Promise<number> {
  const r = await db.insertInto("notifications").values(row).returning("id").executeTakeFirstOrThrow();
  return r.id;
}

/** A person's notices, newest first, optionally only the unread ones. */
export async function noticesOf(
  db: Kysely<Database>,
  userId: number,
  f: { unreadOnly: boolean; limit: number },
): Promise<NoticeRow[]> {
  let q = db.selectFrom("notifications").selectAll().where("userId", "=", userId);
  if (f.unreadOnly) q = q.where("readAt", "is", null);
  return q.orderBy("id", "desc").limit(f.limit).execute();
}

/** Marks a person's unread notices read (all, or up to an id); how many it marked. */
export async function markNoticesRead(
  db: Kysely<Database>,
  userId: number,
  at: string,
  upToId?: number,
): Promise<number> {
  let q = db
    .updateTable("notifications")
    .set({ readAt: at })
    .where("userId", "=", userId)
    .where("readAt", "is", null);
  if (upToId !== undefined) q = q.where("id", "<=", upToId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Notices other than nudges (those are written from the nudges themselves) since an instant, oldest first. */
export async function noticesOtherThanNudgesSince(db: Kysely<Database>, since: string): Promise<NoticeRow[]> {
  return db
    .selectFrom("notifications")
    .selectAll()
    .where("createdAt", ">=", since)
    .where("type", "not like", "nudge.%")
    .orderBy("id")
    .execute();
}

// --- Issue 15 (delegation loop and inbox): reading a notice by acting on it. ---

/** Marks one of a person's notices read; false when they have no notice with that id. */
export async function markNoticeRead(
  db: Kysely<Database>,
  userId: number,
  id: number,
  at: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("notifications")
    .select(["id", "readAt"])
    .where("id", "=", id)
    .where("userId", "=", userId)
    .executeTakeFirst();
  if (!row) return false;
  if (row.readAt === null)
    await db.updateTable("notifications").set({ readAt: at }).where("id", "=", id).execute();
  return true;
}

/**
 * Marks a person's unread notices about some subjects read (a delegation they answered, a step
 * they finished): acting on what a notice names reads it. How many it marked.
 */
export async function markNoticesAboutRead(
  db: Kysely<Database>,
  userId: number,
  at: string,
  subjects: readonly { type: string; id: number }[],
): Promise<number> {
  if (subjects.length === 0) return 0;
  const r = await db
    .updateTable("notifications")
    .set({ readAt: at })
    .where("userId", "=", userId)
    .where("readAt", "is", null)
    .where((eb) =>
      eb.or(subjects.map((s) => eb.and([eb("subjectType", "=", s.type), eb("subjectId", "=", s.id)]))),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
