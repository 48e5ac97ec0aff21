/**
 * The nudge planner's state (migration 0023) and its lock: which planner plans, and from where in
 * the event log and the notices it goes on.
 */
import { type Kysely, sql } from "kysely";
import type { DialectName } from "../db.js";
import type { Database } from "../schema.js";
import type { LoggedEvent } from "./events.js";
import type { NoticeRow } from "./notifications.js";

/** A planner's cursors, the slot of its last full pass, and whether anything came after them. */
export interface PlannerState {
  eventId: number;
  noticeId: number;
  slot: string;
  /** True when an event or a notice (not a nudge) was written after the cursors. */
  changed: boolean;
}

/** The key of the planner's PostgreSQL advisory lock (any constant: "tlpl" in ASCII). */
const PLANNER_LOCK = 0x746c706c;

/**
 * Runs `plan` only when no other planner is planning: on PostgreSQL under a session advisory
 * lock taken with `pg_try_advisory_lock` on a connection held for the run (another instance that
 * finds it taken skips its turn); on SQLite the database belongs to one process, whose scheduler
 * never overlaps its ticks. Returns undefined when another planner held the lock.
 *
 * `plan` is given the database to plan through: on PostgreSQL the lock's own connection, so a tick
 * takes one connection of the pool, not that one held idle and up to three more for its queries —
 * the pool the requests beside it wait for (issue 17, tick23); on SQLite `db` itself.
 */
export async function withPlannerLock<T>(
  db: Kysely<Database>,
  dialect: DialectName,
  plan: (db: Kysely<Database>) => Promise<T>,
): Promise<T | undefined> {
  if (dialect !== "postgres") return plan(db);
  return db.connection().execute(async (conn) => {
    const r = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${PLANNER_LOCK}::bigint) as locked`.execute(conn);
    if (!r.rows[0]?.locked) return undefined;
    try {
      return await plan(conn);
    } finally {
      await sql`select pg_advisory_unlock(${PLANNER_LOCK}::bigint)`.execute(conn);
    }
  });
}

/**
 * The planner's state in one query: its row (none before its first run) and whether an event or a
 * notice other than a nudge was written after its cursors.
 */
export async function plannerState(db: Kysely<Database>, name: string): Promise<PlannerState | undefined> {
  const row = await db
    .selectFrom("plannerState as p")
    .select((eb) => [
      "p.eventId",
      "p.noticeId",
      "p.slot",
      eb
        .or([
          eb.exists(eb.selectFrom("events as e").select("e.id").whereRef("e.id", ">", "p.eventId")),
          eb.exists(
            eb
              .selectFrom("notifications as n")
              .select("n.id")
              .whereRef("n.id", ">", "p.noticeId")
              .where("n.type", "not like", "nudge.%"),
          ),
        ])
        .as("changed"),
    ])
    .where("p.name", "=", name)
    .executeTakeFirst();
  return (
    row && { eventId: row.eventId, noticeId: row.noticeId, slot: row.slot, changed: Boolean(row.changed) }
  );
}

/** The newest event and notice ids now (the cursors a full pass starts from). */
export async function logEnds(db: Kysely<Database>): Promise<{ eventId: number; noticeId: number }> {
  const [e, n] = await Promise.all([
    db
      .selectFrom("events")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst(),
    db
      .selectFrom("notifications")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst(),
  ]);
  return { eventId: Number(e?.id ?? 0), noticeId: Number(n?.id ?? 0) };
}

/** Saves a planner's cursors and slot. */
export async function savePlannerState(
  db: Kysely<Database>,
  name: string,
  s: { eventId: number; noticeId: number; slot: string },
  at: string,
): Promise<void> {
  await db
    .insertInto("plannerState")
    .values({ name, ...s, updatedAt: at })
    .onConflict((oc) => oc.column("name").doUpdateSet({ ...s, updatedAt: at }))
    .execute();
}

/** Events after an id, oldest first (at most `limit`). */
export async function eventsAfterId(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<LoggedEvent[]> {
  const rows = await db
    .selectFrom("events")
    .selectAll()
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspaceId,
    type: r.type,
    actorId: r.actorId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    payload: JSON.parse(r.payloadJson) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}

/** Notices other than nudges after an id, oldest first (at most `limit`). */
export async function noticesAfterId(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<NoticeRow[]> {
  return db
    .selectFrom("notifications")
    .selectAll()
    .where("id", ">", afterId)
    .where("type", "not like", "nudge.%")
    .orderBy("id")
    .limit(limit)
    .execute();
}
